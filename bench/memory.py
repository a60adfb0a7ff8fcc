"""Memory: the bot's resident size after READY with 1,000 guilds × 30 channels, and its growth under steady use.

The bot runs in its own process against fakediscord; its resident size (``VmRSS``) and that of its feed-parser
workers are read from /proc. The baseline, in the same run, is the same bot after READY in one guild with one
channel. Then, for 30 minutes, fans run commands (a steady rate, every guild in turn) while the bot polls
feeds every minute, a tenth of which publish something new each minute (so posts go out too).

Run: ``python bench/memory.py`` (1,000 guilds × 30 channels, 30 minutes) or ``--quick`` (100 guilds, 20 s).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from botprocess import BotProcess
from feedfarm import FeedFarm, choose
from report import Table, mib, write_results
from seeding import seed_subscriptions

from fakediscord.server import FakeDiscord
from fakediscord.world import Channel, Guild, User

NAMES = ["Nam-ra", "Cheong-san", "On-jo", "Su-hyeok", "Gwi-nam", "Lomon", "최남라"]
FOUND = [
    "Found and fixed by this benchmark: every paged /cast or /recap answer left its view in discord.py's view "
    'store for the life of the bot (the "n of N" label was a plain button with a custom id); commit e97058f, '
    "checked by tests/cogs/test_show.py.",
    "Found and fixed in the benchmark itself: the harness's event-loop probe (a 5 ms sleep noting every wake-up, "
    "used by the lag benchmarks) ran inside the bot process for its whole life, keeping about 200 samples a "
    "second that this benchmark never collected: 5.6 MiB per 8 minutes of what earlier runs reported as the "
    "bot's growth (9.0 MiB in 8 minutes; 13.4 MiB in 30). It now runs only while lag is measured (commit 71ae3b2).",
    "What growth is left is not Python objects: allocator blocks and live objects end about where they began "
    "(the types that grow at all are discord.py's rate-limit buckets, one per channel posted to and evicted once "
    "256 are kept, and aiohttp's parts of the feed hosts' URLs), and handing back free heap (malloc_trim) and "
    "SQLite's page cache (capped at 2 MB a connection) returns part of the rest (table above).",
    "The part still held after that hand-back is outside Python's traced allocations: with --tracemalloc (200 "
    "guilds, 10 minutes, 1,200 commands) the traced memory of the bot fell by 1.2 MiB over the steady phase; what "
    "rose was 333 KiB spread over 283 call sites, the most per command about 43 bytes (the message discord.py "
    "builds from each interaction callback's answer). Arena fragmentation and SQLite's own memory beyond its page "
    "cache are what remain; which of the two is not established. Whether it levels off is what the longest run shows.",
]
SAMPLE_EVERY = 15.0
POLL_INTERVAL = 60


def world(fd: FakeDiscord, guilds: int, channels: int) -> tuple[list[Guild], User]:
    """``guilds`` fan servers of ``channels`` text channels each (``#general`` included), one fan in all."""
    fan = fd.add_user("fan")
    made = []
    for g in range(guilds):
        guild = fd.add_guild(f"Fan server {g}")
        for c in range(channels - 1):
            fd.add_channel(guild, f"talk-{c}")
        fd.add_member(guild, fan)
        made.append(guild)
    return made, fan


async def rss_after_ready(bot: BotProcess) -> tuple[int, int]:
    await asyncio.sleep(2.0)  # let start-up garbage be collected and the first heartbeats pass
    return bot.rss()


def command(fd: FakeDiscord, i: int, fan: User, channel: Channel) -> Coroutine[Any, Any, object]:
    """The i-th fan command of the steady phase: /cast, /recap, autocomplete or /news in turn."""
    match i % 4:
        case 0:
            return fd.invoke("cast", user=fan, in_channel=channel, name=NAMES[i % len(NAMES)])
        case 1:
            return fd.invoke("recap", user=fan, in_channel=channel, episode=i % 9 + 1, season=1)
        case 2:
            return fd.autocomplete("cast", "name", NAMES[i % len(NAMES)][:3], user=fan, in_channel=channel)
        case _:
            return fd.invoke("news", user=fan, in_channel=channel)


async def run(guilds: int, channels: int, minutes: float, rate: float, feeds: int, trace: Path | None) -> None:
    rng = random.Random(5)
    table = Table(
        "Resident size of the bot process (parser workers apart)",
        ["moment", "guilds × channels", "bot MiB", "parser workers MiB"],
    )
    with tempfile.TemporaryDirectory(prefix="marquee-bench-") as tmp:
        workdir = Path(tmp)
        async with FakeDiscord() as fd:
            world(fd, 1, 1)
            async with BotProcess(fd, workdir / "small.db", workdir, driven=True, name="small") as bot:
                small, small_workers = await rss_after_ready(bot)
            table.add("after READY (baseline)", "1 × 1", mib(small), mib(small_workers))
        async with FakeDiscord() as fd, FeedFarm(hosts=20, latency=0.05) as farm:
            print(f"building {guilds} guilds × {channels} channels …", flush=True)
            made, fan = world(fd, guilds, channels)
            for i in range(feeds):
                farm.add_news(i)
            targets = [(g.id, fd.general(g).id) for g in made]
            await seed_subscriptions(
                workdir / "big.db",
                [(farm.url(i), farm.body(i)) for i in range(feeds)],
                targets,
                fd.owner.id,
                first_due=timedelta(0),
            )
            env = {"FEED_POLL_INTERVAL": str(POLL_INTERVAL)}
            if trace is not None:
                env["PYTHONTRACEMALLOC"] = "12"
            started = time.perf_counter()
            async with BotProcess(fd, workdir / "big.db", workdir, driven=True, name="big", **env) as bot:
                ready_after = time.perf_counter() - started
                big, big_workers = await rss_after_ready(bot)
                table.add("after READY", f"{guilds} × {channels}", mib(big), mib(big_workers))
                before = await bot.ask("census")
                released_before = await bot.ask("release")
                if trace is not None:
                    await bot.ask(f"snapshot {trace}.start")
                samples: list[tuple[float, int, int]] = []
                tasks: set[asyncio.Task[object]] = set()
                steady_start = time.perf_counter()
                end = steady_start + minutes * 60
                next_sample = steady_start
                next_news = steady_start + POLL_INTERVAL
                i = 0
                while (now := time.perf_counter()) < end:
                    if now >= next_sample:
                        samples.append((now - steady_start, *bot.rss()))
                        next_sample += SAMPLE_EVERY
                    if now >= next_news:
                        farm.change(choose(rng, range(feeds), 0.1))
                        next_news += POLL_INTERVAL
                    guild = made[i % len(made)]
                    task = asyncio.create_task(command(fd, i, fan, fd.general(guild)))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                    i += 1
                    await asyncio.sleep(max(0.0, steady_start + i / rate - time.perf_counter()))
                samples.append((time.perf_counter() - steady_start, *bot.rss()))
                await asyncio.sleep(5.0)
                after = await bot.ask("census")
                if trace is not None:
                    await bot.ask(f"snapshot {trace}.end")
                released_after = await bot.ask("release")
                invoked = list(fd.interactions.values())
                answered = sum(1 for ix in invoked if ix.acknowledged)
                posts = len(fd.requests("POST", "/channels/*/messages"))
                polls = farm.stats.requests
    third = len(samples) // 3
    for label, (at, rss, workers) in (
        ("steady phase, start", samples[0]),
        ("steady phase, one third in", samples[third]),
        ("steady phase, two thirds in", samples[2 * third]),
        ("steady phase, end", samples[-1]),
    ):
        table.add(f"{label} ({at / 60:.1f} min)", f"{guilds} × {channels}", mib(rss), mib(workers))
    released = Table(
        "Resident size of the bot with what it keeps only for reuse handed back",
        [
            "moment",
            "bot MiB as measured",
            "after malloc_trim(0): free heap returned",
            "then SQLite's page cache emptied",
        ],
    )
    for label, step in (("steady phase, start", released_before), ("steady phase, end", released_after)):
        released.add(label, mib(step["rss"]), mib(step["after_trim"]), mib(step["after_sqlite"]))
    held_growth = released_after["after_sqlite"] - released_before["after_sqlite"]
    figures = Table("Memory figures", ["figure", "value"])
    figures.add(f"bot after READY, {guilds} × {channels} against 1 × 1", f"{big / small:.2f} ×")
    figures.add("bot per guild (30 channels) after READY", f"{(big - small) / guilds / 1024:.1f} KiB")
    total_growth = samples[-1][1] - samples[0][1]
    late_growth = samples[-1][1] - samples[third][1]
    late_span = (samples[-1][0] - samples[third][0]) / 3600
    figures.add(f"bot growth over the steady phase ({minutes:.3g} min)", f"{mib(total_growth)} MiB")
    figures.add(
        f"bot growth over the steady phase, both ends measured after handing back ({minutes:.3g} min)",
        f"{mib(held_growth)} MiB",
    )
    figures.add(
        "bot growth after the first third, per hour",
        f"{mib(late_growth / late_span) if late_span else '0'} MiB/h",
    )
    figures.add(
        "median bot RSS over the last third", f"{mib(statistics.median(s[1] for s in samples[2 * third :]))} MiB"
    )
    figures.add("fan commands sent / answered", f"{len(invoked)} / {answered}")
    figures.add("feed requests / news posts sent", f"{polls} / {posts}")
    kept = after["objects"] - before["objects"]
    figures.add(
        "live Python objects in the bot, start → end of the steady phase",
        f"{before['objects']:,} → {after['objects']:,} ({kept:+,}, {kept / max(1, len(invoked)):+.2f} a command)",
    )
    figures.add("Python allocator blocks in use, start → end", f"{before['blocks']:,} → {after['blocks']:,}")
    growers = Table(
        "Object types whose count grew most over the steady phase (after a full garbage collection)",
        ["type", "start", "end", "change"],
    )
    start_counts, end_counts = before["by_type"], after["by_type"]
    changes = {name: end_counts.get(name, 0) - start_counts.get(name, 0) for name in {*start_counts, *end_counts}}
    for name, change in sorted(changes.items(), key=lambda kv: -kv[1])[:8]:
        growers.add(name, f"{start_counts.get(name, 0):,}", f"{end_counts.get(name, 0):,}", f"{change:+,}")
    write_results(
        "memory",
        "Benchmark 5 of issue 7: the bot's resident size after READY, and its growth under steady commands and "
        "polling.",
        [table, released, figures, growers],
        [
            f"READY with {guilds} guilds took {ready_after:.1f} s from process start (including Python's start-up).",
            f"Steady phase: {rate:g} fan commands a second (/cast, /recap, autocomplete, /news in turn, each in "
            f"the next guild), {feeds} feeds polled every {POLL_INTERVAL} s with a tenth of them publishing one new "
            "item a minute, posted to the subscribed #general channels.",
            "Resident size is VmRSS from /proc, sampled every "
            f"{SAMPLE_EVERY:.0f} s; parser workers are the feed watcher's two worker processes, counted apart "
            "because they are separate processes with their own memory limit.",
            "Growth after the first third leaves out warm-up (caches filling, the first parses); a leak shows as "
            "growth that keeps its pace through the last two thirds.",
            *FOUND,
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the steady phase")
    parser.add_argument("--rate", type=float, default=2.0, help="fan commands a second in the steady phase")
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument(
        "--tracemalloc",
        type=Path,
        metavar="PATH",
        help="trace the bot's allocations; dump snapshots to PATH.start and PATH.end (slows the bot; for diagnosis)",
    )
    parser.add_argument("--quick", action="store_true", help="100 guilds × 30 channels, 20 s of steady use")
    args = parser.parse_args()
    if args.quick:
        args.guilds, args.minutes = min(args.guilds, 100), min(args.minutes, 1 / 3)
    trace = None if args.tracemalloc is None else args.tracemalloc.resolve()  # the bot runs in a temporary directory
    asyncio.run(run(args.guilds, args.channels, args.minutes, args.rate, args.feeds, trace))


if __name__ == "__main__":
    main()
