"""The owner of the embedded store's one SQLite connection.

SQLite allows one writer at a time; with one connection shared by every task, an asyncio lock is what keeps
one task's statements out of another's transaction. Writes take ``BEGIN IMMEDIATE`` so a write lock is taken
up front rather than upgraded mid-transaction (which is where ``SQLITE_BUSY`` comes from).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from db import revisions
from db.database import Database, DatabaseError, DatabaseFileError, Row, Transaction, register_store

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


def _file_error(path: Path | str, exc: sqlite3.Error) -> DatabaseFileError | None:
    """The operator-facing error for a file SQLite cannot read as a database; ``None`` for any other failure."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_NOTADB:
        return DatabaseFileError(
            path,
            f"{path} is not a SQLite database ({exc})",
            "Point DATABASE_PATH at Marquee's database file, or move this file away to start a new one",
        )
    if code == sqlite3.SQLITE_CORRUPT:
        return DatabaseFileError(
            path,
            f"{path} is a damaged SQLite database ({exc})",
            "Restore it from a backup, or move it away to start a new one",
        )
    return None


class SqliteDatabase(Database):
    """A SQLite file (or ``:memory:``) behind one connection and one lock."""

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path | str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def connect(cls, path: Path | str, *, migrate: bool = True) -> SqliteDatabase:
        """Connect, set the pragmas and bring the schema up to date."""
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseFileError(
                path, f"{path} cannot be opened ({exc})", "Check that Marquee may read and write it and its directory"
            ) from exc
        db = cls(conn, path)
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            await db._refuse_foreign_schema()  # before WAL, which would change another program's file
            if str(path) != ":memory:":
                async with conn.execute("PRAGMA journal_mode = WAL") as cur:
                    row = await cur.fetchone()
                if row is None or str(row[0]).lower() != "wal":
                    raise DatabaseError(f"the database at {path} cannot use write-ahead logging")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await (db.migrate() if migrate else db.require_current())
        except sqlite3.Error as exc:
            await conn.close()
            file_error = _file_error(path, exc)
            if file_error is None:
                raise
            raise file_error from exc
        except BaseException:
            await conn.close()
            raise
        return db

    async def _refuse_foreign_schema(self) -> None:
        """Refuse another program's SQLite file rather than add Marquee's tables beside its own.

        Marquee's migrations set ``user_version`` in the same transaction as their tables, so a file at version 0
        that already has tables was never Marquee's.
        """
        if await self.schema_version() != 0:
            return
        rows = await self.fetchall("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        if rows:
            names = ", ".join(str(row[0]) for row in rows[:3]) + (", …" if len(rows) > 3 else "")
            raise DatabaseFileError(
                self.path,
                f"{self.path} is another program's SQLite database (it holds {names})",
                "Point DATABASE_PATH at Marquee's database file, or at a new file name to start a new one",
            )

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[int]:
        """Apply every bundled revision newer than the file, each in its own transaction with its version number."""
        applied: list[int] = []
        current = await self.schema_version()
        newest = await asyncio.to_thread(revisions.newest)
        if current > newest:
            raise DatabaseFileError(
                self.path,
                f"the database at {self.path} is at schema version {current}, newer than this Marquee ({newest})",
                "Upgrade Marquee or use another DATABASE_PATH",
            )
        # Rendering imports each revision and compiles its DDL: start-up work, kept off the event loop.
        for revision, script in await asyncio.to_thread(revisions.render, current, self.dialect):
            async with self._lock:
                try:
                    # executescript commits any open transaction first, so the BEGIN is part of the script.
                    await self._conn.executescript(
                        f"BEGIN IMMEDIATE;\n{script}\n;PRAGMA user_version = {revision.number};\nCOMMIT;"
                    )
                except sqlite3.Error as exc:
                    if self._conn.in_transaction:
                        await self._conn.rollback()
                    raise _file_error(self.path, exc) or DatabaseError(
                        f"migration {revision.name} failed: {exc}"
                    ) from exc
            log.info("Applied database migration %s", revision.name)
            applied.append(revision.number)
        return applied

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._lock, self._conn.execute(sql, params) as cur:
            cur.row_factory = sqlite3.Row
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._lock, self._conn.execute(sql, params) as cur:
            cur.row_factory = sqlite3.Row
            row: Row | None = await cur.fetchone()
            return row

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back if the block raises (or is cancelled)."""
        async with self._lock:
            try:
                # Inside the try: a task cancelled while BEGIN runs in aiosqlite's thread still has it run, and the
                # rollback (queued after it) ends it, instead of leaving the connection inside a transaction.
                await self._conn.execute("BEGIN IMMEDIATE")
                yield SqliteTransaction(self._conn)
            except BaseException:
                await self._conn.rollback()
                raise
            await self._conn.commit()


class SqliteTransaction(Transaction):
    """Statements on the one connection, which ``SqliteDatabase.transaction`` holds the lock of."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows changed."""
        async with self._conn.execute(sql, params) as cur:
            return cur.rowcount

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one INSERT; return the new row id."""
        async with self._conn.execute(sql, params) as cur:
            rowid = cur.lastrowid
        if rowid is None:
            raise DatabaseError("INSERT returned no row id")
        return rowid

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._conn.execute(sql, params) as cur:
            cur.row_factory = sqlite3.Row
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._conn.execute(sql, params) as cur:
            cur.row_factory = sqlite3.Row
            row: Row | None = await cur.fetchone()
            return row


async def _open(target: Path | str, connections: int, migrate: bool) -> Database:
    return await SqliteDatabase.connect(target, migrate=migrate)


register_store("sqlite", _open)
