"""What ``bench/cluster.py`` records about its run (the processes, the moments, the killed one) and the tables it
reports: the figures against their targets, the timeline, the takeover, fetches per interval, each process."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from botprocess import BotProcess
from clusterworld import CountingFarm, GlobalLimitHits, Post, Tally, fetch_intervals
from internals import GLOBAL_GAP
from report import ROOT, Table, mib, percentile

from fakediscord.server import FakeDiscord
from fakediscord.world import Channel

ARTICLE_FEED = 0  # the feed every channel follows, where the article is published


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
    seeded: str = ""  # what seeding wrote and how long it took
    started: float = 0.0  # the processes were started
    ready: float = 0.0  # every shard connected (and every member's heartbeat seen, when they write one)
    observe_from: float = 0.0  # fetches are counted per interval from here
    published: float = 0.0
    killed: float = 0.0
    done: float = 0.0  # every channel has its post and nothing is pending
    observed_to: float = 0.0  # fetches are counted per interval until here
    notes: list[str] = field(default_factory=list)


@dataclass
class Victim:
    node: Node
    posts_before: int
    channels: set[int]  # channel leases it held at the kill
    feeds: set[int]  # feed leases it held at the kill
    was_leader: bool


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
    rows.append(["… with their post made, not yet recorded as sent", len(victim.channels & posted_before)])
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
            ["subscriptions seeded before start", t.seeded, ""],
            ["processes started to every shard connected and in cluster_members", f"{t.ready - t.started:.1f} s", ""],
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


def checkout() -> str:
    """The commit of the Marquee under test (this checkout), and whether it held changes beyond it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no", "--", "bot", "db", "cogs")
    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes in bot/, db/ or cogs/" if changed else "")


def measurement_notes(opts: Options) -> list[str]:
    return [
        f"Marquee at commit {checkout()}.",
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
