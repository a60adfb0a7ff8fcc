"""Copying an install's SQLite database into PostgreSQL: every row arrives with its id, nothing is overwritten."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

import db.feeds as q
from db import Database
from db.copy import CopyRefused, SourceBusy, TargetNotEmpty, copy_database, open_source
from tests.helpers.install import NOW, filled_install, news, table_rows
from tests.helpers.outbox import subscribe_channel, to_all

OLD_MIGRATIONS = Path(__file__).resolve().parent / "sqlite_migrations"
"""The SQL files every install made before the PostgreSQL store was migrated with."""


async def test_every_table_arrives_row_for_row(tmp_path: Path, postgres_database: str) -> None:
    """After the move the PostgreSQL database holds exactly the rows the SQLite file held, ids and nonces kept."""
    counts = await filled_install(tmp_path / "marquee.db")
    async with await open_source(tmp_path / "marquee.db") as sqlite, await Database.open(postgres_database) as pg:
        copied = await copy_database(sqlite, pg, batch=2)  # batches of 2: every table takes several
        assert {c.table: (c.source, c.target) for c in copied} == {t: (n, n) for t, n in counts.items()}
        assert await table_rows(pg) == await table_rows(sqlite)
    for table in ("feeds", "subscriptions", "items", "item_keys", "deliveries", "countdown_history", "meta"):
        assert counts[table] > 0, f"the filled install has no {table} row: the test would prove nothing for it"


async def test_referenced_tables_come_first(tmp_path: Path, postgres_database: str) -> None:
    """Feeds before their subscriptions and items, items before deliveries: PostgreSQL checks each reference."""
    await filled_install(tmp_path / "marquee.db")
    async with await open_source(tmp_path / "marquee.db") as sqlite, await Database.open(postgres_database) as pg:
        order = [c.table for c in await copy_database(sqlite, pg)]
    assert order.index("feeds") < order.index("subscriptions") < order.index("deliveries")
    assert order.index("items") < order.index("item_keys")
    assert order.index("countdowns") < order.index("countdown_history")


async def test_new_rows_after_the_move_get_new_ids(tmp_path: Path, postgres_database: str) -> None:
    """A feed added, an article stored and a verdict recorded after the move do not collide with the copied ones."""
    await filled_install(tmp_path / "marquee.db")
    async with await open_source(tmp_path / "marquee.db") as sqlite, await Database.open(postgres_database) as pg:
        await copy_database(sqlite, pg)
        largest = {t: await _largest_id(pg, t) for t in ("feeds", "subscriptions", "items", "deliveries")}
        sub = await subscribe_channel(pg, now=NOW, url="https://third.example/feed", guild_id=1, channel_id=300)
        assert await q.store_items(pg, sub.feed_id, [news("after-the-move")], now=NOW, route=to_all)
        (delivery,) = [d for d in await q.due_deliveries(pg, NOW, limit=100, per_channel=100) if d.channel_id == 300]
    assert sub.feed_id > largest["feeds"]
    assert sub.id > largest["subscriptions"]
    assert delivery.id > largest["deliveries"]
    assert delivery.item_id > largest["items"]


async def test_a_second_run_is_refused_and_changes_nothing(tmp_path: Path, postgres_database: str) -> None:
    """Copying into a database that already holds Marquee's rows is refused; what it holds stays as it was."""
    counts = await filled_install(tmp_path / "marquee.db")
    async with await open_source(tmp_path / "marquee.db") as sqlite, await Database.open(postgres_database) as pg:
        await copy_database(sqlite, pg)
        held = await table_rows(pg)
        with pytest.raises(TargetNotEmpty) as refused:
            await copy_database(sqlite, pg)
        assert f"already holds {sum(counts.values())} Marquee rows" in str(refused.value)
        assert await table_rows(pg) == held


async def test_an_empty_install_copies_to_an_empty_database(tmp_path: Path, postgres_database: str) -> None:
    """A freshly migrated target is accepted, and an install with no rows yet copies as zeros everywhere."""
    async with await open_source(tmp_path / "new.db") as sqlite, await Database.open(postgres_database) as pg:
        copied = await copy_database(sqlite, pg)
    assert copied and all(c.source == c.target == 0 for c in copied)


async def test_a_file_being_written_is_refused(tmp_path: Path, postgres_database: str) -> None:
    """While another program holds the SQLite file's write lock the copy refuses, and the target stays empty."""
    await filled_install(tmp_path / "marquee.db")
    async with await open_source(tmp_path / "marquee.db") as sqlite, await Database.open(postgres_database) as pg:
        with contextlib.closing(sqlite3.connect(tmp_path / "marquee.db", isolation_level=None)) as writer:
            writer.execute("BEGIN IMMEDIATE")
            with pytest.raises(SourceBusy, match="being written by another program"):
                await copy_database(sqlite, pg)
            writer.execute("ROLLBACK")
        assert all(not rows for rows in (await table_rows(pg)).values())


async def test_an_install_from_before_postgresql_copies_row_for_row(tmp_path: Path, postgres_database: str) -> None:
    """A file that earlier Marquee versions made through their SQL migrations moves as completely as a new one."""
    path = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for script in sorted(OLD_MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            number = int(script.name[:4])
            conn.executescript(f"BEGIN IMMEDIATE;\n{script.read_text()}\n;PRAGMA user_version = {number};\nCOMMIT;")
    counts = await filled_install(path)
    async with await open_source(path) as sqlite, await Database.open(postgres_database) as pg:
        copied = await copy_database(sqlite, pg)
        assert {c.table: c.target for c in copied} == counts
        assert await table_rows(pg) == await table_rows(sqlite)


async def test_a_column_on_one_side_only_is_named(tmp_path: Path, postgres_database: str) -> None:
    """A file with a column PostgreSQL's schema lacks is refused by name rather than copied without it."""
    await filled_install(tmp_path / "marquee.db")
    with contextlib.closing(sqlite3.connect(tmp_path / "marquee.db", isolation_level=None)) as conn:
        conn.execute("ALTER TABLE feeds ADD COLUMN added_by_hand TEXT")
    async with await open_source(tmp_path / "marquee.db") as sqlite, await Database.open(postgres_database) as pg:
        with pytest.raises(CopyRefused, match=r"column feeds\.added_by_hand of .*marquee\.db is missing in postgresql"):
            await copy_database(sqlite, pg)
        assert all(not rows for rows in (await table_rows(pg)).values())


async def _largest_id(database: Database, table: str) -> int:
    row = await database.fetchone(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - the test's own table names
    assert row is not None and row[0] is not None, f"nothing was copied into {table}"
    return int(row[0])
