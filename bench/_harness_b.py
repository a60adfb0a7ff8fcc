"""Shared harness for the fan-out, delivery, gateway and SQLite benchmarks (bench/fanout.py and friends).

What the benchmarks share: a results file in the same shape for every script (machine, date, command, table), a
world of many fan servers on fakediscord, a feed followed by one channel in each of them (subscribed through the
real watcher, so the rows are what ``/feeds add`` writes), and ``python -m bot`` run as a separate process that a
benchmark can SIGKILL. Only loopback is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import platform
import signal
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

import db.feeds as store
from bot.feeds.fetch import Fetcher
from bot.feeds.parse import FeedParser
from bot.feeds.watcher import FeedWatcher, Router, to_new_item
from db import Database
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel

log = logging.getLogger(__name__)

REPOSITORY = Path(__file__).resolve().parents[1]
RESULTS = REPOSITORY / "bench" / "results"
MESSAGES = "/channels/*/messages"


# -- figures and the results file ---------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.5 is the median); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, which reads well printed on a terminal too."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    return f"{platform.platform()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}"


def write_results(name: str, title: str, body: str, *, notes: Sequence[str] = ()) -> Path:
    """Print the table and write ``bench/results/<name>.md`` with what is needed to reproduce it."""
    command = "python " + " ".join([f"bench/{Path(sys.argv[0]).name}", *sys.argv[1:]])
    text = [
        f"# {title}",
        "",
        f"- Machine: {machine()}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        "",
        body,
    ]
    if notes:
        text += ["", "## Notes", "", *[f"- {note}" for note in notes]]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    print(body)
    for note in notes:
        print(f"- {note}")
    print(f"\nwritten to {path.relative_to(REPOSITORY)}")
    return path


# -- a world of fan servers and one feed they all follow -----------------------------------------------------


def news_channels(fd: FakeDiscord, guilds: int) -> list[Channel]:
    """``guilds`` fan servers, each with Marquee in it; their #general channels are where news goes."""
    return [fd.general(fd.add_guild(f"Fan server {n}")) for n in range(guilds)]


async def subscribe_all(database_path: Path, feed_url: str, channels: Sequence[Channel]) -> tuple[float, float]:
    """Follow ``feed_url`` in every channel; return how long ``/feeds add``'s subscribe took for the first
    channel and for the last one (seconds).

    The first and the last channel go through the watcher's own preview and subscribe (what /feeds add does);
    the ones in between are written with the same ``db.feeds.subscribe`` call but a router built once, because
    the watcher's subscribe reads every other subscriber's server blocklist and so grows with the number of
    followers (seeding 1,000 channels through it takes minutes). The feed is then made due at once, so the bot
    polls it as soon as it is ready.
    """
    async with (
        aiohttp.ClientSession() as session,
        await Database.open(database_path) as database,
        FeedParser(workers=1) as parser,
    ):
        fetcher = Fetcher(session, allow_private=True, user_agent="MarqueeBench")
        watcher = FeedWatcher(database, fetcher, parser, interval=timedelta(minutes=10))
        preview = await watcher.preview(feed_url)

        async def through_watcher(channel: Channel) -> float:
            started = time.perf_counter()
            subscribed = await watcher.subscribe(
                preview,
                guild_id=channel.guild.id,
                channel_id=channel.id,
                include="",
                exclude="",
                created_by=channel.guild.owner_id,
                backfill=0,
            )
            assert subscribed is not None
            return time.perf_counter() - started

        first = await through_watcher(channels[0])
        router = Router(preview.feed.items, {})
        items = [to_new_item(i) for i in preview.feed.items]
        now = datetime.now(UTC)
        for channel in channels[1:-1]:
            await store.subscribe(
                database,
                url=feed_url,
                title=preview.feed.title,
                guild_id=channel.guild.id,
                channel_id=channel.id,
                include_words="",
                exclude_words="",
                created_by=channel.guild.owner_id,
                now=now,
                next_due_at=now,
                existing_items=items,
                route=router.route,
                backfill=0,
            )
        last = await through_watcher(channels[-1]) if len(channels) > 1 else first
        async with database.transaction() as tx:
            await tx.execute("UPDATE feeds SET next_due_at = ?", (datetime.now(UTC).isoformat(),))
    return first, last


def posts_per_channel(fd: FakeDiscord, channels: Sequence[Channel]) -> list[int]:
    """How many news posts (bot messages with an embed) each channel shows."""
    return [sum(1 for m in fd.messages(c) if m.author is fd.bot_user and m.embeds) for c in channels]


def delivery_states(database_path: Path) -> dict[str, int]:
    """Outbox rows per state, read with a separate connection (the bot may be running)."""
    with contextlib.closing(sqlite3.connect(f"file:{database_path}?mode=ro", uri=True, timeout=10)) as conn:
        rows = conn.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall()
    return {str(state): int(count) for state, count in rows}


# -- python -m bot as a separate process ----------------------------------------------------------------------


@dataclass
class BotProcess:
    """``python -m bot`` against a fakediscord, started, SIGKILLed and restarted on demand."""

    fd: FakeDiscord
    database_path: Path
    workdir: Path
    log_level: str = "WARNING"
    process: asyncio.subprocess.Process | None = None
    starts: int = 0
    kills: int = 0
    stderr_tail: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPOSITORY),
            "DISCORD_TOKEN": self.fd.token,
            "DISCORD_API_URL": self.fd.api_url,
            "DISCORD_GATEWAY_URL": self.fd.gateway_url,
            "DATABASE_PATH": str(self.database_path),
            "FEEDS_ALLOW_PRIVATE_NETWORKS": "1",
            "LOG_LEVEL": self.log_level,
        }

    async def start(self, *, ready_timeout: float = 120.0) -> None:
        """Start the bot and wait until it has identified and been sent its guilds."""
        identified = self.fd.hub.identifies
        log_file = self.workdir / f"bot-{self.starts}.log"
        with log_file.open("wb") as stderr:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=self.env(), cwd=self.workdir,
                stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        self.starts += 1
        await self.fd.hub.wait_until(lambda: self.fd.hub.identifies > identified, ready_timeout)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill_now(self) -> None:
        """SIGKILL, synchronously: callable from inside a fakediscord request handler."""
        if self.process is not None and self.process.returncode is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.kills += 1

    async def reap(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    async def stop(self) -> int:
        """SIGTERM and wait: the bot's own clean shutdown."""
        if self.process is None or self.process.returncode is not None:
            return self.process.returncode if self.process and self.process.returncode is not None else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 60)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.workdir.glob("bot-*.log")))
