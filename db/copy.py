"""Copying a whole Marquee database into another, empty one: how an install moves from its SQLite file to PostgreSQL.

The tables and their columns are read from the schemas themselves, not from a list kept here, so a table a later
revision adds is copied without anyone remembering to add it. Both sides are migrated to the same revision before
the copy, so they must hold the same tables with the same columns; any difference is refused, naming it, rather
than guessed around. Rows keep their ids (a queued delivery keeps its nonce and its item), which is why each
PostgreSQL sequence is then moved past the largest id copied: the next row the bot inserts must not collide.

The source is read inside one write transaction (``BEGIN IMMEDIATE`` on SQLite): a consistent snapshot, and a
refusal up front when a running Marquee is in the middle of writing. The target is written in one transaction, so
an interrupted copy leaves it as empty as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from db.database import Database, DatabaseError, Transaction

#: Rows read and written per statement: large enough to keep round trips few, small enough to keep memory flat.
BATCH_ROWS = 1000

#: Schema bookkeeping, not data: each store writes its own version when it is migrated.
VERSION_TABLES = frozenset({"alembic_version"})


class CopyRefused(DatabaseError):
    """The copy cannot start or could not finish; nothing was written to the target. The message says what to do."""


class SourceBusy(CopyRefused):
    """Another program (a running Marquee) is writing to the SQLite file."""


class TargetNotEmpty(CopyRefused):
    """The target already holds Marquee rows; copying into it would mix two installs."""

    def __init__(self, where: str, filled: dict[str, int]) -> None:
        self.filled = filled
        listed = ", ".join(f"{table}: {rows}" for table, rows in list(filled.items())[:3])
        more = ", …" if len(filled) > 3 else ""
        super().__init__(
            f"the database at {where} already holds {sum(filled.values())} Marquee rows in {len(filled)} tables "
            f"({listed}{more})"
        )


@dataclass(frozen=True)
class Table:
    """A table as its schema describes it: its columns in order, the tables it references, and the columns a
    keyset walk orders by (the primary key, or SQLite's rowid)."""

    name: str
    columns: tuple[str, ...]
    references: frozenset[str] = frozenset()
    walk_key: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def matches(self) -> bool:
        return self.source == self.target


def quoted(identifier: str) -> str:
    """An identifier as SQL text both stores read, whatever it is named."""
    return '"' + identifier.replace('"', '""') + '"'


async def schema(db: Database) -> dict[str, Table]:
    """Every data table of ``db`` (the version bookkeeping left out), by name."""
    if db.dialect == "sqlite":
        return await _sqlite_schema(db)
    if db.dialect == "postgresql":
        return await _postgres_schema(db)
    raise DatabaseError(f"cannot read the tables of a {db.dialect} database")


async def _sqlite_schema(db: Database) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    rows = await db.fetchall(
        "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    for row in rows:
        name = str(row["name"])
        if name in VERSION_TABLES:
            continue
        info = await db.fetchall("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", (name,))
        keys = await db.fetchall('SELECT "table" FROM pragma_foreign_key_list(?)', (name,))
        primary = tuple(str(col["name"]) for col in sorted((c for c in info if c["pk"]), key=lambda c: int(c["pk"])))
        without_rowid = bool(row["wr"])
        tables[name] = Table(
            name=name,
            columns=tuple(str(col["name"]) for col in info),
            references=frozenset(str(key[0]) for key in keys) - {name},
            # A rowid table is walked by its rowid, which is never NULL and always unique (a TEXT primary key of a
            # table made before STRICT may hold NULLs); a WITHOUT ROWID table's primary key is NOT NULL by rule.
            walk_key=primary if without_rowid else ("rowid",),
        )
    return tables


async def _postgres_schema(db: Database) -> dict[str, Table]:
    columns: dict[str, list[str]] = {}
    for row in await db.fetchall(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
        "ORDER BY c.table_name, c.ordinal_position"
    ):
        columns.setdefault(str(row[0]), []).append(str(row[1]))
    references: dict[str, set[str]] = {}
    for row in await db.fetchall(
        "SELECT src.relname, dst.relname FROM pg_constraint k "
        "JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid "
        "WHERE k.contype = 'f' AND src.relnamespace = current_schema()::regnamespace"
    ):
        references.setdefault(str(row[0]), set()).add(str(row[1]))
    return {
        name: Table(name, tuple(cols), frozenset(references.get(name, set()) - {name}))
        for name, cols in columns.items()
        if name not in VERSION_TABLES
    }


def in_reference_order(tables: dict[str, Table]) -> list[Table]:
    """The tables with every referenced table before the tables that reference it (then by name)."""
    placed: list[Table] = []
    done: set[str] = set()
    waiting = dict(sorted(tables.items()))
    while waiting:
        ready = [t for t in waiting.values() if t.references <= done | (t.references - tables.keys())]
        if not ready:
            raise CopyRefused(f"the tables {', '.join(waiting)} reference each other in a cycle; copy them by hand")
        for table in ready:
            placed.append(table)
            done.add(table.name)
            del waiting[table.name]
    return placed


def compare(source: dict[str, Table], target: dict[str, Table], source_at: str, target_at: str) -> None:
    """Refuse unless both hold the same tables with the same columns (in any order), naming the first difference."""
    for name in sorted(source.keys() - target.keys()):
        raise CopyRefused(
            f"table {name} of {source_at} is missing in {target_at}: are both at the same schema version?"
        )
    for name in sorted(target.keys() - source.keys()):
        raise CopyRefused(
            f"table {name} of {target_at} is missing in {source_at}: are both at the same schema version?"
        )
    for name in sorted(source):
        only_source = [c for c in source[name].columns if c not in target[name].columns]
        only_target = [c for c in target[name].columns if c not in source[name].columns]
        if only_source:
            raise CopyRefused(f"column {name}.{only_source[0]} of {source_at} is missing in {target_at}")
        if only_target:
            raise CopyRefused(f"column {name}.{only_target[0]} of {target_at} is missing in {source_at}")


async def filled_tables(tx: Transaction | Database, tables: Sequence[str]) -> dict[str, int]:
    """The tables that hold rows, with their counts."""
    counts = {name: await _count(tx, name) for name in tables}
    return {name: rows for name, rows in counts.items() if rows}


async def _count(db: Transaction | Database, table: str) -> int:
    row = await db.fetchone(f"SELECT COUNT(*) FROM {quoted(table)}")  # noqa: S608 - a name read from the schema
    return int(row[0]) if row else 0


async def copy_database(source: Database, target: Database, *, batch: int = BATCH_ROWS) -> list[TableCount]:
    """Copy every row of ``source`` into the empty ``target``, ids kept; return each table's count on both sides (the
    source's in the snapshot copied, the target's after the commit), in the order the tables were copied.

    Raises ``SourceBusy`` when the source is being written, ``TargetNotEmpty`` when the target holds rows, and
    ``CopyRefused`` when the schemas differ; nothing is written in any of those cases.
    """
    if source.dialect != "sqlite":
        raise CopyRefused(f"the copy reads a SQLite file; {source.path} is a {source.dialect} database")
    source_tables = await schema(source)
    target_tables = await schema(target)
    compare(source_tables, target_tables, str(source.path), str(target.path))
    order = in_reference_order(source_tables)
    held: dict[str, int] = {}
    try:
        async with source.transaction() as read, target.transaction() as write:
            filled = await filled_tables(write, [t.name for t in order])
            if filled:
                raise TargetNotEmpty(str(target.path), filled)
            for table in order:
                try:
                    copied = await _copy_table(read, write, table, batch)
                except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                    raise CopyRefused(f"copying table {table.name} failed ({type(exc).__name__}: {exc})") from exc
                # Counted apart from the walk, in the same snapshot: a row the walk missed is caught here.
                held[table.name] = await _count(read, table.name)
                if copied != held[table.name]:
                    raise CopyRefused(f"table {table.name} holds {held[table.name]} rows, but {copied} were read")
            if target.dialect == "postgresql":
                await _advance_sequences(write, target_tables)
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            raise SourceBusy(f"{source.path} is being written by another program (a running Marquee?): {exc}") from exc
        raise
    return [TableCount(t.name, held[t.name], await _count(target, t.name)) for t in order]


def _busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED} or "locked" in str(exc)


async def _copy_table(read: Transaction, write: Transaction, table: Table, batch: int) -> int:
    """Copy one table in batches walked by its key; return how many rows the source held."""
    names = ", ".join(quoted(c) for c in table.columns)
    key = table.walk_key or tuple(table.columns)
    key_list = ", ".join(quoted(k) if k != "rowid" else "rowid" for k in key)
    first = f"SELECT {names}, {key_list} FROM {quoted(table.name)} ORDER BY {key_list} LIMIT ?"  # noqa: S608
    after = (
        f"SELECT {names}, {key_list} FROM {quoted(table.name)} "  # noqa: S608 - names read from the schema
        f"WHERE ({key_list}) > ({', '.join('?' for _ in key)}) ORDER BY {key_list} LIMIT ?"
    )
    insert = (
        f"INSERT INTO {quoted(table.name)} ({names}) "  # noqa: S608 - names read from the schema
        f"VALUES ({', '.join('?' for _ in table.columns)})"
    )
    width = len(table.columns)
    total = 0
    last: tuple[Any, ...] | None = None
    while True:
        rows = await (read.fetchall(first, (batch,)) if last is None else read.fetchall(after, (*last, batch)))
        if not rows:
            return total
        await write.executemany(insert, [tuple(row)[:width] for row in rows])
        total += len(rows)
        last = tuple(rows[-1])[width:]
        if len(rows) < batch:
            return total


_SERIAL_SQL = (
    "SELECT c.table_name, c.column_name, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) "
    "FROM information_schema.columns c WHERE c.table_schema = current_schema() "
    "AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL "
    "ORDER BY c.table_name, c.column_name"
)


async def _advance_sequences(write: Transaction, tables: dict[str, Table]) -> None:
    """Move each serial column's sequence past the largest value copied, so the next insert gets a new id.

    ``setval`` of an empty table's NULL maximum does nothing: its sequence still starts at 1.
    """
    for row in await write.fetchall(_SERIAL_SQL):
        table, column, sequence = str(row[0]), str(row[1]), str(row[2])
        if table in tables:
            await write.fetchone(
                f"SELECT setval(CAST(? AS TEXT)::regclass, MAX({quoted(column)})) FROM {quoted(table)}",  # noqa: S608
                (sequence,),
            )


async def open_source(path: Path) -> Database:
    """The SQLite file to copy from, brought up to the newest schema first as ``Database.open`` would: always the
    file, whatever else the settings name, since the copy is what moves an install off it."""
    from db.sqlite import SqliteDatabase

    return await SqliteDatabase.connect(path)
