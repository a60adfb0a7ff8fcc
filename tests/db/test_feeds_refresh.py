"""/feeds refresh in the database: it makes due only the feeds the service picks, from the rows as they stand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import db.feeds as q
from db import Database
from tests.helpers.outbox import subscribe_channel, to_none

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


async def follow(database: Database, url: str, guild: int = 1) -> q.Subscription:
    return await subscribe_channel(
        database, now=NOW, url=url, guild_id=guild, channel_id=100 + guild, route=to_none, next_due_at=LATER
    )


async def due_urls(database: Database) -> list[str]:
    return [f.url for f in await q.due_feeds(database, NOW)]


async def test_refresh_makes_due_only_the_feeds_chosen_from_the_servers_own(database: Database) -> None:
    """The chooser sees this server's feeds; only those it returns become due, and no other server's feed does."""
    await follow(database, "https://a.example/feed")
    await follow(database, "https://b.example/feed")
    await follow(database, "https://c.example/feed", guild=2)
    seen: list[str] = []

    def choose(feeds: list[q.Feed]) -> list[int]:
        seen.extend(f.url for f in feeds)
        return [f.id for f in feeds if f.url.startswith("https://a.")]

    assert await q.claim_refresh(database, 1, NOW, timedelta(minutes=1), choose) is None
    assert seen == ["https://a.example/feed", "https://b.example/feed"]
    assert await due_urls(database) == ["https://a.example/feed"]


async def test_a_refused_refresh_makes_nothing_due(database: Database) -> None:
    """Within the minute, a second refresh changes no feed's next check."""
    await follow(database, "https://a.example/feed")
    assert await q.claim_refresh(database, 1, NOW, timedelta(minutes=1), lambda feeds: []) is None
    again = await q.claim_refresh(database, 1, NOW + timedelta(seconds=5), timedelta(minutes=1), lambda f: [1])
    assert again == NOW + timedelta(minutes=1)
    assert await due_urls(database) == []
