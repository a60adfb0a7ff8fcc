"""Issue #17's "done when": Marquee as a cluster of processes on one PostgreSQL, one of them SIGKILLed mid-fan-out.

4 ``python -m bot`` processes (``SHARD_COUNT=4``, ``SHARD_IDS=i``) share a throwaway PostgreSQL
(``bench/pgserver.py``) and one fakediscord in this process, with 10,000 servers spread evenly over the 4 shards
(``clusterworld.ShardedIds``; the fake's session-start ``max_concurrency`` is 4, so the shards identify at once,
each in its own bucket, as Discord allows a bot it has moved to large-bot sharding) and 500 local feeds
(``clusterworld.CountingFarm``, which remembers each fetch). One feed is followed by every server's #general, the
others by a few servers each; the subscriptions are written through ``db.feeds.subscribe`` before the processes
start. Once every shard is connected, one article is published in the big feed just before its poll slot; when a
quarter of its posts are out, the process that sent the most posts is SIGKILLed. Figures: fetches per feed per
poll interval across the cluster (exactly 1), lost and duplicated posts (0 and 0), how long until the killed
process's channels get their posts from the others, fan-out time against the floor of Discord's global limit
(N / 50 s; at most 1.3×), global 429s (0), and each process's resident size.

Run: ``python bench/cluster.py`` (10,000 servers, 500 feeds; the fan-out alone takes at least 200 s) or
``--quick`` (400 servers, 50 feeds, about 2 minutes: the poll interval cannot be shorter than 60 s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from botprocess import BotProcess
from clusterworld import CountingFarm, GlobalLimitHits, Post, Tally, fetch_intervals, sharded_news_channels
from clusterworld import shards_connected as connected_shards
from fanworld import lost_and_duplicated
from internals import GLOBAL_GAP, to_new_item
from pgserver import throwaway_postgres
from process import descendants, python_env, rss_bytes
from report import Table, mib, percentile, write_results

import db.feeds as store
from bot.feeds.normalise import normalise_feed
from bot.feeds.parse import ParsedFeed, parse_document
from bot.feeds.schedule import next_slot
from db import Database
from db.feeds.records import PLAIN
from db.times import to_text
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel

log = logging.getLogger(__name__)

SITE = Path(__file__).resolve().with_name("cluster_site")  # tags each bot process's User-Agent with its pid
ARTICLE_FEED = 0
FOLLOWERS_PER_FEED = 3  # servers following each of the other feeds


@dataclass
class Options:
    servers: int
    feeds: int
    processes: int
    interval: int
    lease: int
    kill_at: float
    victim: int | None  # process index, or None: the one that has sent the most posts


@dataclass
class Node:
    index: int
    bot: BotProcess
    pid: int = 0
    node_id: str = ""
    rss_ready: int = 0
    rss_max: int = 0
    workers_max: int = 0
    exit_code: int | None = None


@dataclass
class Timeline:
    ready: float = 0.0  # every shard connected (and every member's heartbeat seen, when they write one)
    observe_from: float = 0.0  # fetches are counted per interval from here
    published: float = 0.0
    killed: float = 0.0
    done: float = 0.0  # every channel has its post and nothing is pending
    observed_to: float = 0.0  # fetches are counted per interval until here
    notes: list[str] = field(default_factory=list)


def _items(body: bytes, now: datetime) -> tuple[str, list[store.NewItem]]:
    parsed = parse_document(body, "application/rss+xml")
    assert isinstance(parsed, ParsedFeed)
    news = normalise_feed(parsed, fetched_at=now)
    return news.title, [to_new_item(item) for item in news.items]


# The row /feeds add writes for one more follower of a feed whose items are already stored (db.feeds.subscribe's
# INSERT). Written in bulk for the big feed's followers because db.feeds.subscribe reads every other follower of the
# feed each time (to queue items they have not had), which makes seeding N followers quadratic: see the notes.
FOLLOW_SQL = (
    "INSERT INTO subscriptions (feed_id, guild_id, channel_id, include_words, exclude_words, created_by, "
    "created_at, post_style, forum_tag_id) VALUES (?, ?, ?, '', '', ?, ?, ?, NULL)"
)


async def seed(database: Database, farm: CountingFarm, channels: Sequence[Channel], opts: Options) -> int:
    """Every channel follows the article feed; each other feed is followed by a few servers. Each feed is first due
    at its own slot (as after a poll), its current items stored as seen. Returns the subscriptions written.

    The first follower of every feed goes through ``db.feeds.subscribe`` (which stores the feed and its items);
    the big feed's other followers are written in one batch (``FOLLOW_SQL``), the small feeds' through
    ``db.feeds.subscribe`` too."""
    now = datetime.now(UTC)
    interval = timedelta(seconds=opts.interval)
    written = 0
    for feed in range(opts.feeds):
        farm.add_news(feed)
        url = farm.url(feed)
        title, items = _items(farm.body(feed), now)
        followers = (
            channels
            if feed == ARTICLE_FEED
            else [channels[(feed * FOLLOWERS_PER_FEED + k) % len(channels)] for k in range(FOLLOWERS_PER_FEED)]
        )
        one_by_one = followers[:1] if feed == ARTICLE_FEED else followers
        for channel in one_by_one:
            subscribed = await store.subscribe(
                database,
                url=url,
                title=title,
                guild_id=channel.guild.id,
                channel_id=channel.id,
                include_words="",
                exclude_words="",
                created_by=channel.guild.owner_id,
                now=now,
                next_due_at=next_slot(url, now, interval),
                existing_items=items,
                route=lambda item, sub: None,
                backfill=0,
            )
            assert subscribed is not None
            written += 1
            feed_id = subscribed.feed_id
        rest = followers[len(one_by_one) :]
        async with database.transaction() as tx:
            await tx.executemany(
                FOLLOW_SQL,
                [(feed_id, c.guild.id, c.id, c.guild.owner_id, to_text(now), PLAIN.kind) for c in rest],
            )
        written += len(rest)
    return written


async def optional_rows(database: Database, sql: str, params: Sequence[object] = ()) -> list[dict[str, object]]:
    """Rows of a cluster table, or none while the table is not there yet (the harness predates some pieces)."""
    try:
        return [dict(zip(r.keys(), tuple(r), strict=True)) for r in await database.fetchall(sql, params)]
    except Exception as exc:  # a missing table or column: report, do not stop
        log.debug("no rows for %s: %s", sql, exc)
        return []


async def sample_rss(nodes: Sequence[Node], stop: asyncio.Event) -> None:
    """Every second: each live process's resident size and its parser workers' (kept: the maximum)."""
    while not stop.is_set():
        for node in nodes:
            if node.bot.process is not None and node.bot.process.returncode is None:
                node.rss_max = max(node.rss_max, rss_bytes(node.pid))
                node.workers_max = max(node.workers_max, sum(rss_bytes(p) for p in descendants(node.pid)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def start_cluster(fd: FakeDiscord, database: Database, nodes: Sequence[Node], opts: Options) -> float:
    """Start every process; return (fakediscord's clock) once every shard is connected and, when the processes
    write ``cluster_members`` rows, each row says its shard is connected."""
    await asyncio.gather(*(n.bot.start(ready_timeout=300) for n in nodes))
    for node in nodes:
        node.pid = node.bot.pid
    want = set(range(opts.processes))
    async with asyncio.timeout(300):
        while connected_shards(fd) != want:
            for node in nodes:
                if node.bot.process is not None and node.bot.process.returncode is not None:
                    raise RuntimeError(f"process {node.index} exited: {node.bot.logs()[-3000:]}")
            await asyncio.sleep(0.2)
    members_seen = False
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(30):
            while True:
                rows = await optional_rows(database, "SELECT node_id, pid, shards_connected FROM cluster_members")
                by_pid = {int(str(r["pid"])): r for r in rows}
                if all(n.pid in by_pid and str(n.index) in str(by_pid[n.pid]["shards_connected"]) for n in nodes):
                    for node in nodes:
                        node.node_id = str(by_pid[node.pid]["node_id"])
                    members_seen = True
                    break
                await asyncio.sleep(0.5)
    if not members_seen:
        log.warning("no cluster_members row for every process after 30 s; going on without")
    for node in nodes:
        node.rss_ready = rss_bytes(node.pid)
    return fd.clock.now()


async def outbox_settled(database: Database) -> dict[str, int]:
    return await store.delivery_counts(database)


async def run(opts: Options, workdir: Path) -> tuple[list[Table], list[str]]:
    async with (
        throwaway_postgres(max_connections=40 + 15 * opts.processes) as dsn,
        FakeDiscord() as fd,
        CountingFarm() as farm,
    ):
        fd.ratelimits.session_starts.max_concurrency = opts.processes
        global_hits = GlobalLimitHits(fd)
        tally = Tally(fd)
        built = time.monotonic()
        channels = sharded_news_channels(fd, opts.servers, opts.processes)
        world_s = time.monotonic() - built
        async with await Database.open(dsn) as database:
            started = time.monotonic()
            subscriptions = await seed(database, farm, channels, opts)
            seed_s = time.monotonic() - started
            log.info("world %.1f s, %d subscriptions seeded in %.1f s", world_s, subscriptions, seed_s)
            path = os.pathsep.join([str(SITE), python_env()["PYTHONPATH"]])
            settings = {
                "DATABASE_URL": dsn,
                "SHARD_COUNT": str(opts.processes),
                "FEED_POLL_INTERVAL": str(opts.interval),
                "LEASE_SECONDS": str(opts.lease),
                "PYTHONPATH": path,
            }
            nodes = [
                Node(i, BotProcess(fd, workdir / "unused.db", workdir, name=f"node{i}", SHARD_IDS=str(i), **settings))
                for i in range(opts.processes)
            ]
            started = time.monotonic()
            stop_sampling = asyncio.Event()
            sampler: asyncio.Task[None] | None = None
            t = Timeline()
            try:
                t.ready = await start_cluster(fd, database, nodes, opts)
                log.info("every shard connected %.1f s after the processes started", time.monotonic() - started)
                sampler = asyncio.create_task(sample_rss(nodes, stop_sampling))
                t.observe_from = t.ready + 15.0  # start-up's catch-up polls are over by then
                await publish(fd, farm, opts, t)
                log.info("article published")
                victim = await kill_during_fan_out(fd, database, tally, nodes, opts, t)
                log.info("process %d killed, %d posts out; it held %d channel leases", victim.node.index,
                         tally.channels_posted(), len(victim.channels))  # fmt: skip
                await until_done(fd, database, tally, channels, opts, t)
                log.info("done %.1f s after publish", t.done - t.published)
                states = await outbox_settled(database)
            finally:
                for node in nodes:
                    node.exit_code = await node.bot.stop()
                stop_sampling.set()
                if sampler is not None:
                    await sampler
    tally.update()
    lost, duplicated = lost_and_duplicated(fd, channels)
    return report(opts, fd, farm, tally, nodes, victim, t, lost, duplicated, states, global_hits, channels)


async def publish(fd: FakeDiscord, farm: CountingFarm, opts: Options, t: Timeline) -> None:
    """One new article in the big feed, two seconds before its next poll slot after the observation starts."""
    interval = timedelta(seconds=opts.interval)
    wall_minus_mono = time.time() - time.monotonic()
    not_before = datetime.fromtimestamp(max(t.observe_from, fd.clock.now() + 5) + 2 + wall_minus_mono, UTC)
    slot = next_slot(farm.url(ARTICLE_FEED), not_before, interval).timestamp() - wall_minus_mono
    await asyncio.sleep(max(0.0, slot - 2 - time.monotonic()))
    farm.add_news(ARTICLE_FEED)
    t.published = fd.clock.now()


async def kill_during_fan_out(
    fd: FakeDiscord, database: Database, tally: Tally, nodes: Sequence[Node], opts: Options, t: Timeline
) -> Victim:
    """SIGKILL one process once ``kill_at`` of the posts are out; note the channels it held at that moment."""
    threshold = max(1, round(opts.servers * opts.kill_at))
    async with asyncio.timeout(opts.interval * 3 + opts.servers):
        while tally.channels_posted() < threshold:  # noqa: ASYNC110 - the ledger has no signal of its own
            await asyncio.sleep(0.05)
    by_pid = Counter(p.pid for p in tally.created())
    node = nodes[opts.victim] if opts.victim is not None else max(nodes, key=lambda n: by_pid[n.pid])
    node.bot.kill_now()
    t.killed = fd.clock.now()
    await node.bot.reap()
    # What it held: nothing changes these rows any more, so reading them after the kill is exact.
    pattern = f"%:{node.pid}:%"  # bot.node.Node ids are host:pid:random, whichever part of the bot made one
    held = await optional_rows(
        database, "SELECT channel_id FROM channel_leases WHERE owner LIKE ? AND lease_until IS NOT NULL", (pattern,)
    )
    feeds = await optional_rows(
        database, "SELECT id FROM feeds WHERE lease_owner LIKE ? AND lease_until IS NOT NULL", (pattern,)
    )
    leader = await optional_rows(database, "SELECT pid FROM cluster_members WHERE leader_since IS NOT NULL")
    return Victim(
        node,
        posts_before=by_pid[node.pid],
        channels={int(str(r["channel_id"])) for r in held},
        feeds={int(str(r["id"])) for r in feeds},
        was_leader=any(int(str(r["pid"])) == node.pid for r in leader),
    )


@dataclass
class Victim:
    node: Node
    posts_before: int
    channels: set[int]  # channel leases it held at the kill
    feeds: set[int]  # feed leases it held at the kill
    was_leader: bool


async def until_done(
    fd: FakeDiscord, database: Database, tally: Tally, channels: Sequence[Channel], opts: Options, t: Timeline
) -> None:
    """Until every channel has its post and nothing is pending, then on to the end of a whole poll interval."""
    wanted = {c.id for c in channels}
    floor = opts.servers / 50
    patience = max(300.0, 4 * floor)
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        tally.update()
        if wanted <= tally.first.keys():
            counts = await outbox_settled(database)
            if not counts.get("pending"):
                break
        await asyncio.sleep(0.5)
    else:
        t.notes.append(f"MISS: a channel without its post or a pending delivery {patience:.0f} s after the kill.")
    t.done = fd.clock.now()
    # At least two whole intervals of fetches after the observation starts (one row of the table).
    await asyncio.sleep(max(0.0, t.observe_from + 2 * opts.interval + 1 - fd.clock.now()))
    t.observed_to = fd.clock.now()


def _rate(posts: Sequence[Post], start: float, end: float) -> float:
    return sum(1 for p in posts if start <= p.time < end) / (end - start)


def takeover_rows(
    victim: Victim, posts: Sequence[Post], farm: CountingFarm, t: Timeline, lease: int
) -> list[list[object]]:
    """How the survivors took over what the killed process held: its channel leases, its feed leases, its share
    of the global budget."""
    own = [p for p in posts if p.pid == victim.node.pid]
    rows: list[list[object]] = []
    if own:
        rows.append(["killed process's last post, before the kill", f"{t.killed - max(p.time for p in own):.2f} s"])
    posted_before = {p.channel for p in posts if p.time <= t.killed}
    orphans = victim.channels - posted_before
    rows.append(["channels whose lease it held at the kill, without their post yet", len(orphans)])
    if orphans:
        others = [p for p in posts if p.time > t.killed and p.pid != victim.node.pid]
        first_by_channel: dict[int, float] = {}
        for p in others:
            first_by_channel.setdefault(p.channel, p.time)
        firsts = [first_by_channel.get(c) for c in orphans]
        served = [f for f in firsts if f is not None]
        if served:
            taken = min(served) - t.killed
            rows.append(["**takeover: kill to the first post into one of them**", f"**{taken:.1f} s**"])
            rows.append(["kill to the last of them posted", f"{max(served) - t.killed:.1f} s"])
        rows.append(["of them never posted", len(firsts) - len(served)])
        rows.append([f"bound: two lease periods (LEASE_SECONDS={lease})", f"{2 * lease} s"])
    for feed in sorted(victim.feeds):
        after = [f for f in farm.fetches.get(feed, []) if f > t.killed]
        next_fetch = f"{after[0] - t.killed:.1f} s" if after else "none"
        rows.append([f"feed {feed} (leased by it at the kill): its next fetch after the kill", next_fetch])
    fan_out_from = min((p.time for p in posts if p.time >= t.published), default=t.killed - 10)
    since = max(t.killed - 10, fan_out_from)
    before = _rate(posts, since, t.killed) if since < t.killed else 0.0
    recovered = next(
        (s for s in range(120) if _rate(posts, t.killed + s, t.killed + s + 5) >= 0.95 * before),
        None,
    )
    rows.append([f"cluster posts per second in the {t.killed - since:.0f} s before the kill", f"{before:.1f}"])
    rows.append(["in the 5 s after the kill", f"{_rate(posts, t.killed, t.killed + 5):.1f}"])
    rows.append(
        [
            "kill to the first 5-s window back at ≥ 95 % of that rate",
            "never (fan-out ended first)" if recovered is None else f"{recovered} s",
        ]
    )
    return rows


def report(
    opts: Options,
    fd: FakeDiscord,
    farm: CountingFarm,
    tally: Tally,
    nodes: Sequence[Node],
    victim: Victim,
    t: Timeline,
    lost: int,
    duplicated: int,
    states: dict[str, int],
    global_hits: GlobalLimitHits,
    channels: Sequence[Channel],
) -> tuple[list[Table], list[str]]:
    wanted = {c.id for c in channels}
    posts = [p for p in tally.created() if p.channel in wanted and p.time >= t.published]
    answered = [p for p in tally.posts if p.channel in wanted]
    floor = opts.servers / 50
    own_floor = opts.servers * GLOBAL_GAP
    first, last = posts[0].time, posts[-1].time
    fan_out = last - t.published
    fetched = min((f for f in farm.fetches.get(ARTICLE_FEED, []) if f >= t.published), default=float("nan"))
    urls = {feed: farm.url(feed) for feed in range(opts.feeds)}
    intervals = fetch_intervals(farm, urls, opts.interval, t.observe_from, t.observed_to)
    every = [n for row in intervals for n in row.counts]
    zero, many = sum(1 for n in every if n == 0), sum(1 for n in every if n > 1)
    all_429 = sum(1 for e in fd.ledger if e.status == 429)
    rss = [n.rss_max for n in nodes]
    leader = ", the leader" if victim.was_leader else ""
    out_at_kill = sum(1 for p in posts if p.time <= t.killed)
    killed = f"{victim.node.index} (shard {victim.node.index}{leader}), {victim.posts_before} of its posts and "
    killed += f"{out_at_kill} in all out"
    summary = Table.of(
        ["figure", "value", "target"],
        [
            ["processes × servers (one shard each)", f"{opts.processes} × {opts.servers // opts.processes:,}", ""],
            ["feeds (poll interval)", f"{opts.feeds} ({opts.interval} s)", ""],
            [
                "**fetches per feed per interval** (min / median / max over feeds × intervals)",
                f"**{min(every)} / {percentile(every, 0.5):.0f} / {max(every)}**" if every else "no whole interval",
                "exactly 1",
            ],
            ["feed-intervals fetched 0 times / more than once", f"{zero} / {many} of {len(every)}", "0 / 0"],
            ["**posts lost / duplicated**", f"**{lost} / {duplicated}**", "0 / 0"],
            ["outbox at the end", ", ".join(f"{k}: {v}" for k, v in sorted(states.items())), ""],
            [
                "message requests: answered 200 / beyond one per channel / 429",
                f"{sum(1 for p in answered if p.status == 200)} / "
                f"{sum(1 for p in answered if p.status == 200) - len(posts)} / "
                f"{sum(1 for p in answered if p.status == 429)}",
                "",
            ],
            ["**publish to last post**", f"**{last - t.published:.1f} s**", ""],
            [
                f"**ratio to the floor of the global limit** (N / 50 = {floor:.0f} s)",
                f"**{fan_out / floor:.2f}×**",
                "≤ 1.3×",
            ],
            [
                "first post to last post (ratio to the floor)",
                f"{last - first:.1f} s ({(last - first) / floor:.2f}×)",
                "",
            ],
            [
                f"ratio to the senders' own pacing (N / {1 / GLOBAL_GAP:.0f} = {own_floor:.0f} s)",
                f"{fan_out / own_floor:.2f}×",
                "",
            ],
            ["**global 429s** (all 429s)", f"**{len(global_hits.times)}** ({all_429})", "0"],
            ["resident size per process, max (min–max over processes)", f"{mib(min(rss))}–{mib(max(rss))} MiB", ""],
            ["process SIGKILLed", killed, ""],
        ],
    )
    timeline = Table.of(
        ["moment", "after publish"],
        [
            ["article published (2 s before the feed's slot)", "0.0 s"],
            ["article's feed fetched", f"{fetched - t.published:.1f} s"],
            ["first post", f"{first - t.published:.1f} s"],
            ["process SIGKILLed", f"{t.killed - t.published:.1f} s"],
            ["last post", f"{last - t.published:.1f} s"],
        ],
        "Timeline",
    )
    takeover = Table.of(["figure", "value"], takeover_rows(victim, posts, farm, t, opts.lease), "Takeover")
    half = opts.interval / 2
    per_interval = Table.of(
        ["interval (its slots, after publish)", "min", "median", "max", "fetched 0 times", "more than once", "events"],
        [
            [
                f"{row.start + half - t.published:+.0f} … {row.start + half + opts.interval - t.published:+.0f} s",
                *row.summary,
                ", ".join(
                    name
                    for name, when in (("publish", t.published), ("kill", t.killed))
                    if row.start + half <= when < row.start + half + opts.interval
                ),
            ]
            for row in intervals
        ],
        f"Fetches per feed in each poll interval ({opts.feeds} feeds, all processes together)",
    )
    by_pid = Counter(p.pid for p in posts)
    before_kill = Counter(p.pid for p in posts if p.time <= t.killed)
    processes = Table.of(
        ["process", "pid", "posts before the kill", "posts", "RSS at ready", "RSS max", "parser workers max", "exit"],
        [
            [
                f"{n.index} (shard {n.index}){' killed' if n is victim.node else ''}",
                n.pid,
                before_kill[n.pid],
                by_pid[n.pid],
                f"{mib(n.rss_ready)} MiB",
                f"{mib(n.rss_max)} MiB",
                f"{mib(n.workers_max)} MiB",
                n.exit_code,
            ]
            for n in nodes
        ],
        "Per process",
    )
    notes = measurement_notes(opts) + t.notes
    if by_pid.get(0):
        notes.append(f"{by_pid[0]} posts carried no process tag (sent by something other than python -m bot).")
    if lost or duplicated:
        notes.append(f"MISS: {lost} lost and {duplicated} duplicated posts.")
    if global_hits.times:
        notes.append(f"MISS: {len(global_hits.times)} global 429s: the cluster went over one token's budget.")
    return [summary, timeline, takeover, per_interval, processes], notes


def measurement_notes(opts: Options) -> list[str]:
    return [
        "How each figure is measured. Fetches: the feed farm records every request per feed; each feed's fetches are "
        "counted within half an interval either side of each of its poll slots (bot.feeds.schedule: a fixed "
        "offset per URL), for every whole interval from 15 s after the cluster was ready to the end.",
        "Lost and duplicated: fakediscord's messages with an embed by the bot, per channel, at the end (0 = lost, "
        "each beyond the first = duplicated). Fan-out time: fakediscord's ledger, from the moment the article was "
        "published on the feed server to the last successful message request; the floor is N / 50 s, Discord's "
        "global limit for one token, which all processes share.",
        "Takeover: each bot process's requests carry its pid in the User-Agent (bench/cluster_site, loaded only in "
        "the bot processes), so the ledger tells who posted. Right after the SIGKILL the benchmark reads the channel "
        "leases (channel_leases) and feed leases the killed process held; those rows can no longer change, so the "
        "snapshot is exact. Takeover time = kill to the first post by another process into one of those channels "
        "that had no post yet. The rate rows show the global budget's share: until the dead member's heartbeat is "
        "older than a lease period the survivors still leave room for it.",
        "Resident size: VmRSS of each python -m bot from /proc every second (maximum), its parser workers apart.",
        f"Settings: SHARD_COUNT={opts.processes}, SHARD_IDS=i per process, FEED_POLL_INTERVAL={opts.interval}, "
        f"LEASE_SECONDS={opts.lease}; fakediscord's session-start max_concurrency = {opts.processes} (each shard "
        "its own identify bucket, so the shards identify at once instead of 5 s apart).",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=10_000, help="servers, one news channel each (default 10000)")
    parser.add_argument("--feeds", type=int, default=500, help="feeds (default 500)")
    parser.add_argument("--processes", type=int, default=4, help="bot processes, one shard each (default 4)")
    parser.add_argument("--interval", type=int, default=60, help="FEED_POLL_INTERVAL, seconds (default 60)")
    parser.add_argument("--lease", type=int, default=10, help="LEASE_SECONDS (default 10)")
    parser.add_argument("--kill-at", type=float, default=0.25, help="share of the posts out at the kill (0.25)")
    parser.add_argument("--victim", type=int, default=None, help="process to kill (default: the busiest)")
    parser.add_argument("--quick", action="store_true", help="400 servers, 50 feeds")
    args = parser.parse_args()
    servers, feeds = (400, 50) if args.quick else (args.servers, args.feeds)
    opts = Options(servers, feeds, args.processes, args.interval, args.lease, args.kill_at, args.victim)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    log.setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="marquee-cluster-") as workdir:
        tables, notes = asyncio.run(run(opts, Path(workdir)))
    title = (
        f"Cluster: {opts.processes} processes × {servers // opts.processes:,} servers on PostgreSQL, {feeds} feeds, "
        f"one article to {servers:,} channels, one process SIGKILLed during the fan-out."
    )
    write_results("cluster", title, tables, notes)


if __name__ == "__main__":
    main()
