"""Which store the suite runs on: SQLite files (the default) or, with ``MARQUEE_TEST_STORE=postgresql``, PostgreSQL.

The whole suite runs against both stores without a test knowing which: on PostgreSQL every database a test opens
by file path (the ``database`` fixture, every Marquee a test starts, a restart reopening the same path) becomes a
PostgreSQL database of that test's own, copied from a template migrated once per session, and reopening the same
path reaches the same database. Tests about the SQLite file itself are marked ``sqlite_only``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncpg

from db import Database
from db.database import is_server_url
from tests.helpers.postgres import PostgresServer

STORE_VARIABLE = "MARQUEE_TEST_STORE"
STORES = ("sqlite", "postgresql")
TEMPLATE = "marquee_template"
# The numbered SQL files the Alembic history was written from: the schema every install made before it has.
SQLITE_MIGRATIONS = Path(__file__).resolve().parents[1] / "db" / "sqlite_migrations"
_REAL_OPEN = Database.open
_ACTIVE: list[PostgresStores] = []  # the running test's stand-ins, for store_env


def chosen_store() -> str:
    """The suite's store from ``MARQUEE_TEST_STORE``; a wrong value stops the run instead of testing SQLite twice."""
    value = os.environ.get(STORE_VARIABLE, "sqlite").strip().lower() or "sqlite"
    if value not in STORES:
        raise SystemExit(f"{STORE_VARIABLE}={value!r}: use one of {', '.join(STORES)}")
    return value


def migrated_template(server: PostgresServer) -> str:
    """The session's template database, with Marquee's schema applied once, so each test's copy starts migrated."""
    url = server.create_database(TEMPLATE)

    async def migrate() -> None:
        opened = await _REAL_OPEN(url)
        await opened.close()

    asyncio.run(migrate())
    return TEMPLATE


def _key(target: Path | str) -> str:
    return str(target) if str(target) == ":memory:" else str(Path(target).resolve())


class PostgresStores:
    """The PostgreSQL databases standing in for one test's SQLite paths."""

    def __init__(self, server: PostgresServer, template: str) -> None:
        self._server = server
        self._template = template
        self._urls: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def open(self, target: Path | str, **options: int | bool) -> Database:
        if is_server_url(target):
            return await _REAL_OPEN(target, **options)
        return await _REAL_OPEN(await self.url_for(target), **options)

    async def url_for(self, target: Path | str) -> str:
        """The database standing in for the SQLite path ``target`` (``:memory:`` is a new one each time)."""
        key = _key(target)
        async with self._lock:
            if key in self._urls and key != ":memory:":
                return self._urls[key]
            name = self._server.next_database_name()
            admin = await asyncpg.connect(self._server.url())
            try:
                await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
            finally:
                await admin.close()
            url = self._server.url(name)
            self._urls[key if key != ":memory:" else f":memory:{name}"] = url
            return url

    def __enter__(self) -> PostgresStores:
        _ACTIVE.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.remove(self)
        self.drop_all()

    def drop_all(self) -> None:
        """Drop every database of the test, forcing out any connection a test left open."""
        for url in self._urls.values():
            name = url.rsplit("/", 1)[1]
            self._server.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._urls.clear()


async def store_env(path: Path) -> dict[str, str]:
    """The environment that points a ``python -m bot`` child at the test's store: the SQLite file, or on the
    PostgreSQL run the database standing in for it (the same one the test reads through ``Database.open``)."""
    if not _ACTIVE:
        return {"DATABASE_PATH": str(path)}
    return {"DATABASE_URL": await _ACTIVE[-1].url_for(path)}
