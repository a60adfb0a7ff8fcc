"""``python -m bot status``: what an operator reads about the processes sharing a database, and the exit code a
monitor acts on."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import db.cluster
import db.feeds as store
from bot.node import Node
from db import Database
from db.cluster import Member
from tests.helpers.outbox import news_item, subscribe_channel
from tests.helpers.stores import SQLITE_MIGRATIONS, store_env

LEASE = timedelta(seconds=30)
A = "vm-a:101:a1a1a1"
B = "vm-b:202:b2b2b2"


def status(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m bot status`` as an operator runs it: no token, the store from the environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_PATH", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", "status", *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def member(node_id: str, *, shard: int, connected: bool, started: datetime, heard: datetime) -> Member:
    host, pid, _ = node_id.split(":")
    return Member(
        node_id=node_id,
        host=host,
        pid=int(pid),
        shard_count=2,
        shard_ids=(shard,),
        shards_connected=(shard,) if connected else (),
        started_at=started,
        heartbeat_at=heard,
        leader_since=started,
    )


def news(key: str) -> store.NewItem:
    published = datetime.now(UTC) - timedelta(hours=1)
    return news_item(key, published=published, title=f"Season 2 news {key}", summary="")


async def test_status_shows_each_process_the_leader_and_an_old_backlog(postgres_database: str, tmp_path: Path) -> None:
    """With one live process (shard 0, the leader, holding a feed's lease), one silent since 5 minutes (shard 1,
    the leader before it) and two posts queued 20 minutes ago, the operator reads each process, who leads, the
    shard nobody runs and the backlog, and the exit code is 1 for the backlog; allowing an hour, it is healthy."""
    now = datetime.now(UTC)
    async with await Database.open(postgres_database) as database:
        await db.cluster.join(
            database,
            member(B, shard=1, connected=False, started=now - timedelta(hours=3), heard=now - timedelta(minutes=5)),
        )
        await db.cluster.join(database, member(A, shard=0, connected=True, started=now - timedelta(hours=2), heard=now))
        sent_at = now - timedelta(minutes=20)
        await subscribe_channel(database, now=sent_at, existing=[news("1"), news("2")], backfill=2)
        assert len(await store.due_feeds(database, now, holder=Node(A, LEASE))) == 1

    ran = status(tmp_path, DATABASE_URL=postgres_database)
    assert ran.returncode == 1, ran.stderr
    lines = ran.stdout.splitlines()
    assert re.fullmatch(r"Marquee at postgresql://postgres@127\.0\.0\.1:\d+/test_\d+, .* UTC \(lease 30 s\)", lines[0])
    assert lines[1:9] == [
        "Processes: 1 live, 1 silent",
        f"  {A} (live, leader)",
        "    host vm-a, pid 101; shard 0 of 2, connected: 0",
        lines[4],
        f"  {B} (SILENT)",
        "    host vm-b, pid 202; shard 1 of 2, connected: none",
        "    heartbeat 5 min ago, up 3 h; leases: feeds 0, channels 0, countdowns 0",
        f"Leader: {A} (leading for 2 h)",
    ]
    assert re.fullmatch(r"    heartbeat \d s ago, up 2 h; leases: feeds 1, channels 0, countdowns 0", lines[4])
    assert lines[9:] == [
        "Note: no live process runs shard 1 of 2",
        "Outbox: 2 posts waiting, the oldest queued 20 min ago; 0 edits waiting",
        "UNHEALTHY: the oldest waiting post was queued 20 min ago, longer than the 10 min allowed (--max-backlog)",
    ]
    allowing = status(tmp_path, "--max-backlog", "3600", DATABASE_URL=postgres_database)
    assert allowing.returncode == 0 and allowing.stdout.splitlines()[-1] == "Healthy"


async def test_status_says_when_no_process_is_alive(tmp_path: Path) -> None:
    """When every process has gone silent, status names that as the problem, says no live process leads, and
    exits 1."""
    path = tmp_path / "marquee.db"
    now = datetime.now(UTC)
    async with await Database.open(path) as database:
        await db.cluster.join(
            database,
            member(A, shard=0, connected=True, started=now - timedelta(days=3), heard=now - timedelta(hours=3)),
        )
    ran = status(tmp_path, **await store_env(path))
    assert ran.returncode == 1, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[1:3] == ["Processes: 0 live, 1 silent", f"  {A} (SILENT)"]
    assert lines[5:] == [
        "Leader: none live (a live process takes the lead within 30 s)",
        "Outbox: 0 posts waiting; 0 edits waiting",
        "UNHEALTHY: no live Marquee process (the last heartbeat was 3 h ago)",
    ]


def test_status_without_a_database_says_where_it_looked(tmp_path: Path) -> None:
    """Run where no database is, status says which setting to fix instead of creating an empty one."""
    ran = status(tmp_path, DATABASE_PATH=str(tmp_path / "missing.db"))
    assert ran.returncode == 2
    assert ran.stderr.startswith(f"marquee: error: DATABASE_PATH: {tmp_path / 'missing.db'} does not exist")
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.sqlite_only
def test_status_leaves_an_older_schema_alone_and_says_how_to_upgrade(tmp_path: Path) -> None:
    """Run by a newer Marquee beside older running processes, status changes no table; it says to upgrade first."""
    path = tmp_path / "marquee.db"
    with sqlite3.connect(path) as conn:
        for number, script in enumerate(sorted(SQLITE_MIGRATIONS.glob("*.sql")), start=1):
            conn.executescript(f"BEGIN;\n{script.read_text()}\n;PRAGMA user_version = {number};\nCOMMIT;")
    ran = status(tmp_path, DATABASE_PATH=str(path))
    assert ran.returncode == 2
    assert ran.stderr.strip().endswith("start Marquee (python -m bot) once to upgrade it"), ran.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (13,)
