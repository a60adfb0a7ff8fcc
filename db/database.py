"""What every query function in ``db/`` holds on to: a ``Database`` and, inside ``transaction()``, a ``Transaction``.

Marquee's SQL is written once, with ``?`` placeholders, in the subset SQLite and PostgreSQL read alike; each store
has a thin owner of its connections (``db.sqlite`` for the embedded file, ``db.postgres`` for a shared server)
that binds it in its driver's way. Both stores get their schema from the same Alembic history
(``db.revisions``), so a query function never asks which store it runs on.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol, Self

from db import revisions


class Row(Protocol):
    """A result row: by column name or position (``sqlite3.Row`` and ``asyncpg.Record`` both are)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...


class DatabaseError(Exception):
    """The database cannot be used as it is; the message says why and what to do."""


class DatabaseFileError(DatabaseError):
    """The file at the database path is not one Marquee can use; start-up reports it as the path setting's fault.

    Kept apart from other ``DatabaseError``s (a broken migration is Marquee's bug, not the operator's) so that
    ``python -m bot`` can name ``DATABASE_PATH`` and the fix in one line instead of showing a traceback.
    """

    setting = "DATABASE_PATH"

    def __init__(self, path: Path | str, problem: str, fix: str) -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem}. {fix}")


class DatabaseServerError(DatabaseFileError):
    """The PostgreSQL server at ``DATABASE_URL`` cannot be used; reported against that setting the same way."""

    setting = "DATABASE_URL"


def is_server_url(target: Path | str) -> bool:
    """Whether ``target`` names a PostgreSQL server rather than a SQLite file."""
    return isinstance(target, str) and target.split("://", 1)[0].lower() in {
        "postgresql",
        "postgres",
        "postgresql+asyncpg",
    }


DEFAULT_CONNECTIONS = 10
Opener = Callable[[Path | str, int, bool], Awaitable["Database"]]
# Each store's module registers its opener when ``db`` is imported (db/__init__.py), so this module, which both
# import, needs neither driver.
_OPENERS: dict[str, Opener] = {}


def register_store(kind: str, opener: Opener) -> None:
    _OPENERS[kind] = opener


class Transaction(abc.ABC):
    """The statements allowed inside ``Database.transaction()``; it never commits on its own."""

    @abc.abstractmethod
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows changed."""

    @abc.abstractmethod
    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one INSERT into a table with an ``id`` key; return the new row's id."""

    @abc.abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abc.abstractmethod
    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abc.abstractmethod
    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...


class Database(abc.ABC):
    """Owns the connections; every query function in ``db/`` goes through ``fetchall``/``fetchone``/``transaction``."""

    #: "sqlite" or "postgresql": the few statements that must differ (``db.leases``' row locks) choose by it.
    dialect: str
    #: where the data is, for messages: a file path, or a server URL without its password.
    path: Path | str

    @staticmethod
    async def open(target: Path | str, *, connections: int = DEFAULT_CONNECTIONS, migrate: bool = True) -> Database:
        """Connect to a SQLite file (a path) or a PostgreSQL server (a ``postgresql://`` URL) and bring the schema
        up to date; ``connections`` caps the PostgreSQL pool (SQLite has its one connection).

        ``migrate=False`` is for a reader beside running processes (``python -m bot status``): it changes nothing and
        refuses a schema other than this Marquee's, rather than upgrading the tables under the processes' feet.
        """
        kind = "postgresql" if is_server_url(target) else "sqlite"
        return await _OPENERS[kind](target, connections, migrate)

    @abc.abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @abc.abstractmethod
    async def schema_version(self) -> int: ...

    async def require_current(self) -> None:
        """Refuse a schema older or newer than this Marquee's, naming what to do."""
        current, newest = await self.schema_version(), revisions.newest()
        if current != newest:
            raise DatabaseError(
                f"the database at {self.path} is at schema version {current}, this Marquee's is {newest}: "
                + ("start Marquee (python -m bot) once to upgrade it" if current < newest else "upgrade this Marquee")
            )

    @abc.abstractmethod
    async def migrate(self) -> list[int]:
        """Apply every bundled revision newer than the database, each in its own transaction."""

    @abc.abstractmethod
    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abc.abstractmethod
    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    @abc.abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """One transaction, committed when the block ends, rolled back if it raises (or is cancelled)."""
