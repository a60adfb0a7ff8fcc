"""What the claims of shared work have in common: who holds a lease, which servers a process hosts, and the one
clause that differs between the stores.

A claim is one statement: ``UPDATE … WHERE key IN (SELECT key … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING …``. On
PostgreSQL the row locks make two processes claiming at the same moment take disjoint rows (each skips what the
other is taking) instead of waiting for each other; SQLite has one writer at a time, so the same statement without
the clause is already exclusive there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from db.database import Database
from db.times import to_text


class Holder(Protocol):
    """Who claims: ``bot.node.Node``. ``id`` is written on every lease taken; ``lease`` is how long one lasts."""

    @property
    def id(self) -> str: ...

    @property
    def lease(self) -> timedelta: ...


class Hosted(Protocol):
    """The gateway shards a process connects (``bot.settings.Shards``): a server is on shard
    ``(guild_id >> 22) % count``, and only the process hosting that shard has the server in its cache."""

    @property
    def count(self) -> int: ...

    @property
    def ids(self) -> tuple[int, ...]: ...


def skip_locked(db: Database, *, of: str | None = None) -> str:
    """The claim's row-lock clause for this store (nothing on SQLite); ``of`` names the one table whose rows are
    claimed when the query reads others too."""
    if db.dialect != "postgresql":
        return ""
    return f" FOR UPDATE OF {of} SKIP LOCKED" if of else " FOR UPDATE SKIP LOCKED"


def until(holder: Holder, now: datetime) -> str:
    """When a lease taken or renewed at ``now`` runs out, as stored."""
    return to_text(now + holder.lease)


def on_shards(column: str, hosted: Hosted | None) -> tuple[str, Sequence[int]]:
    """An SQL condition (and its parameters) true for the servers in ``column`` that ``hosted`` hosts; every server
    without shards (one process connects them all)."""
    if hosted is None:
        return "1 = 1", ()
    marks = ", ".join("?" for _ in hosted.ids)
    return f"(({column} >> 22) % ?) IN ({marks})", (hosted.count, *hosted.ids)
