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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from botprocess import BotProcess
from clusterreport import ARTICLE_FEED, Node, Options, Timeline, Victim, report
from clusterworld import CountingFarm, GlobalLimitHits, Tally, sharded_news_channels
from clusterworld import shards_connected as connected_shards
from fanworld import lost_and_duplicated
from internals import to_new_item
from pgserver import throwaway_postgres
from process import descendants, python_env, rss_bytes
from report import Table, write_results

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
FOLLOWERS_PER_FEED = 3  # servers following each of the other feeds


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
            stop_sampling = asyncio.Event()
            sampler: asyncio.Task[None] | None = None
            t = Timeline(seeded=f"{subscriptions:,} in {seed_s:.1f} s")
            try:
                t.started = fd.clock.now()
                t.ready = await start_cluster(fd, database, nodes, opts)
                log.info("every shard connected %.1f s after the processes started", t.ready - t.started)
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
