"""The owner of a PostgreSQL store's connections (``DATABASE_URL=postgresql://…``), for a hosted Marquee.

The SQL is ``db/``'s own, written with ``?``; here it becomes asyncpg's ``$1, $2, …`` (asyncpg, not an ORM layer:
``bench/storage_choice.py`` measured SQLAlchemy Core at 1.07–2.2× the raw driver on the outbox's paths). A pool
serves reads concurrently; a process's own transactions still take turns, as they do on SQLite, so a service sees
the same order of its own writes on either store, and what several processes do at once is settled by row locks
and leases (``db.cluster``), not by luck.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from db import revisions
from db.database import Database, DatabaseError, DatabaseServerError, Row, Transaction, register_store

log = logging.getLogger(__name__)

# Any two processes migrating one database at once take turns on this advisory lock ("MRQ migrate").
MIGRATION_LOCK = 0x4D52_515F_6D69_67
_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS alembic_version "
    "(version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)
# Custom plans for every prepared statement: after five runs PostgreSQL may give one a generic plan, and for the
# key lookups' IN lists (up to 500 keys) that plan made a feed's poll about 7× slower (bench/pg_plans.py).
SERVER_SETTINGS = {"plan_cache_mode": "force_custom_plan"}
_STATUS_COUNT = re.compile(r"(\d+)$")

Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"


_QUERY_PASSWORD = re.compile(r"(?i)(password=)[^&]*")


def redacted(url: str) -> str:
    """The URL without its password (in the address or as ``?password=``), for messages and logs."""
    parts = urlsplit(url)
    if parts.query:
        parts = parts._replace(query=_QUERY_PASSWORD.sub(r"\1***", parts.query))
    if parts.password is None:
        return urlunsplit(parts)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def driver_url(url: str) -> str:
    """asyncpg's form of a URL also written the SQLAlchemy way (``postgresql+asyncpg://``)."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.lower() in {"postgresql+asyncpg", "postgres"} else url


@functools.lru_cache(maxsize=1024)
def dollars(sql: str) -> str:
    """``?`` placeholders as ``$1, $2, …``, leaving quoted text alone."""
    out: list[str] = []
    number = 0
    quoted = False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "?" and not quoted:
            number += 1
            out.append(f"${number}")
        else:
            out.append(char)
    return "".join(out)


def _changed(status: str) -> int:
    """The row count at the end of a command tag ("UPDATE 3", "INSERT 0 1")."""
    match = _STATUS_COUNT.search(status)
    return int(match.group(1)) if match else 0


class PostgresTransaction(Transaction):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return _changed(await self._conn.execute(dollars(sql), *params))

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        row_id = await self._conn.fetchval(dollars(sql) + " RETURNING id", *params)
        if row_id is None:
            raise DatabaseError("INSERT returned no row id")
        return int(row_id)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(row) for row in rows]
        if batch:
            await self._conn.executemany(dollars(sql), batch)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self._conn.fetch(dollars(sql), *params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = await self._conn.fetchrow(dollars(sql), *params)
        return row


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record], url: str) -> None:
        self._pool = pool
        self._lock = asyncio.Lock()
        self.url = url
        self.path = redacted(url)

    @classmethod
    async def connect(
        cls, url: str, *, pool_size: int = 10, migrate: bool = True, settings: dict[str, str] | None = None
    ) -> PostgresDatabase:
        shown = redacted(url)
        try:
            pool = await asyncpg.create_pool(
                driver_url(url), min_size=1, max_size=pool_size, server_settings=settings or SERVER_SETTINGS
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise DatabaseServerError(
                shown,
                f"cannot connect to the PostgreSQL server at {shown} ({type(exc).__name__}: {exc})",
                "Check that the server runs, that the database exists and that the user and password are right",
            ) from exc
        database = cls(pool, url)
        try:
            await (database.migrate() if migrate else database.require_current())
        except BaseException:
            await pool.close()
            raise
        return database

    async def close(self) -> None:
        await self._pool.close()

    async def schema_version(self) -> int:
        async with self._pool.acquire() as conn:
            return await _version(conn)

    async def migrate(self) -> list[int]:
        """Apply the newer revisions under an advisory lock, so processes starting together migrate once."""
        applied: list[int] = []
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                current = await _version(conn)
                if current == 0:
                    await self._refuse_foreign_schema(conn)
                newest = await asyncio.to_thread(revisions.newest)
                if current > newest:
                    raise DatabaseServerError(
                        self.path,
                        f"the database at {self.path} is at schema version {current}, newer than this Marquee "
                        f"({newest})",
                        "Upgrade Marquee or point DATABASE_URL at another database",
                    )
                for revision, script in await asyncio.to_thread(revisions.render, current, self.dialect):
                    try:
                        async with conn.transaction():
                            await conn.execute(script)
                            await conn.execute(_VERSION_TABLE)
                            await conn.execute("DELETE FROM alembic_version")
                            await conn.execute("INSERT INTO alembic_version (version_num) VALUES ($1)", revision.id)
                    except asyncpg.PostgresError as exc:
                        raise DatabaseError(f"migration {revision.name} failed: {exc}") from exc
                    log.info("Applied database migration %s", revision.name)
                    applied.append(revision.number)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        return applied

    async def _refuse_foreign_schema(self, conn: Connection) -> None:
        """Refuse a database that holds another program's tables rather than add Marquee's beside them."""
        names = [
            str(row[0])
            for row in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "ORDER BY table_name"
            )
        ]
        if names:
            listed = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            raise DatabaseServerError(
                self.path,
                f"the database at {self.path} holds another program's tables ({listed})",
                "Point DATABASE_URL at an empty database made for Marquee (createdb marquee)",
            )

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._pool.acquire() as conn:
            return list(await conn.fetch(dollars(sql), *params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._pool.acquire() as conn:
            row: Row | None = await conn.fetchrow(dollars(sql), *params)
            return row

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._lock, self._pool.acquire() as conn, conn.transaction():
            yield PostgresTransaction(conn)


async def _version(conn: Connection) -> int:
    exists = await conn.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL")
    if not exists:
        return 0
    value = await conn.fetchval("SELECT version_num FROM alembic_version")
    return 0 if value is None else int(value)


async def _open(target: Path | str, connections: int, migrate: bool) -> Database:
    return await PostgresDatabase.connect(str(target), pool_size=connections, migrate=migrate)


register_store("postgresql", _open)
