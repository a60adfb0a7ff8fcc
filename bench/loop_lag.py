"""Event-loop lag in the bot while it polls 1,000 local feeds, 4 MB feeds and hostile ones included.

A probe in the bot's process sleeps 5 ms over and over and records how late it wakes up: the time any
command, heartbeat or interaction would have waited for the loop. The same probe over the same span with the
bot idle is the baseline. Targets (issue 7): p99 under 20 ms, max under 100 ms.

Run: ``python bench/loop_lag.py`` (1,000 feeds) or ``python bench/loop_lag.py --quick`` (200 feeds).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
from pathlib import Path
from typing import Any

from botprocess import BotProcess
from feedfarm import FeedFarm, big_document, choose
from report import Table, ms, write_results
from seeding import seed_subscriptions

from fakediscord.feeds import HOSTILE_PATHS, FeedServer
from fakediscord.server import FakeDiscord

FOUND = [
    "Found and fixed by this benchmark: cleaning and keying a 4 MB feed's items ran on the event loop and stalled "
    "the bot for up to 3,058 ms (max lag, --quick run); they now run in the parser worker with the parse, in one "
    "trip (commits 901009c, b0e9e24; tests/bot/feeds/test_watcher.py checks the loop never does it).",
    "Found and fixed: with 1,000 feeds, parses queued behind a 4 MB one counted their wait against their 10 s "
    "budget; the overrun replaced the worker pool, which cancelled the queued parses, and the CancelledError "
    "ended the poll (in the running bot: its poll loop, for good). Work is now handed to a worker only when one "
    "is free (commit 3d38e24; tests/bot/feeds/test_parse.py).",
    "What is left on the loop for a 4 MB feed is mostly unpickling its cleaned items (about 80 ms for an archive "
    "of 3,800 items on this machine, measured apart): most of the on-CPU maximum in the table.",
]
P99_TARGET = 0.020
MAX_TARGET = 0.100
BIG_BYTES = 4 * 1024 * 1024


def verdict(lag: dict[str, Any]) -> str:
    misses = []
    if lag["p99"] >= P99_TARGET:
        misses.append("p99 ≥ 20 ms")
    if lag["max"] >= MAX_TARGET:
        misses.append("max ≥ 100 ms")
    return "met" if not misses else "MISS: " + ", ".join(misses)


async def run(feeds: int, big: int, hosts: int, latency: float, idle: float, quick: bool) -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="marquee-bench-") as tmp:
        workdir = Path(tmp)
        database = workdir / "marquee.db"
        async with FakeDiscord() as fd, FeedFarm(hosts, latency) as farm, FeedServer() as hostile:
            channels = []
            for g in range(10):
                guild = fd.add_guild(f"Fan server {g}")
                channels += [(guild.id, fd.add_channel(guild, f"news-{c}").id) for c in range(10)]
            plain = feeds - big - len(HOSTILE_PATHS)
            for i in range(plain):
                farm.add_news(i)
            for j in range(big):
                farm.put(plain + j, big_document(plain + j, BIG_BYTES, full_text=bool(j % 2)))
            farmed = [(farm.url(i), farm.body(i)) for i in range(plain + big)]
            bad: list[tuple[str, bytes | None]] = [(hostile.url(path), None) for path in HOSTILE_PATHS]
            print(f"seeding {feeds} subscriptions …", flush=True)
            await seed_subscriptions(database, farmed + bad, channels, fd.owner.id)
            table = Table(
                f"Event-loop lag in the bot: {feeds} feeds ({big} of 4 MB, {len(HOSTILE_PATHS)} hostile)",
                [
                    *("phase", "wall s", "samples", "p50 ms", "p99 ms", "max ms", "p99 / idle p99", "target"),
                    *("on-CPU p99 ms", "on-CPU max ms"),
                ],
            )
            async with BotProcess(fd, database, workdir, driven=True, FEED_POLL_INTERVAL="86400") as bot:
                baseline = await bot.ask(f"idle {idle}")
                base = baseline["lag"]
                table.add(
                    "idle (baseline)",
                    f"{idle:.1f}",
                    base["n"],
                    ms(base["p50"]),
                    ms(base["p99"]),
                    ms(base["max"]),
                    "1.0",
                    verdict(base),
                    ms(base["cpu_p99"]),
                    ms(base["cpu_max"]),
                )
                cycles: list[dict[str, Any]] = []
                phases = ["first cycle: every feed read and parsed", "steady cycle: 80 % answer 304"]
                for name in phases[: 1 if quick else 2]:
                    if cycles:
                        farm.change(choose(rng, range(plain), 0.2))
                    farm.reset_stats()
                    result = await bot.ask("cycle")
                    result["farm"] = dict(farm.stats.statuses)
                    cycles.append(result)
                    lag = result["lag"]
                    table.add(
                        name,
                        f"{result['wall']:.1f}",
                        lag["n"],
                        ms(lag["p50"]),
                        ms(lag["p99"]),
                        ms(lag["max"]),
                        f"{lag['p99'] / max(base['p99'], 1e-6):.1f}",
                        verdict(lag),
                        ms(lag["cpu_p99"]),
                        ms(lag["cpu_max"]),
                    )
                    print(table.rows[-1], flush=True)
    answers = [", ".join(f"{k}: {v}" for k, v in sorted(c["farm"].items())) for c in cycles]
    write_results(
        "loop_lag",
        "Benchmark 2 of issue 7: how late the bot's event loop runs while it polls every feed at once.",
        [table],
        [
            f"{plain} ordinary feeds (20 items, about 10 kB) and {big} feeds of 4 MB (half long archives of short "
            "items, half 40 full-text items) on a local farm of "
            f"{hosts} loopback hosts with {latency * 1000:.0f} ms per answer, plus fakediscord's hostile feeds "
            f"({', '.join(HOSTILE_PATHS)}).",
            "The probe sleeps 5 ms in a loop inside the bot's process and records how late each wake-up is; the "
            "baseline is the same probe with the bot connected and idle.",
            "The farm's answers by HTTP status, per cycle: " + "; ".join(answers) + ".",
            "On-CPU lag counts, for each late wake-up, no more than the CPU time the bot's process used meanwhile "
            "(all its threads): the part of the lag the bot itself could have caused. The rest is the machine "
            "not running the process (2 shared cores; other benchmarks ran alongside).",
            "The cycle's wall time is bounded by the trickling feed, which the fetcher gives up on after 20 s.",
            *FOUND,
        ],
    )


def main() -> None:
    # The hostile feeds hang up on purpose; aiohttp's server would print each hang-up's traceback.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--big", type=int, default=4, help="feeds of 4 MB among them")
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each feed answer is held back")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle baseline")
    parser.add_argument("--quick", action="store_true", help="200 feeds, 2 of 4 MB, 5 s of baseline, no steady cycle")
    args = parser.parse_args()
    if args.quick:
        args.feeds, args.big, args.idle = min(args.feeds, 200), min(args.big, 2), min(args.idle, 5.0)
    asyncio.run(run(args.feeds, args.big, args.hosts, args.latency, args.idle, args.quick))


if __name__ == "__main__":
    main()
