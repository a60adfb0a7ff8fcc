"""Feed queries that must stay quick as the outbox grows with every post in every server."""

from __future__ import annotations

from pathlib import Path

import pytest

import db.feeds as q
from db import Database

# About the SQLite file itself (its bytes, its query plans); the PostgreSQL run skips it.
pytestmark = pytest.mark.sqlite_only


async def test_recent_posts_of_one_server_do_not_read_every_servers_posts(tmp_path: Path) -> None:
    """/news in one server looks up that server's sent posts by index, not every sent post of every server."""
    async with await Database.open(tmp_path / "feeds.db") as database:
        statements: list[str] = []
        await database._conn.set_trace_callback(statements.append)
        await q.recent_posts(database, 1, 5)
        await database._conn.set_trace_callback(None)
        query = next(s for s in statements if "FROM deliveries" in s)
        plan = [str(row["detail"]) for row in await database.fetchall("EXPLAIN QUERY PLAN " + query)]
    assert any(step.startswith("SEARCH d ") and "guild_id=?" in step for step in plan), plan
