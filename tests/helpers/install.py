"""An install's SQLite database with something in every part of it, written through the real ``db/`` functions,
and a table-by-table read of any database: what the tests of moving an install to PostgreSQL copy and compare."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import db.countdown
import db.departures
import db.feeds as q
import db.meta
from bot.release.claims import Status, claim_to_json
from db import Database
from db.copy import open_source, quoted, schema
from tests.helpers.claims import claim
from tests.helpers.outbox import subscribe_channel, to_all

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3650)  # the copied feeds are not due while a test runs


def news(key: str, *, minutes: int = 0) -> q.NewItem:
    return q.NewItem(
        item_key=key,
        story_key=f"story-{key}",
        title=f"All of Us Are Dead: {key}",
        link=f"https://news.example/{key}",
        outlet="Example News",
        summary=f"What happened in {key}",
        image_url=None,
        published_at=NOW - timedelta(hours=2) + timedelta(minutes=minutes),
        aliases=(f"https://news.example/{key}?amp=1",),
        story_keys=(f"headline-{key}",),
        text_key=f"text-{key}",
    )


async def filled_install(path: Path, *, guild_id: int = 1, channels: tuple[int, int] = (100, 200)) -> dict[str, int]:
    """A SQLite file at ``path`` as a running install leaves it: two feeds followed in two channels, seen items with
    their keys, deliveries pending and sent, a paused channel, a countdown with history, server settings, a
    departure and a meta fact. Returns how many rows each table holds."""
    first, second = channels
    async with await open_source(path) as database:
        dispatch = await subscribe_channel(
            database,
            now=NOW,
            url="https://dispatch.example/feed",
            guild_id=guild_id,
            channel_id=first,
            existing=[news("old-1"), news("old-2", minutes=5)],
            next_due_at=LATER,
        )
        await subscribe_channel(
            database, now=NOW, url="https://dispatch.example/feed", guild_id=guild_id, channel_id=second,
            next_due_at=LATER,
        )  # fmt: skip
        await subscribe_channel(
            database, now=NOW, url="https://other.example/rss", guild_id=guild_id, channel_id=first, next_due_at=LATER
        )
        fresh = [news("new-1", minutes=30), news("new-2", minutes=40)]
        assert await q.store_items(database, dispatch.feed_id, fresh, now=NOW, route=to_all)
        due = await q.due_deliveries(database, NOW, limit=100, per_channel=100)
        sent = next(d for d in due if d.channel_id == first)
        await q.mark_sent(database, sent, 555_000_001, NOW + timedelta(seconds=2))
        waiting = next(d for d in due if d.channel_id == second)
        await q.retry_later(database, waiting.id, "503 Service Unavailable", NOW + timedelta(minutes=1))
        await q.channel_failed(
            database, waiting, "403 Missing Access", now=NOW, retry_at=NOW + timedelta(minutes=5), pause_after=5
        )
        await q.save_guild_settings(database, q.GuildFeedSettings(guild_id, ("spoilers.example",), ("leak",), 3, None))
        seed = claim_to_json(claim(date(2026, 12, 1), date(2027, 6, 30), published=date(2026, 2, 23)))
        confirmed = claim_to_json(claim(date(2027, 1, 9), status=Status.CONFIRMED))
        await db.countdown.create(
            database, guild_id=guild_id, channel_id=first, ping_role_id=None, claim=seed, by_user=3003, now=NOW
        )
        await db.countdown.record(
            database, guild_id, confirmed, expected=seed, accepted=True, reason="stronger", by_user=None,
            announce=True, now=NOW + timedelta(hours=1),
        )  # fmt: skip
        await db.departures.depart(database, guild_id + 1, None, now=NOW, reason="Marquee was removed")
        await db.meta.put(database, "command_hash", "abc123")
        return {name: len(rows) for name, rows in (await table_rows(database)).items()}


async def table_rows(database: Database, tables: list[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (columns by name, in name order; rows sorted), so two stores' copies compare equal."""
    found = await schema(database)
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for name in tables or sorted(found):
        columns = ", ".join(quoted(c) for c in sorted(found[name].columns))
        got = await database.fetchall(f"SELECT {columns} FROM {quoted(name)}")  # noqa: S608 - names from the schema
        rows[name] = sorted((tuple(row) for row in got), key=repr)
    return rows
