"""Benchmark 6: a fan-out while Discord fails 10 % of the sends and the bot is SIGKILLed 20 times.

``python -m bot`` runs as its own process and fans one new article out to one channel in each of N servers. Each
message request independently fails with the given probability, as one of: 500, 502, 503, a timeout (the request
is held, then answered 504, with the message created or not) and "created, then 502". Meanwhile the benchmark
SIGKILLs the bot at evenly spread points of the fan-out and starts it again: every other kill lands the instant a
message request reaches Discord (so the message may exist while the bot never hears of it), the others at a
random moment. The figures are counts: posts lost and duplicated (target 0 and 0), and what was injected.

It runs once per store (``--store``, default both): the SQLite file, and PostgreSQL, a throwaway server started for
the run (``bench/pgserver.py``) that the bot reaches through ``DATABASE_URL``; the benchmark reads the outbox
through a connection of its own either way.

Run: ``python bench/delivery_faults.py`` (1,000 servers, 20 kills, both stores, ~10 minutes) or ``--quick``
(30 servers, 2 kills).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fnmatch
import logging
import random
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from botprocess import BotProcess
from fanworld import MESSAGES, delivery_states, lost_and_duplicated, news_channels, posts_per_channel
from pgserver import throwaway_postgres
from report import ROOT, Table, write_results
from seeding import subscribe_all

from fakediscord.faults import Fault, Faults
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, FeedServer
from fakediscord.server import FakeDiscord

log = logging.getLogger(__name__)

KINDS = ("500", "502", "503", "timeout, not created", "timeout, created", "created, then 502")
FAULT_OF = {
    "500": (500, False),
    "502": (502, False),
    "503": (503, False),
    "timeout, not created": (504, False),
    "timeout, created": (504, True),
    "created, then 502": (502, True),
}


class SendFaults(Faults):
    """Each message request fails with probability ``rate``, as one of ``KINDS`` picked at random.

    The decision is taken when the request arrives (``delay_for``, where a timeout is a long hold) and used up
    when fakediscord asks for the request's failure (``take``). The bot's sender never has two sends in flight
    to one channel and the path names the channel, so keying the decision by path cannot mix two requests up.
    """

    def __init__(self, rate: float, rng: random.Random, hold: float) -> None:
        super().__init__()
        self.rate = rate
        self.rng = rng
        self.hold = hold
        self.injected: Counter[str] = Counter()
        self.arrivals = 0
        self.on_arrival: list[Callable[[], None]] = []  # called as each message request arrives
        self._planned: dict[str, Fault] = {}

    def delay_for(self, method: str, path: str) -> float:
        delay = super().delay_for(method, path)
        if method != "POST" or not fnmatch.fnmatchcase(path, MESSAGES):
            return delay
        self.arrivals += 1
        for hook in list(self.on_arrival):
            hook()
        if self.rng.random() >= self.rate:
            return delay
        kind = self.rng.choice(KINDS)
        self.injected[kind] += 1
        status, created = FAULT_OF[kind]
        self._planned[path] = Fault("POST", path, status, 1, after_applying=created)
        return delay + (self.hold if kind.startswith("timeout") else 0.0)

    def take(self, method: str, path: str) -> Fault | None:
        planned = self._planned.pop(path, None) if method == "POST" else None
        return planned or super().take(method, path)


STORES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Store:
    """Where the bot under test keeps its data: what seeding opens, what the bot's environment adds, and how the
    benchmark reads the outbox's states while the bot runs (or lies dead)."""

    name: str
    target: Path | str
    env: dict[str, str] = field(default_factory=dict)
    states: Callable[[], Awaitable[dict[str, int]]] = field(default=lambda: _nothing())


async def _nothing() -> dict[str, int]:
    return {}


@contextlib.asynccontextmanager
async def store_for(kind: str, workdir: Path) -> AsyncIterator[Store]:
    """The SQLite file in ``workdir``, or a database on a throwaway PostgreSQL stopped when the block ends."""
    if kind == "sqlite":
        path = workdir / "marquee.db"

        async def file_states() -> dict[str, int]:
            return delivery_states(path)

        yield Store(STORES[kind], path, {}, file_states)
        return
    async with throwaway_postgres() as dsn:
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute("CREATE DATABASE marquee")
        finally:
            await admin.close()
        url = dsn.rsplit("/", 1)[0] + "/marquee"
        reader = await asyncpg.connect(url)

        async def server_states() -> dict[str, int]:
            rows = await reader.fetch("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
            return {str(state): int(count) for state, count in rows}

        try:
            yield Store(STORES[kind], url, {"DATABASE_URL": url}, server_states)
        finally:
            await reader.close()


async def faulty_fan_out(
    store: Store, guilds: int, kills: int, rate: float, hold: float, seed: int, workdir: Path
) -> tuple[list[tuple[str, object]], list[str]]:
    rng = random.Random(seed)
    async with FakeDiscord() as fd, FeedServer() as fs:
        faults = SendFaults(rate, rng, hold)
        fd.faults = faults
        channels = news_channels(fd, guilds)
        fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
        await subscribe_all(store.target, fs.url("/dispatch"), channels)  # type: ignore[arg-type]
        fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
        bot = BotProcess(fd, workdir / "marquee.db", workdir, **store.env)

        def posted() -> int:
            return sum(1 for c in posts_per_channel(fd, channels) if c)

        started = time.monotonic()
        await bot.start()
        unconfirmed_at_kill: list[int] = []
        kill_points: Counter[str] = Counter()
        thresholds = [round(guilds * (k + 1) / (kills + 1)) for k in range(kills)]
        try:
            for k, threshold in enumerate(thresholds):
                await fd.wait_until(lambda t=threshold: posted() >= t or None, 600, f"{threshold} posts")
                if k % 2 == 0:
                    killed = asyncio.Event()

                    def kill_on_arrival(event: asyncio.Event = killed) -> None:
                        if not event.is_set():
                            bot.kill_now()
                            event.set()

                    faults.on_arrival.append(kill_on_arrival)
                    try:
                        await asyncio.wait_for(killed.wait(), 30)
                        kill_points["as a message request arrived"] += 1
                    except TimeoutError:  # nothing was being sent (all waiting for a retry): kill anyway
                        bot.kill_now()
                        kill_points["at a random moment (no send came within 30 s)"] += 1
                    finally:
                        faults.on_arrival.remove(kill_on_arrival)
                else:
                    await asyncio.sleep(rng.uniform(0, 0.3))
                    bot.kill_now()
                    kill_points["at a random moment"] += 1
                await bot.reap()
                await asyncio.sleep(0.1)  # let a held request finish applying before counting
                unconfirmed_at_kill.append(posted() - (await store.states()).get("sent", 0))
                await bot.start()
            await fd.wait_until(lambda: posted() >= guilds or None, 900, "a post everywhere")
            async with asyncio.timeout(900):  # retries back off: 2 s, 4 s, 8 s ... after each failed send
                while (await store.states()).get("pending"):  # noqa: ASYNC110 - the bot is another process
                    await asyncio.sleep(0.2)
        finally:
            code = await bot.stop()
        total = time.monotonic() - started
        states = await store.states()
    lost, duplicated = lost_and_duplicated(fd, channels)
    sends = fd.requests("POST", MESSAGES)
    history_reads = fd.requests("GET", MESSAGES)
    injected = sum(faults.injected.values())
    rows: list[tuple[str, object]] = [
        ("channels (one per server)", guilds),
        ("**posts lost (target 0)**", f"**{lost}**"),
        ("**posts duplicated (target 0)**", f"**{duplicated}**"),
        ("outbox at the end", ", ".join(f"{k}: {v}" for k, v in sorted(states.items()))),
        ("SIGKILL restarts", bot.kills),
        *[(f"  kills {where}", n) for where, n in sorted(kill_points.items())],
        ("kills that left a posted but unconfirmed delivery", sum(1 for u in unconfirmed_at_kill if u > 0)),
        ("message requests received", len(sends)),
        ("faults injected", f"{injected} ({injected / max(faults.arrivals, 1):.1%} of requests)"),
        *[(f"  {kind}", faults.injected[kind]) for kind in KINDS],
        ("channel history reads (recovery checks)", len(history_reads)),
        ("429 answers", sum(1 for e in fd.ledger if e.status == 429)),
        ("wall time, first start to every post confirmed", f"{total:.0f} s"),
        ("bot exit code on the final SIGTERM", code),
    ]
    notes = [
        f"Seed {seed}; a timeout holds the request {hold:g} s before answering 504 (Cloudflare waits far longer). "
        "discord.py itself retries 500, 502 and 504 with the same body (and so the same nonce); 503 reaches the "
        "sender, which retries it later with backoff.",
        "The sender has up to four sends in flight (never two in one channel), so a held request or discord.py's "
        "retry sleeps hold up one of four slots rather than every channel behind it; the wall time above is still "
        "dominated by them, the retries' backoff and the restarts, not by Discord's limits. Exposed and fixed "
        "(commit 'Outbox sender gives up on a send Discord does not answer within "
        "30 s'): a request Discord never answered used to hold the whole outbox for discord.py's 5-minute session "
        "timeout; the sender now abandons it after 30 s and retries it later, checking the channel first.",
    ]
    if lost or duplicated:
        notes.append(f"MISS on {store.name}: {lost} lost and {duplicated} duplicated posts.")
        print(bot.logs()[-5000:])
    return rows, notes


def side_by_side(results: dict[str, list[tuple[str, object]]]) -> Table:
    """One column per store, the figures in the order they were reported (a kind of kill one run lacks is 0)."""
    labels = list(dict.fromkeys(label for rows in results.values() for label, _ in rows))
    values = {name: dict(rows) for name, rows in results.items()}
    return Table.of(["figure", *results], [[label, *(v.get(label, 0) for v in values.values())] for label in labels])


def bot_commit() -> str:
    """The commit the bot under test was started from, and whether the checkout held changes beyond it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no", "--", "bot", "db", "cogs")
    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes in bot/, db/ or cogs/" if changed else "")


async def run_stores(
    kinds: list[str], guilds: int, kills: int, rate: float, hold: float, seed: int, workdir: Path
) -> tuple[Table, list[str]]:
    results: dict[str, list[tuple[str, object]]] = {}
    notes: list[str] = []
    for kind in kinds:
        folder = workdir / kind
        folder.mkdir()
        async with store_for(kind, folder) as store:
            rows, store_notes = await faulty_fan_out(store, guilds, kills, rate, hold, seed, folder)
        results[store.name] = rows
        notes += [n for n in store_notes if n not in notes]
    if "postgresql" in kinds:
        notes.append(
            "PostgreSQL: a throwaway PostgreSQL 15 started for the run (bench/pgserver.py: loopback, fsync off, "
            "which a SIGKILL of the bot does not test anyway: the server itself never dies), the bot given "
            "DATABASE_URL; every restart is a new process with a new pool. Same seed as the SQLite run: each arriving "
            "message request draws the same fault in turn, but which channel it hits follows the order requests "
            "arrive in."
        )
    notes.append(
        "Each restart is a new process, a new node id to the leases: the channels the killed process held stay its "
        "own until their lease runs out (LEASE_SECONDS, 30 s by default, renewed every 10 s, so 20 to 30 s are left "
        "at the kill), and the restarted bot waits that long before it posts in them. On both stores alike (one code "
        "path), that wait is most of the wall time above."
    )
    notes.append(f"Bot at commit {bot_commit()}.")
    return side_by_side(results), notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guilds", type=int, default=1000, help="servers, one news channel each (default 1000)")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILL restarts during the fan-out (default 20)")
    parser.add_argument("--fail-rate", type=float, default=0.10, help="share of sends that fail (default 0.10)")
    parser.add_argument("--hold", type=float, default=5.0, help="seconds a timed-out request is held (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--store", choices=["sqlite", "postgresql", "both"], default="both", help="where the bot keeps its data"
    )
    parser.add_argument("--quick", action="store_true", help="30 servers, 2 kills, 1 s holds")
    args = parser.parse_args()
    guilds, kills = (30, 2) if args.quick else (args.guilds, args.kills)
    hold = 1.0 if args.quick else args.hold
    kinds = list(STORES) if args.store == "both" else [args.store]
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="marquee-faults-") as workdir:
        body, notes = asyncio.run(run_stores(kinds, guilds, kills, args.fail_rate, hold, args.seed, Path(workdir)))
    stores = " and ".join(STORES[k] for k in kinds)
    title = (
        f"Delivery under faults: {guilds} channels, {args.fail_rate:.0%} of sends failing, {kills} SIGKILLs; {stores}."
    )
    write_results("delivery_faults", title, [body], notes)


if __name__ == "__main__":
    main()
