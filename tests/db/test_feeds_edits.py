"""The edit outbox in the database: one pending edit per post, changes folded into it, gone with its post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import db.feeds as q
from db import Database
from tests.helpers.outbox import subscribe_channel, to_all

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
WINDOW = timedelta(hours=48)


def article(title: str = "Netflix sets the season 2 date", *, key: str = "x:1") -> q.NewItem:
    return q.NewItem(
        item_key="g:1",
        story_key="T:1",
        title=title,
        link="https://news.example/s2",
        outlet="Example News",
        summary="Summary",
        image_url=None,
        published_at=NOW - timedelta(hours=1),
        text_key=key,
    )


async def posted(database: Database) -> tuple[int, q.Delivery]:
    """A feed followed in channel 100 whose article went out as message 555; the feed id and the delivery."""
    sub = await subscribe_channel(
        database, now=NOW, url="https://a.example/feed", guild_id=1, channel_id=100, existing=[], backfill=0
    )
    await q.store_items(database, sub.feed_id, [article()], now=NOW, route=to_all, edits_since=NOW - WINDOW)
    (delivery,) = await q.due_deliveries(database, NOW)
    await q.mark_sent(database, delivery, 555, NOW)
    return sub.feed_id, delivery


async def test_two_changes_before_the_edit_goes_out_make_one_edit_with_the_latest_text(database: Database) -> None:
    """A headline fixed twice in a row edits the post once, showing the second fix."""
    feed_id, _ = await posted(database)
    for n, title in enumerate(["Netflix confirms January 30", "Netflix confirms January 30 for season 2"]):
        later = NOW + timedelta(minutes=10 * (n + 1))
        fixed = article(title, key=f"x:{n + 2}")
        await q.store_items(database, feed_id, [fixed], now=later, route=to_all, edits_since=later - WINDOW)
    (edit,) = await q.due_edits(database, NOW + timedelta(hours=1))
    assert edit.message_id == 555
    assert edit.delivery.title == "Netflix confirms January 30 for season 2"


async def test_a_change_after_the_window_keeps_the_old_text_and_queues_nothing(database: Database) -> None:
    """Three days on, the stored article and its post stay as they were."""
    feed_id, _ = await posted(database)
    later = NOW + timedelta(days=3)
    await q.store_items(
        database, feed_id, [article("New words", key="x:2")], now=later, route=to_all, edits_since=later - WINDOW
    )
    assert await q.due_edits(database, later) == []
    (latest,) = await q.recent_posts(database, 1, 1)
    assert latest.title == "Netflix sets the season 2 date"


async def test_pruning_a_post_takes_its_edits_with_it(database: Database) -> None:
    """A finished post pruned after 90 days leaves no edit behind to count or send."""
    feed_id, _ = await posted(database)
    later = NOW + timedelta(minutes=5)
    await q.store_items(
        database, feed_id, [article("New words", key="x:2")], now=later, route=to_all, edits_since=later - WINDOW
    )
    (edit,) = await q.due_edits(database, later)
    await q.mark_edited(database, edit.id, later)
    assert await q.edits_here(database, feed_id=feed_id, channel_id=100, since=NOW) == 1
    assert await q.prune_deliveries(database, before=NOW + timedelta(days=91)) == 1
    assert await q.edits_here(database, feed_id=feed_id, channel_id=100, since=NOW) == 0
