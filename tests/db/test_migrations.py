"""The database: migrations on an empty store, re-applied, refusing a newer schema, on both stores."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import asyncpg
import pytest

import db.meta
from db import Database, DatabaseError, revisions


@pytest.mark.sqlite_only
async def test_empty_database_gets_every_migration(tmp_path: Path) -> None:
    """A fresh file ends at the newest schema version, in WAL mode with foreign keys on."""
    async with await Database.open(tmp_path / "m.db") as database:
        assert await database.schema_version() == revisions.newest()
        mode = await database.fetchone("PRAGMA journal_mode")
        fks = await database.fetchone("PRAGMA foreign_keys")
        assert mode is not None and mode[0] == "wal"
        assert fks is not None and fks[0] == 1


async def test_empty_postgres_database_gets_every_migration(postgres_database: str) -> None:
    """A new PostgreSQL database ends at the newest revision, recorded where Alembic records it."""
    async with await Database.open(postgres_database) as database:
        assert database.dialect == "postgresql"
        assert await database.schema_version() == revisions.newest()
        row = await database.fetchone("SELECT version_num FROM alembic_version")
        assert row is not None and row[0] == f"{revisions.newest():04d}"


async def test_reopening_applies_nothing_and_keeps_data(tmp_path: Path) -> None:
    """Restarting the bot re-runs no migration and loses nothing."""
    path = tmp_path / "m.db"
    async with await Database.open(path) as database:
        await db.meta.put(database, "k", "v1")
    async with await Database.open(path) as database:
        assert await database.migrate() == []
        assert await db.meta.get(database, "k") == "v1"


async def test_two_processes_starting_together_migrate_once(postgres_database: str) -> None:
    """Two Marquee processes started at once on one new PostgreSQL database both come up on the newest schema."""
    first, second = await Database.open(postgres_database), await Database.open(postgres_database)
    try:
        assert await first.schema_version() == await second.schema_version() == revisions.newest()
        assert await first.migrate() == [] and await second.migrate() == []
    finally:
        await first.close()
        await second.close()


@pytest.mark.sqlite_only
async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A database written by a newer Marquee is not silently used by an older one."""
    path = tmp_path / "m.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseError, match="newer than this Marquee"):
        await Database.open(path)


async def test_newer_postgres_schema_is_refused(postgres_database: str) -> None:
    """A PostgreSQL database upgraded by a newer Marquee is refused, naming the setting to change."""
    async with await Database.open(postgres_database):
        pass
    conn = await asyncpg.connect(postgres_database)
    try:
        await conn.execute("UPDATE alembic_version SET version_num = '0999'")
    finally:
        await conn.close()
    with pytest.raises(DatabaseError, match=r"newer than this Marquee.*DATABASE_URL"):
        await Database.open(postgres_database)


async def test_another_programs_postgres_database_is_refused(postgres_database: str) -> None:
    """Pointed at a database holding someone else's tables, Marquee refuses instead of adding its own beside them."""
    conn = await asyncpg.connect(postgres_database)
    try:
        await conn.execute("CREATE TABLE invoices (id integer)")
    finally:
        await conn.close()
    with pytest.raises(DatabaseError, match=r"another program's tables \(invoices\)"):
        await Database.open(postgres_database)


async def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    """A write that fails halfway leaves nothing behind."""
    async with await Database.open(tmp_path / "m.db") as database:
        with pytest.raises(RuntimeError):
            async with database.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
                raise RuntimeError("boom")
        assert await db.meta.get(database, "a") is None


async def test_a_transaction_cancelled_as_it_begins_leaves_the_store_usable(database: Database) -> None:
    """A task stopped (a shutdown, a timeout) just as its write begins does not wedge every later write."""

    async def write() -> None:
        async with database.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('cut', 'short')")

    for _ in range(20):
        task = asyncio.create_task(write())
        await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await db.meta.put(database, "after", "written")
        assert await db.meta.get(database, "after") == "written"
