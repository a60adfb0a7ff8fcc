"""The database: migrations on an empty file, re-applied, and refusing a newer schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import db.meta
from db import Database, DatabaseError
from db.database import migrations


async def test_empty_database_gets_every_migration(tmp_path: Path) -> None:
    """A fresh file ends at the newest schema version, in WAL mode with foreign keys on."""
    newest = migrations()[-1][0]
    async with await Database.open(tmp_path / "m.db") as database:
        assert await database.schema_version() == newest
        mode = await database.fetchone("PRAGMA journal_mode")
        fks = await database.fetchone("PRAGMA foreign_keys")
        assert mode is not None and mode[0] == "wal"
        assert fks is not None and fks[0] == 1


async def test_reopening_applies_nothing_and_keeps_data(tmp_path: Path) -> None:
    """Restarting the bot re-runs no migration and loses nothing."""
    path = tmp_path / "m.db"
    async with await Database.open(path) as database:
        await db.meta.put(database, "k", "v1")
    async with await Database.open(path) as database:
        assert await database.migrate() == []
        assert await db.meta.get(database, "k") == "v1"


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A database written by a newer Marquee is not silently used by an older one."""
    path = tmp_path / "m.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseError, match="newer than this Marquee"):
        await Database.open(path)


async def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    """A write that fails halfway leaves nothing behind."""
    async with await Database.open(tmp_path / "m.db") as database:
        with pytest.raises(RuntimeError):
            async with database.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
                raise RuntimeError("boom")
        assert await db.meta.get(database, "a") is None


def test_migration_files_are_numbered_without_gaps() -> None:
    """Migrations are 0001, 0002, … so the version in PRAGMA user_version is meaningful."""
    versions = [version for version, _, _ in migrations()]
    assert versions == list(range(1, len(versions) + 1))
