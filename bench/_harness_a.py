"""Shared harness for the interaction, loop-lag, polling and memory benchmarks.

The bot under measurement runs in its own process (``python bench/_harness_a.py bot``), started exactly as
``python -m bot`` starts it (``bot.runner.running_bot``), so its CPU time, resident size and event-loop lag are
its own: the local Discord (``fakediscord``) and the feed servers run in the benchmark's process and their work
is not charged to the bot. The two talk over the child's stdin/stdout, one JSON object per line.

Everything listens on loopback only. Feeds are spread over several loopback addresses (127.0.0.2, 127.0.0.3 …)
so the fetcher's per-host limit sees several hosts, as it would on the web.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import gzip
import hashlib
import json
import logging
import os
import platform
import random
import shlex
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

if TYPE_CHECKING:
    from db import Database

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HARNESS = Path(__file__).resolve()
JSONDict = dict[str, Any]


# --- reporting ----------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Table:
    """One table of results: printed as text, written as Markdown."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def text(self) -> str:
        widths = [max([len(h)] + [len(r[i]) for r in self.rows]) for i, h in enumerate(self.headers)]
        lines = [self.title, "  ".join(h.ljust(w) for h, w in zip(self.headers, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in self.rows]
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [f"**{self.title}**", "", "| " + " | ".join(self.headers) + " |"]
        lines.append("|" + "|".join("---" for _ in self.headers) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def machine() -> str:
    """The machine line every results file starts with."""
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    return (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
        f"(load average at the end: {load})"
    )


def write_results(name: str, summary: str, tables: Iterable[Table], notes: Iterable[str]) -> Path:
    """Print the tables and write ``bench/results/<name>.md`` with the machine, date and command."""
    tables = list(tables)
    notes = list(notes)
    for table in tables:
        print()
        print(table.text())
    for note in notes:
        print(f"- {note}")
    command = "python " + " ".join(shlex.quote(a) for a in [f"bench/{name}.py", *sys.argv[1:]])
    parts = [
        f"# {name}",
        "",
        summary,
        "",
        f"- Machine: {machine()}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        "",
    ]
    for table in tables:
        parts += [table.markdown(), ""]
    if notes:
        parts += ["Notes:", ""]
        parts += [f"- {note}" for note in notes]
        parts.append("")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(parts))
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return path


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


# --- process measurements -------------------------------------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from the process state on (comm may hold spaces)


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (the bot's feed-parser workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """User plus system CPU seconds used so far by the live processes ``pids``."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def rss_bytes(pid: int) -> int:
    """Resident set size of one process, from ``/proc/<pid>/status``; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def mib(size: float) -> str:
    return f"{size / (1024 * 1024):.1f}"


def kib(size: float) -> str:
    return f"{size / 1024:,.0f}"


# --- feeds ----------------------------------------------------------------------------------------------------

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def rss_document(feed: int, version: int, *, items: int = 20, summary_bytes: int = 300, host: str = "") -> bytes:
    """A plausible news feed: ``items`` entries, newest first; each version adds one entry on top."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>Drama desk {feed}</title><link>https://news{feed % 97}.example/</link>",
        "<description>Entertainment news from a local test outlet</description>",
    ]
    filler = ("Production notes, casting rumours and interviews from the set. " * (summary_bytes // 64 + 1))[
        :summary_bytes
    ]
    for k in range(version + items - 1, version - 1, -1):
        when = format_datetime(_EPOCH + timedelta(hours=k), usegmt=True)
        parts.append(
            f"<item><title>Desk {feed} report {k}: what the cast said this week</title>"
            f"<link>https://news{feed % 97}.example/{feed}/story-{k}</link>"
            f'<guid isPermaLink="false">desk-{feed}-{k}</guid><pubDate>{when}</pubDate>'
            f"<description>{filler}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def big_document(feed: int, size: int, *, full_text: bool) -> bytes:
    """A feed of about ``size`` bytes: a long archive of short items, or a few items carrying whole articles."""
    items, summary = (40, size // 40) if full_text else (size // 1100, 900)
    return rss_document(feed, 0, items=max(1, items), summary_bytes=summary)


@dataclass
class _Doc:
    body: bytes
    gzipped: bytes
    etag: str


@dataclass
class FarmStats:
    requests: int = 0
    body_bytes: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    peak_per_host: int = 0
    peak_total: int = 0


class FeedFarm:
    """Local news feeds on ``hosts`` loopback addresses, with ETags, gzip and a per-request latency.

    ``latency`` holds every answer back that long, standing in for the network and the far server; without it
    a loopback server answers so fast that no two requests overlap and concurrency could not be observed.
    """

    def __init__(self, hosts: int = 50, latency: float = 0.05) -> None:
        self.hosts = [f"127.0.0.{2 + i}" for i in range(hosts)]
        self.latency = latency
        self.stats = FarmStats()
        self._docs: dict[tuple[str, str], _Doc] = {}
        self._versions: dict[int, int] = {}
        self._in_flight: Counter[str] = Counter()
        self._runners: list[web.AppRunner] = []
        self._ports: dict[str, int] = {}

    async def __aenter__(self) -> Self:
        for host in self.hosts:
            app = web.Application()
            app.router.add_get("/{tail:.*}", self._serve)
            runner = web.AppRunner(app, handle_signals=False, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, host, 0, backlog=512)
            await site.start()
            self._ports[host] = runner.addresses[0][1]
            self._runners.append(runner)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for runner in self._runners:
            await runner.cleanup()

    def host_of(self, feed: int) -> str:
        return self.hosts[feed % len(self.hosts)]

    def url(self, feed: int) -> str:
        host = self.host_of(feed)
        return f"http://{host}:{self._ports[host]}/feeds/{feed}.xml"

    def put(self, feed: int, body: bytes) -> None:
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        self._docs[(self.host_of(feed), f"/feeds/{feed}.xml")] = _Doc(body, gzip.compress(body, 6), tag)

    def body(self, feed: int) -> bytes:
        return self._docs[(self.host_of(feed), f"/feeds/{feed}.xml")].body

    def add_news(self, feed: int) -> None:
        """Serve a standard feed, or publish one more item in it."""
        version = self._versions.get(feed, -1) + 1
        self._versions[feed] = version
        self.put(feed, rss_document(feed, version))

    def change(self, feeds: Iterable[int]) -> None:
        for feed in feeds:
            self.add_news(feed)

    def reset_stats(self) -> None:
        self.stats = FarmStats()

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        host = request.url.host or ""
        self._in_flight[host] += 1
        self.stats.peak_per_host = max(self.stats.peak_per_host, self._in_flight[host])
        self.stats.peak_total = max(self.stats.peak_total, sum(self._in_flight.values()))
        self.stats.requests += 1
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            doc = self._docs.get((host, request.path))
            if doc is None:
                response = web.Response(status=404, text="no feed here")
            elif doc.etag in request.headers.get("If-None-Match", ""):
                response = web.Response(status=304, headers={"ETag": doc.etag})
            else:
                zipped = "gzip" in request.headers.get("Accept-Encoding", "")
                body = doc.gzipped if zipped else doc.body
                headers = {"ETag": doc.etag, "Content-Type": "application/rss+xml; charset=utf-8"}
                if zipped:
                    headers["Content-Encoding"] = "gzip"
                self.stats.body_bytes += len(body)
                response = web.Response(body=body, headers=headers)
            self.stats.statuses[response.status] += 1
            return response
        finally:
            self._in_flight[host] -= 1


# --- the world the bot lives in -------------------------------------------------------------------------------


def bot_env(fd: Any, database: Path, **extra: str) -> dict[str, str]:
    """The environment ``python -m bot`` would read, pointed at the local Discord."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_GUILD", "FEED", "DATABASE"))}
    env.update(
        {
            "DISCORD_TOKEN": fd.token,
            "DATABASE_PATH": str(database),
            "DISCORD_API_URL": fd.api_url,
            "DISCORD_GATEWAY_URL": fd.gateway_url,
            "FEEDS_ALLOW_PRIVATE_NETWORKS": "1",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


async def seed_subscriptions(
    database: Path,
    feeds: Sequence[tuple[str, bytes | None]],
    channels: Sequence[tuple[int, int]],
    created_by: int,
    *,
    first_due: timedelta = timedelta(days=1),
) -> None:
    """Subscribe channels to ``feeds`` as ``/feeds add`` would (their current items stored as seen).

    The feeds are first due after ``first_due`` (a day: the benchmark decides when to poll).

    ``feeds`` pairs each URL with the document it serves now (``None`` for feeds that give no document);
    ``channels`` holds (guild id, channel id) pairs, used in turn.
    """
    import db.feeds as store  # the bot's own packages are imported only where a benchmark needs them
    from bot.feeds.normalise import normalise_feed
    from bot.feeds.parse import ParsedFeed, parse_document
    from bot.feeds.watcher import to_new_item
    from db import Database

    now = datetime.now(UTC)
    async with await Database.open(database) as db:
        for i, (url, body) in enumerate(feeds):
            items: list[store.NewItem] = []
            title = f"Feed {i}"
            if body is not None:
                parsed = parse_document(body, "application/rss+xml")
                if isinstance(parsed, ParsedFeed):
                    news = normalise_feed(parsed, fetched_at=now)
                    items = [to_new_item(item) for item in news.items]
                    title = news.title
            guild_id, channel_id = channels[i % len(channels)]
            await store.subscribe(
                db,
                url=url,
                title=title,
                guild_id=guild_id,
                channel_id=channel_id,
                include_words="",
                exclude_words="",
                created_by=created_by,
                now=now,
                next_due_at=now + first_due,
                existing_items=items,
                route=lambda item, sub: None,
                backfill=0,
            )


# --- the bot process, seen from the benchmark ------------------------------------------------------------------


class BotProcess:
    """The real bot in a child process, driven line by line; ``pid`` for /proc measurements."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self._env = env
        self._log_path = log_path
        self._proc: asyncio.subprocess.Process | None = None
        self.ready: JSONDict = {}

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    async def __aenter__(self) -> Self:
        with self._log_path.open("ab") as log_file:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable,
                str(HARNESS),
                "bot",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log_file,
                env=self._env,
                cwd=str(ROOT),
                limit=1 << 24,
            )
        self.ready = await self._read(timeout=600)
        if self.ready.get("event") != "ready":
            raise RuntimeError(f"the bot did not start: {self.ready} (see {self._log_path})")
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
            await proc.wait()

    async def _read(self, timeout: float) -> JSONDict:  # noqa: ASYNC109
        assert self._proc is not None and self._proc.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = await self._proc.stdout.readline()
                if not line:
                    code = await self._proc.wait()
                    tail = "\n".join(self._log_path.read_text(errors="replace").splitlines()[-40:])
                    raise RuntimeError(f"the bot process exited with {code}; its log ends:\n{tail}")
                if line.startswith(b"{"):
                    answer: JSONDict = json.loads(line)
                    return answer

    async def ask(self, command: str, timeout: float = 900) -> JSONDict:  # noqa: ASYNC109
        """Send one command line; return the bot's JSON answer."""
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(command.encode() + b"\n")
        await self._proc.stdin.drain()
        return await self._read(timeout)

    def cpu(self) -> float:
        """CPU seconds of the bot and its parser workers so far."""
        return cpu_seconds([self.pid, *descendants(self.pid)])

    def cpu_parts(self) -> tuple[float, float]:
        """CPU seconds so far of the bot process alone, and of its parser workers together."""
        return cpu_seconds([self.pid]), cpu_seconds(descendants(self.pid))

    def rss(self) -> tuple[int, int]:
        """Resident bytes of the bot process, and of its parser workers together."""
        return rss_bytes(self.pid), sum(rss_bytes(p) for p in descendants(self.pid))


# --- the bot process, from the inside ---------------------------------------------------------------------------


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
        "p50": percentile(samples, 50),
        "p99": percentile(samples, 99),
        "max": max(samples, default=0.0),
        "cpu_p99": percentile(on_cpu, 99),
        "cpu_max": max(on_cpu, default=0.0),
    }


def _feeds_cog(bot: Any) -> Any:
    from cogs.feeds._cog import FeedCommands

    cog = bot.get_cog("FeedCommands")
    assert isinstance(cog, FeedCommands)
    return cog


async def _poll_cycle(bot: Any) -> JSONDict:
    """Every feed due at once, polled to the end as the watcher's loop would (100 due feeds per pass)."""
    cog = _feeds_cog(bot)
    started = time.perf_counter()
    statuses: Counter[str] = Counter()
    passes = 0
    queued = 0
    outcomes = await cog.poll_once(everything=True)
    while outcomes:
        passes += 1
        for outcome in outcomes:
            statuses[str(outcome.status)] += 1
            queued += outcome.queued
        outcomes = await cog.poll_once()
    return {"wall": time.perf_counter() - started, "passes": passes, "statuses": dict(statuses), "queued": queued}


def _add_noop(bot: Any, guild_id: int) -> Any:
    import discord
    from discord import app_commands

    @app_commands.command(name="noop", description="Answers at once (the benchmark's baseline)")
    async def noop(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    bot.tree.add_command(noop, guild=discord.Object(guild_id))
    return bot.tree.sync(guild=discord.Object(guild_id))


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


async def _bot_main() -> None:
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
            await _add_noop(bot, settings.dev_guild_id)
        say({"event": "ready", "guilds": len(bot.guilds), "pid": os.getpid()})
        lines: asyncio.Queue[str] = asyncio.Queue()

        def read_stdin() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line.strip())
            loop.call_soon_threadsafe(stop.set)

        # A daemon thread, not ``to_thread``: a blocked stdin read must not hold up the interpreter's exit.
        import threading

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
                result = await _poll_cycle(bot)
                await probe.stop()
                say({**result, "lag": lag_summary(probe.take())})
            elif command == "census":
                say(census())
            elif command == "snapshot":  # only when the bot was started with PYTHONTRACEMALLOC set
                import tracemalloc

                tracemalloc.take_snapshot().dump(args[0])
                say({"snapshot": args[0]})
            elif command == "release":
                say(await release(bot.db))
            elif command == "drain":
                cog = _feeds_cog(bot)
                sent = 0
                while (count := await cog.send_due()) > 0:
                    sent += count
                say({"sent": sent})
            else:
                say({"error": f"unknown command {command!r}"})


def choose(rng: random.Random, values: Sequence[int], fraction: float) -> list[int]:
    return rng.sample(list(values), round(len(values) * fraction))


def naive_main(url_file: Path) -> None:
    """The baseline poller: ``feedparser.parse(url)`` for each feed, one after another."""
    import feedparser

    urls = url_file.read_text().split()
    started, cpu = time.perf_counter(), time.process_time()
    entries = failures = 0
    for url in urls:
        document = feedparser.parse(url)
        entries += len(document.entries)
        failures += int(bool(document.get("bozo")) and not document.entries)
    result = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "entries": entries}
    print(json.dumps({**result, "failures": failures}))


async def run_naive(urls: Sequence[str], workdir: Path) -> JSONDict:
    """Run the baseline in its own process, so its CPU time is its own."""
    url_file = workdir / "naive-urls.txt"
    url_file.write_text("\n".join(urls))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(HARNESS), "naive", str(url_file), stdout=asyncio.subprocess.PIPE, cwd=str(ROOT)
    )
    out, _ = await proc.communicate()
    answer: JSONDict = json.loads(out.decode().strip().splitlines()[-1])
    return answer


def main() -> None:
    if sys.argv[1:2] == ["bot"]:
        asyncio.run(_bot_main())
    elif sys.argv[1:2] == ["naive"]:
        naive_main(Path(sys.argv[2]))
    else:
        raise SystemExit("usage: python bench/_harness_a.py bot|naive  (started by the benchmarks, not by hand)")


if __name__ == "__main__":
    main()
