"""What the PostgreSQL store's owner adds to db/'s SQL: placeholders, connections, and a password kept out of sight."""

from __future__ import annotations

import pytest

from db import Database
from db.database import DatabaseServerError
from db.postgres import PostgresDatabase, dollars, redacted


def test_question_marks_become_numbered_parameters_outside_quoted_text() -> None:
    """db/'s statements run unchanged on PostgreSQL, even where a quoted string holds a question mark."""
    sql = "SELECT * FROM items WHERE title = '¿Qué?' AND feed_id = ? AND item_key IN (?, ?)"
    assert dollars(sql) == "SELECT * FROM items WHERE title = '¿Qué?' AND feed_id = $1 AND item_key IN ($2, $3)"


async def test_a_process_keeps_at_most_its_connections_open(postgres_database: str) -> None:
    """DATABASE_CONNECTIONS caps the pool one process holds, so several processes stay under the server's limit."""
    async with await Database.open(postgres_database, connections=3) as database:
        assert isinstance(database, PostgresDatabase)
        assert database._pool.get_max_size() == 3


async def test_an_unreachable_server_is_named_without_its_password(unused_tcp_port: int) -> None:
    """A wrong DATABASE_URL stops start-up with the setting's name and the fix; the password never shows."""
    url = f"postgresql://marquee:hunter2secret@127.0.0.1:{unused_tcp_port}/marquee"
    with pytest.raises(DatabaseServerError) as caught:
        await Database.open(url)
    assert caught.value.setting == "DATABASE_URL"
    assert "hunter2secret" not in str(caught.value) and "***" in str(caught.value)
    assert "Check that the server runs" in str(caught.value)
    assert redacted(url) == f"postgresql://marquee:***@127.0.0.1:{unused_tcp_port}/marquee"
    assert redacted("postgresql://db.internal/marquee?user=m&password=hunter2&sslmode=require") == (
        "postgresql://db.internal/marquee?user=m&password=***&sslmode=require"
    )


async def test_prepared_lookups_are_planned_for_their_values(postgres_database: str) -> None:
    """A feed's poll keeps its speed after the fifth: every connection plans each run for its own keys, where
    PostgreSQL's default generic plan made the key lookups several times slower (bench/pg_plans.py)."""
    async with await Database.open(postgres_database) as database:
        for _ in range(3):  # separate reads may come from separate pooled connections
            row = await database.fetchone("SHOW plan_cache_mode")
            assert row is not None and row[0] == "force_custom_plan"
