"""`python -m bot migrate-db --to postgresql://…` as an operator runs it: the counts, one line when it cannot, and
a Marquee started on PostgreSQL afterwards that still knows every subscription."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.runner import running_bot
from fakediscord.server import FakeDiscord
from tests.helpers.install import filled_install
from tests.helpers.marquee import fan_server, marquee_settings

PASSWORD = "s3cret-Pa55word"  # made up; it must never be printed
COUNT_LINE = re.compile(r"^\s+(?P<table>\w+)\s+(?P<source>\d+) → (?P<target>\d+)$")
NOT_SET = ("DISCORD_TOKEN", "DATABASE_PATH", "DATABASE_URL", "SHOW", "SHARD_COUNT", "SHARD_IDS")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def counts(self) -> dict[str, tuple[int, int]]:
        found = (COUNT_LINE.match(line) for line in self.out.splitlines())
        return {m["table"]: (int(m["source"]), int(m["target"])) for m in found if m}


async def migrate_db(database: Path, to: str) -> Run:
    """``python -m bot migrate-db --to <to>`` in a child process with ``DATABASE_PATH=<database>``."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_SET} | {"DATABASE_PATH": str(database)}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate-db", "--to", to,
        env=env, cwd=database.parent, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    async with asyncio.timeout(120):
        out, err = await child.communicate()
    assert child.returncode is not None
    return Run(child.returncode, out.decode(), err.decode())


def with_password(url: str) -> str:
    """The same database, reached as a user with a password (the throwaway server trusts every local login)."""
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@", 1)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens once the probe is closed


def one_line_naming_to(run: Run) -> str:
    """The refusal an operator sees: exit 2, one line on stderr naming --to, no traceback, no password."""
    assert run.code == 2, run
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("marquee: error: --to: "), lines[0]
    assert "Traceback" not in run.err + run.out
    assert PASSWORD not in run.err + run.out
    return lines[0]


async def test_operator_sees_the_counts_and_marquee_on_postgresql_keeps_the_subscriptions(
    fake_discord: FakeDiscord, tmp_path: Path, postgres_database: str
) -> None:
    """After migrate-db, Marquee started with DATABASE_URL lists the same subscriptions /feeds list showed before."""
    guild, _fan, mod = fan_server(fake_discord)
    general = fake_discord.general(guild)
    spoilers = fake_discord.add_channel(guild, "spoilers")
    counts = await filled_install(tmp_path / "marquee.db", guild_id=guild.id, channels=(general.id, spoilers.id))

    run = await migrate_db(tmp_path / "marquee.db", with_password(postgres_database))

    assert run.code == 0, run
    assert run.counts() == {table: (rows, rows) for table, rows in counts.items()}
    assert run.counts()["subscriptions"] == (3, 3)
    assert "Every count matches" in run.out
    assert PASSWORD not in run.out + run.err
    (tmp_path / "marquee.db").rename(tmp_path / "marquee.db.before-postgresql")  # nothing left to fall back on
    settings = marquee_settings(fake_discord, tmp_path, DATABASE_URL=postgres_database)
    async with running_bot(settings, guild_ready_timeout=0.05, extensions=["cogs.feeds"]):
        listing = await (await fake_discord.invoke("feeds list", user=mod, in_channel=general)).response()
    text = listing.content
    assert text.count(f"→ <#{general.id}>") == 2 and text.count(f"→ <#{spoilers.id}>") == 1, text
    assert "https://dispatch.example/feed" in text and "https://other.example/rss" in text


async def test_a_second_run_into_the_same_database_is_refused(tmp_path: Path, postgres_database: str) -> None:
    """Running migrate-db twice does not copy twice: the second run names the fix and changes nothing."""
    counts = await filled_install(tmp_path / "marquee.db")
    first = await migrate_db(tmp_path / "marquee.db", postgres_database)
    assert first.code == 0, first
    second = await migrate_db(tmp_path / "marquee.db", with_password(postgres_database))
    line = one_line_naming_to(second)
    rows, tables = sum(counts.values()), sum(1 for n in counts.values() if n)
    assert f"already holds {rows} Marquee rows in {tables} tables" in line
    assert line.endswith("Point --to at an empty database (createdb marquee_new) or drop its tables")
    third = await migrate_db(tmp_path / "marquee.db", postgres_database)
    assert third.code == 2 and f"already holds {rows} Marquee rows" in third.err  # the first copy's, not twice


@pytest.mark.parametrize(
    ("to", "says"),
    [
        (f"mysql://marquee:{PASSWORD}@127.0.0.1/marquee", "is not a postgresql:// URL. Use --to postgresql://"),
        (f"postgresql://marquee:{PASSWORD}@127.0.0.1:99999/marquee", "has a port that is not a number"),
        (f"postgresql://marquee:{PASSWORD}@127.0.0.1:5432", "names no database"),
    ],
    ids=["another database's URL", "a port out of range", "no database name"],
)
async def test_a_bad_url_is_one_line_without_the_password(tmp_path: Path, to: str, says: str) -> None:
    """A mistyped --to is refused before anything is opened, in one line that does not repeat the password."""
    assert says in one_line_naming_to(await migrate_db(tmp_path / "marquee.db", to))


async def test_an_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    """A server that is not running is named (without its password) with what to check."""
    await filled_install(tmp_path / "marquee.db")
    port = closed_port()
    line = one_line_naming_to(
        await migrate_db(tmp_path / "marquee.db", f"postgresql://marquee:{PASSWORD}@127.0.0.1:{port}/marquee")
    )
    assert f"cannot connect to the PostgreSQL server at postgresql://marquee:***@127.0.0.1:{port}/marquee" in line
    assert "Check that the server runs" in line


async def test_a_missing_database_file_is_named(tmp_path: Path) -> None:
    """Run from the wrong folder, migrate-db says which file it looked for instead of copying an empty install."""
    run = await migrate_db(tmp_path / "marquee.db", "postgresql://marquee@127.0.0.1:5432/marquee")
    assert run.code == 2 and run.err.startswith(
        f"marquee: error: DATABASE_PATH: {tmp_path / 'marquee.db'} does not exist"
    )
    assert not (tmp_path / "marquee.db").exists()
