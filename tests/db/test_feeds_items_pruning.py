"""Forgetting old items: only those gone from their feed for the retention period, and never posted again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import db.feeds as q
from db import Database
from tests.helpers.outbox import news_item, subscribe_channel, to_all

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
KEEP = timedelta(days=90)


def item(key: str, *, link: str | None = None) -> q.NewItem:
    return news_item(key, published=NOW - timedelta(days=400), link=link, aliases=(f"link:{link or key}",))


async def follow(database: Database, existing: list[q.NewItem]) -> int:
    return (await subscribe_channel(database, now=NOW, existing=existing)).feed_id


async def prune(database: Database, now: datetime) -> int:
    return await q.prune_items(database, before=now - KEEP, now=now)


async def test_an_item_the_feed_still_shows_is_never_forgotten(database: Database) -> None:
    """However old, an article still in the feed is remembered, so the next poll does not post it."""
    feed = await follow(database, [item("old"), item("older")])
    later = NOW + timedelta(days=200)
    await q.store_items(database, feed, [item("old"), item("older")], now=later, route=to_all)
    assert await prune(database, later + timedelta(days=1)) == 0
    assert await q.store_items(database, feed, [item("old"), item("older")], now=later, route=to_all) == []
    assert await q.pending_count(database, feed_id=feed) == 0


async def test_a_feed_not_fetched_for_months_keeps_its_items(database: Database) -> None:
    """A feed answering 304 (or paused) for months still shows its items: none is forgotten."""
    await follow(database, [item("old"), item("older")])
    assert await prune(database, NOW + timedelta(days=365)) == 0


async def test_an_item_gone_from_the_feed_is_forgotten_after_the_retention(database: Database) -> None:
    """An article the feed dropped is forgotten 90 days after it was last seen, not before."""
    feed = await follow(database, [item("dropped"), item("kept")])
    await q.store_items(database, feed, [item("kept")], now=NOW + timedelta(days=10), route=to_all)
    assert await prune(database, NOW + timedelta(days=89)) == 0
    assert await prune(database, NOW + timedelta(days=91)) == 1
    assert await prune(database, NOW + timedelta(days=91)) == 0


async def test_a_forgotten_item_that_reappears_is_not_posted(database: Database) -> None:
    """A months-old article the feed shows again after it was forgotten is recognised, under any of its keys."""
    feed = await follow(database, [item("dropped"), item("kept")])
    await q.store_items(database, feed, [item("kept")], now=NOW + timedelta(days=1), route=to_all)
    later = NOW + timedelta(days=100)
    assert await prune(database, later) == 1
    again = item("dropped-new-guid", link="dropped")  # re-issued under a fresh guid, same link
    assert await q.store_items(database, feed, [again, item("kept")], now=later, route=to_all) == []
    assert await q.pending_count(database, feed_id=feed) == 0
    # It is an ordinary item again: seen in the latest document, so not forgotten while the feed shows it.
    assert await prune(database, later + timedelta(days=1)) == 0
    fresh = await q.store_items(database, feed, [again, item("news")], now=later, route=to_all)
    assert len(fresh) == 1
    assert await q.pending_count(database, feed_id=feed) == 1


async def test_an_item_with_a_waiting_post_is_kept(database: Database) -> None:
    """An item whose post still waits (a paused channel) is not forgotten under it."""
    feed = await follow(database, [])
    await q.store_items(database, feed, [item("waiting")], now=NOW, route=to_all)
    await q.store_items(database, feed, [item("newer")], now=NOW + timedelta(days=1), route=to_all)
    assert await q.pending_count(database, feed_id=feed) == 2
    assert await prune(database, NOW + timedelta(days=100)) == 0


async def test_a_feed_that_dropped_a_large_archive_forgets_all_of_it(database: Database) -> None:
    """A feed that once listed 1,200 articles and now lists one forgets the other 1,199, in several batches."""
    archive = [item(f"a{n}") for n in range(1200)]
    feed = await follow(database, archive)
    await q.store_items(database, feed, archive[:1], now=NOW + timedelta(days=1), route=to_all)
    assert await prune(database, NOW + timedelta(days=91)) == 1199
    assert await q.store_items(database, feed, archive, now=NOW + timedelta(days=92), route=to_all) == []
