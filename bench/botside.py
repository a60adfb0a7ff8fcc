"""The driven bot: runs inside the bot's own process, started by ``BotProcess(..., driven=True)``, not by hand.

It starts the bot exactly as ``python -m bot`` does (``bot.runner.running_bot``), says ``{"event": "ready"}`` on
stdout, then takes one command per line on stdin and answers each with one JSON object per line:

- ``idle SECONDS``: event-loop lag with the bot doing nothing (``{"lag": …}``);
- ``cycle``: every feed polled at once, to the end, with the lag meanwhile (``{"wall", "passes", "statuses",
  "queued", "lag"}``);
- ``drain``: the outbox sent until nothing is due (``{"sent": n}``);
- ``census``: live Python objects by type; ``release``: resident size before and after handing back free heap
  and SQLite's cache; ``snapshot PATH``: a tracemalloc dump (only when started with ``PYTHONTRACEMALLOC``);
- ``quit``.

With ``BENCH_NOOP=1`` and ``DEV_GUILD_ID`` set, a ``/noop`` command that answers at once is added to that guild.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import logging
import os
import signal
import sys
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import feedfarm  # noqa: F401  (see the note below)
from process import rss_bytes
from report import percentile

if TYPE_CHECKING:
    from bot.bot import Marquee
    from db import Database

# What this module imports at its top is loaded into the bot's process and, because the parser workers are spawned
# and re-import this script, into every worker too, so it counts in bench/memory.py's figures. Before the harness
# was split, the driven bot and the feed farm shared one module: ``feedfarm`` (aiohttp's server and a few standard
# modules, about 1.5 MiB and 4,800 objects) is imported to keep that footprint and so every published figure;
# dropping it lowers memory.py's "bot MiB" by about 2 MiB and moves its baseline, so do it as a change of its own.
# Marquee's own modules are imported where they are used, as before, not here.

JSONDict = dict[str, Any]


class LagProbe:
    """Measures event-loop lag: how late a short sleep wakes up, sampled continuously.

    Each sample also notes the CPU time the process used meanwhile: on a shared machine a late wake-up may
    only mean the process was not scheduled, and the lag the bot's own code caused is at most that CPU time.

    It runs only while a benchmark measures lag (``idle`` and ``cycle``): left running, its ~200 samples a
    second are memory the bot process gains without the bot doing anything, which ``bench/memory.py`` once
    counted as the bot's own growth (5.6 MiB in 8 minutes).
    """

    INTERVAL = 0.005

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.on_cpu: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lag-probe")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            started, cpu = time.perf_counter(), time.process_time()
            await asyncio.sleep(self.INTERVAL)
            lag = time.perf_counter() - started - self.INTERVAL
            self.samples.append(lag)
            self.on_cpu.append(max(0.0, min(lag, time.process_time() - cpu)))

    def take(self) -> tuple[list[float], list[float]]:
        taken = self.samples, self.on_cpu
        self.samples, self.on_cpu = [], []
        return taken


def lag_summary(taken: tuple[list[float], list[float]]) -> JSONDict:
    samples, on_cpu = taken
    return {
        "n": len(samples),
        "p50": percentile(samples, 0.5),
        "p99": percentile(samples, 0.99),
        "max": max(samples, default=0.0),
        "cpu_p99": percentile(on_cpu, 0.99),
        "cpu_max": max(on_cpu, default=0.0),
    }


async def poll_cycle(bot: Marquee) -> JSONDict:
    """Every feed due at once, polled to the end as the watcher's loop would (100 due feeds per pass)."""
    from internals import feeds_of

    feeds = feeds_of(bot)
    started = time.perf_counter()
    statuses: Counter[str] = Counter()
    passes = 0
    queued = 0
    outcomes = await feeds.poll_once(everything=True)
    while outcomes:
        passes += 1
        for outcome in outcomes:
            statuses[str(outcome.status)] += 1
            queued += outcome.queued
        outcomes = await feeds.poll_once()
    return {"wall": time.perf_counter() - started, "passes": passes, "statuses": dict(statuses), "queued": queued}


async def drain(bot: Marquee) -> JSONDict:
    """Send what the outbox holds until nothing is due."""
    from internals import feeds_of

    feeds = feeds_of(bot)
    sent = 0
    while (count := await feeds.send_due()) > 0:
        sent += count
    return {"sent": sent}


async def add_noop(bot: Marquee, guild_id: int) -> None:
    """A ``/noop`` command that answers at once: the interaction benchmark's baseline."""
    import discord
    from discord import app_commands

    @app_commands.command(name="noop", description="Answers at once (the benchmark's baseline)")
    async def noop(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    bot.tree.add_command(noop, guild=discord.Object(guild_id))
    await bot.tree.sync(guild=discord.Object(guild_id))


def census() -> JSONDict:
    """What the bot process holds as Python objects: allocated blocks and live objects by type.

    Two censuses taken apart tell a leak (some type's count keeps rising) from resident growth that holds
    no Python objects (allocator high-water, SQLite's page cache).
    """
    gc.collect()
    by_type = Counter(type(o).__qualname__ for o in gc.get_objects())
    return {"blocks": sys.getallocatedblocks(), "objects": sum(by_type.values()), "by_type": dict(by_type)}


async def release(database: Database) -> JSONDict:
    """Resident size before and after handing back what is held only for reuse: free heap, then SQLite's cache.

    What is left after both is what the process really holds; growth that disappears here was freed memory the
    allocator kept, or SQLite's page cache filling up to its cap (2 MB by default), not a leak.
    """
    libc = ctypes.CDLL("libc.so.6")
    before = rss_bytes(os.getpid())
    gc.collect()
    libc.malloc_trim(0)
    after_trim = rss_bytes(os.getpid())
    await database.fetchall("PRAGMA shrink_memory")
    libc.malloc_trim(0)
    return {"rss": before, "after_trim": after_trim, "after_sqlite": rss_bytes(os.getpid())}


async def main() -> None:
    from bot.runner import running_bot
    from bot.settings import Settings

    settings = Settings.from_env(os.environ)
    logging.basicConfig(level=settings.log_level, stream=sys.stderr)
    probe = LagProbe()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def say(answer: JSONDict) -> None:
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()

    async with running_bot(settings) as bot:
        if settings.dev_guild_id is not None and os.environ.get("BENCH_NOOP") == "1":
            await add_noop(bot, settings.dev_guild_id)
        say({"event": "ready", "guilds": len(bot.guilds), "pid": os.getpid()})
        lines: asyncio.Queue[str] = asyncio.Queue()

        def read_stdin() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line.strip())
            loop.call_soon_threadsafe(stop.set)

        # A daemon thread, not ``to_thread``: a blocked stdin read must not hold up the interpreter's exit.
        threading.Thread(target=read_stdin, daemon=True).start()
        stopping = asyncio.create_task(stop.wait())
        while not stop.is_set():
            getting = asyncio.create_task(lines.get())
            done, _ = await asyncio.wait({getting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if getting not in done:
                getting.cancel()
                break
            command, *args = getting.result().split()
            if command == "quit":
                break
            if command == "idle":
                probe.start()
                await asyncio.sleep(float(args[0]))
                await probe.stop()
                say({"lag": lag_summary(probe.take())})
            elif command == "cycle":
                probe.start()
                result = await poll_cycle(bot)
                await probe.stop()
                say({**result, "lag": lag_summary(probe.take())})
            elif command == "drain":
                say(await drain(bot))
            elif command == "census":
                say(census())
            elif command == "release":
                say(await release(bot.db))
            elif command == "snapshot":  # only when the bot was started with PYTHONTRACEMALLOC set
                import tracemalloc

                tracemalloc.take_snapshot().dump(args[0])
                say({"snapshot": args[0]})
            else:
                say({"error": f"unknown command {command!r}"})


if __name__ == "__main__":
    asyncio.run(main())
