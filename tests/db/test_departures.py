"""Departures in the database: held posts while Marquee is away, nothing lost on return, all gone when forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import db.countdown
import db.departures as departures
import db.feeds as q
from db import Database
from tests.helpers.outbox import news_item, subscribe_channel, to_all

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
GONE = "Marquee was removed from this server"
DELETED = "the channel was deleted"


def item(key: str) -> q.NewItem:
    return news_item(key, published=NOW - timedelta(hours=1))


async def follow(database: Database, url: str, guild_id: int, channel_id: int) -> q.Subscription:
    return await subscribe_channel(database, now=NOW, url=url, guild_id=guild_id, channel_id=channel_id)


async def waiting(database: Database) -> set[int]:
    """The channels with a post the sender would send now."""
    return {d.channel_id for d in await q.due_deliveries(database, NOW)}


async def test_a_departed_server_posts_are_held_and_sent_on_return(database: Database) -> None:
    """While Marquee is out of a server its posts wait; invited back, they are due again and nothing is gone."""
    sub = await follow(database, "https://a.example/feed", 1, 100)
    await follow(database, "https://a.example/feed", 2, 200)
    await q.store_items(database, sub.feed_id, [item("a1")], now=NOW, route=to_all)
    assert await departures.depart(database, 1, None, now=NOW, reason=GONE)
    assert await waiting(database) == {200}
    assert not await departures.depart(database, 1, None, now=NOW + timedelta(hours=1), reason=GONE)
    assert [d.departed_at for d in await departures.departures(database)] == [NOW]
    assert await departures.come_back(database, 1, reason=GONE)
    assert await waiting(database) == {100, 200}
    assert await departures.departures(database) == []
    assert len(await q.guild_subscriptions(database, 1)) == 1


async def test_return_keeps_a_pause_discord_made(database: Database) -> None:
    """A channel paused for Discord's refusals before Marquee left stays paused after it returns."""
    sub = await follow(database, "https://a.example/feed", 1, 100)
    await q.store_items(database, sub.feed_id, [item("a1")], now=NOW, route=to_all)
    [delivery] = await q.due_deliveries(database, NOW)
    await q.channel_failed(database, delivery, "403 Missing Access", now=NOW, retry_at=NOW, pause_after=1)
    await departures.depart(database, 1, None, now=NOW, reason=GONE)
    await departures.come_back(database, 1, reason=GONE)
    assert await q.paused_channels(database, 1) == {100: "403 Missing Access"}


async def test_forgetting_a_server_deletes_its_setup_only(database: Database) -> None:
    """After the grace period a server's subscriptions, waiting posts, settings and countdown go; others stay."""
    sub = await follow(database, "https://a.example/feed", 1, 100)
    await follow(database, "https://a.example/feed", 2, 200)
    await q.store_items(database, sub.feed_id, [item("a1")], now=NOW, route=to_all)
    await q.save_guild_settings(database, q.GuildFeedSettings(1, (), (), 3, None))
    await db.countdown.create(database, guild_id=1, channel_id=100, ping_role_id=None, claim=None, by_user=9, now=NOW)
    await db.countdown.create(database, guild_id=2, channel_id=200, ping_role_id=None, claim=None, by_user=9, now=NOW)
    claim = {"start": "2026-12-04", "end": "2026-12-04", "precision": "exact", "status": "confirmed"}
    await db.countdown.remember_news(database, claim, NOW.date(), NOW, guild_ids=[1, 2])
    await departures.depart(database, 1, None, now=NOW, reason=GONE)
    assert await departures.departures(database, before=NOW) == []
    [due] = await departures.departures(database, before=NOW + timedelta(days=7))
    await departures.forget(database, due)
    assert await q.guild_subscriptions(database, 1) == []
    assert await db.countdown.get(database, 1) is None
    assert await db.countdown.news(database, 1) == [] and await db.countdown.news(database, 2) == [claim]
    assert (await q.guild_settings(database, 1)).spoiler_days == 0
    assert await q.paused_channels(database, 1) == {}
    assert await waiting(database) == {200}
    assert len(await q.guild_subscriptions(database, 2)) == 1 and await db.countdown.get(database, 2) is not None
    assert await departures.departures(database) == []


async def test_a_deleted_channel_goes_alone(database: Database) -> None:
    """A deleted channel's subscriptions and countdown go; the server's other channels keep theirs."""
    await follow(database, "https://a.example/feed", 1, 100)
    await follow(database, "https://b.example/feed", 1, 101)
    await db.countdown.create(database, guild_id=1, channel_id=100, ping_role_id=None, claim=None, by_user=9, now=NOW)
    assert await departures.has_setup(database, 1, 100)
    assert not await departures.has_setup(database, 1, 102)
    await departures.depart(database, 1, 100, now=NOW, reason=DELETED)
    assert await q.paused_channels(database, 1) == {100: DELETED}
    [due] = await departures.departures(database, before=NOW + timedelta(days=8))
    assert due.channel_id == 100
    await departures.forget(database, due)
    assert [s.channel_id for s in await q.guild_subscriptions(database, 1)] == [101]
    assert await db.countdown.get(database, 1) is None


async def test_a_feed_whose_last_follower_went_is_not_polled(database: Database) -> None:
    """Once its only server is forgotten a feed is never due again; a feed others follow still is."""
    await follow(database, "https://a.example/feed", 1, 100)
    await follow(database, "https://b.example/feed", 1, 100)
    await follow(database, "https://b.example/feed", 2, 200)
    assert {f.url for f in await q.due_feeds(database, NOW)} == {"https://a.example/feed", "https://b.example/feed"}
    await departures.depart(database, 1, None, now=NOW, reason=GONE)
    [due] = await departures.departures(database)
    await departures.forget(database, due)
    assert [f.url for f in await q.due_feeds(database, NOW)] == ["https://b.example/feed"]
