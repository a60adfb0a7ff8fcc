"""The feed outbox in the database: no flood on subscribe, one delivery per (item, channel), nothing lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import db.feeds as q
from db import Database
from tests.helpers.outbox import news_item, subscribe_channel, to_all

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
EVERY = 1000  # per channel: every due delivery, not one fair round


def item(key: str, *, story: str | None = None, minutes: int = 0, aliases: tuple[str, ...] = ()) -> q.NewItem:
    return news_item(key, published=NOW - timedelta(hours=1, minutes=-minutes), story=story, aliases=aliases)


async def subscribe(
    database: Database, url: str, channel: int, existing: list[q.NewItem], backfill: int = 0, guild: int = 1
) -> q.Subscription:
    return await subscribe_channel(
        database, now=NOW, url=url, guild_id=guild, channel_id=channel, existing=existing, backfill=backfill
    )


async def test_subscribing_marks_existing_items_seen_without_posting(database: Database) -> None:
    """Items already in a feed when a channel subscribes are not posted (no flood)."""
    await subscribe(database, "https://a.example/feed", 100, [item("a1"), item("a2")])
    assert await q.due_deliveries(database, NOW, per_channel=EVERY) == []
    assert await q.store_items(database, 1, [item("a1"), item("a2")], now=NOW, route=to_all) == []


async def test_backfill_queues_only_the_newest(database: Database) -> None:
    """backfill:N posts the newest N items of the feed, oldest of them first."""
    await subscribe(database, "https://a.example/feed", 100, [item("old", minutes=0), item("new", minutes=30)], 1)
    due = await q.due_deliveries(database, NOW, per_channel=EVERY)
    assert [d.title for d in due] == ["Title new"]


async def test_new_item_goes_to_every_subscribed_channel_once(database: Database) -> None:
    """A new item is queued once per subscribed channel, and storing it again queues nothing."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    await subscribe(database, "https://a.example/feed", 200, [])
    assert await q.store_items(database, sub.feed_id, [item("n1")], now=NOW, route=to_all)
    assert await q.store_items(database, sub.feed_id, [item("n1")], now=NOW, route=to_all) == []
    due = await q.due_deliveries(database, NOW, per_channel=EVERY)
    assert sorted(d.channel_id for d in due) == [100, 200]


async def test_same_story_through_two_feeds_is_queued_once_per_channel(database: Database) -> None:
    """The same story arriving from another feed into the same channel within 48 h is not posted again."""
    a = await subscribe(database, "https://a.example/feed", 100, [])
    b = await subscribe(database, "https://b.example/feed", 100, [])
    await q.store_items(database, a.feed_id, [item("a-x", story="story")], now=NOW, route=to_all)
    await q.store_items(database, b.feed_id, [item("b-x", story="story")], now=NOW, route=to_all)
    assert len(await q.due_deliveries(database, NOW, per_channel=EVERY)) == 1
    later = NOW + timedelta(hours=49)
    await q.store_items(database, b.feed_id, [item("b-y", story="story")], now=later, route=to_all)
    assert len(await q.due_deliveries(database, later, per_channel=EVERY)) == 2


async def test_sent_delivery_is_not_due_again_and_shows_in_news(database: Database) -> None:
    """Once Discord confirmed a post it is never sent again, and /news lists it."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    await q.store_items(database, sub.feed_id, [item("n1")], now=NOW, route=to_all)
    (delivery,) = await q.due_deliveries(database, NOW, per_channel=EVERY)
    await q.mark_attempt(database, delivery.id)
    await q.mark_sent(database, delivery, 555, NOW)
    assert await q.due_deliveries(database, NOW, per_channel=EVERY) == []
    posts = await q.recent_posts(database, 1, 5)
    assert [(p.title, p.message_id) for p in posts] == [("Title n1", 555)]


async def test_failing_channel_is_paused_and_skipped(database: Database) -> None:
    """A channel that keeps refusing posts is paused, and its deliveries wait instead of hammering Discord."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    await q.store_items(database, sub.feed_id, [item("n1")], now=NOW, route=to_all)
    (delivery,) = await q.due_deliveries(database, NOW, per_channel=EVERY)
    assert not await q.channel_failed(database, delivery, "403", now=NOW, retry_at=NOW, pause_after=2)
    assert await q.channel_failed(database, delivery, "403", now=NOW, retry_at=NOW, pause_after=2)
    assert await q.due_deliveries(database, NOW, per_channel=EVERY) == []
    assert await q.paused_channels(database, 1) == {100: "403"}
    await q.resume_channel(database, 100, NOW)
    assert len(await q.due_deliveries(database, NOW, per_channel=EVERY)) == 1


async def test_refresh_is_limited_to_once_a_minute(database: Database) -> None:
    """/feeds refresh works once, then says when it may be used again."""
    await subscribe(database, "https://a.example/feed", 100, [])
    assert await q.claim_refresh(database, 1, NOW, timedelta(minutes=1)) is None
    assert await q.claim_refresh(database, 1, NOW + timedelta(seconds=10), timedelta(minutes=1)) == NOW + timedelta(
        minutes=1
    )


async def test_unsubscribe_drops_pending_posts_for_that_channel(database: Database) -> None:
    """Removing a subscription stops its queued posts; other channels keep theirs."""
    a = await subscribe(database, "https://a.example/feed", 100, [])
    await subscribe(database, "https://a.example/feed", 200, [])
    await q.store_items(database, a.feed_id, [item("n1")], now=NOW, route=to_all)
    assert await q.unsubscribe(database, 1, a.id) is not None
    assert [d.channel_id for d in await q.due_deliveries(database, NOW, per_channel=EVERY)] == [200]
    assert await q.unsubscribe(database, 2, a.id) is None


async def test_article_reissued_under_a_new_guid_is_not_posted_again(database: Database) -> None:
    """An outlet that changes an article's guid but keeps its link (an alias) does not get it posted twice."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    first = await q.store_items(
        database, sub.feed_id, [item("guid-1", aliases=("link:/story",))], now=NOW, route=to_all
    )
    again = await q.store_items(
        database, sub.feed_id, [item("guid-2", aliases=("link:/story",))], now=NOW, route=to_all
    )
    assert len(first) == 1 and again == []
    assert [d.title for d in await q.due_deliveries(database, NOW, per_channel=EVERY)] == ["Title guid-1"]


async def test_one_poll_with_the_same_article_twice_posts_the_earliest_once(database: Database) -> None:
    """Two entries of one poll sharing an identity key are one article: the earlier one is kept and posted."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    items = [item("late", minutes=20, aliases=("link:/x",)), item("early", minutes=10, aliases=("link:/x",))]
    assert len(await q.store_items(database, sub.feed_id, items, now=NOW, route=to_all)) == 1
    assert [d.title for d in await q.due_deliveries(database, NOW, per_channel=EVERY)] == ["Title early"]


async def test_one_poll_with_two_articles_of_one_story_posts_it_once_per_channel(database: Database) -> None:
    """Two different items telling the same story in one poll: both are stored, the channel hears it once."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    await subscribe(database, "https://a.example/feed", 200, [])
    items = [item("one", story="s", minutes=1), item("two", story="s", minutes=2), item("other", minutes=3)]
    assert len(await q.store_items(database, sub.feed_id, items, now=NOW, route=to_all)) == 3
    due = await q.due_deliveries(database, NOW, per_channel=EVERY)
    assert sorted((d.channel_id, d.title) for d in due) == [
        (100, "Title one"),
        (100, "Title other"),
        (200, "Title one"),
        (200, "Title other"),
    ]


async def test_a_feed_reissuing_its_archive_posts_only_the_newest(database: Database) -> None:
    """With ``newest``, a burst of new items is stored as seen and only the most recent are posted, in order."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    burst = [item(f"n{k}", minutes=k) for k in range(30)]
    stored = await q.store_items(database, sub.feed_id, burst, now=NOW, route=to_all, newest=3)
    assert len(stored) == 30
    assert [d.title for d in await q.due_deliveries(database, NOW, per_channel=EVERY)] == [
        "Title n27",
        "Title n28",
        "Title n29",
    ]
    assert await q.store_items(database, sub.feed_id, burst, now=NOW, route=to_all) == []


async def test_filtered_out_items_are_stored_but_not_queued(database: Database) -> None:
    """An item the channel's filters refuse is remembered as seen, so it is never posted later either."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])

    def only_keep(new: q.NewItem, s: q.Subscription) -> q.Target | None:
        return None if "spam" in new.item_key else to_all(new, s)

    items = [item("spam-1", minutes=1), item("news-1", minutes=2)]
    assert len(await q.store_items(database, sub.feed_id, items, now=NOW, route=only_keep)) == 2
    assert await q.store_items(database, sub.feed_id, items, now=NOW, route=to_all) == []
    assert [d.title for d in await q.due_deliveries(database, NOW, per_channel=EVERY)] == ["Title news-1"]


async def test_subscribing_late_queues_unseen_items_for_earlier_followers(database: Database) -> None:
    """A new subscriber's fetch that finds items the feed's other channels never had queues them there too."""
    sub = await subscribe(database, "https://a.example/feed", 100, [item("seen")])
    seen_now: list[q.NewItem] = []
    later = await subscribe_channel(
        database,
        now=NOW,
        guild_id=2,
        channel_id=200,
        existing=[item("seen"), item("fresh", minutes=5), item("fresh-again", minutes=6, aliases=("fresh",))],
        backfill=2,
        newly_seen=seen_now,
    )
    assert later is not None and later.feed_id == sub.feed_id
    assert [i.item_key for i in seen_now] == ["fresh-again"]
    due = await q.due_deliveries(database, NOW, per_channel=EVERY)
    assert sorted((d.channel_id, d.title) for d in due) == [
        (100, "Title fresh-again"),
        (200, "Title fresh-again"),
        (200, "Title seen"),
    ]


async def test_pruning_forgets_finished_deliveries_but_never_owed_posts(database: Database) -> None:
    """Old sent and dropped deliveries go (in batches); pending ones stay, and pruned articles stay known."""
    sub = await subscribe(database, "https://a.example/feed", 100, [])
    old = [item(f"old{k}", minutes=k) for k in range(5)]
    await q.store_items(database, sub.feed_id, [*old, item("owed", minutes=9)], now=NOW, route=to_all)
    for delivery in await q.due_deliveries(database, NOW, per_channel=EVERY):
        if delivery.title == "Title old0":
            await q.give_up(database, delivery.id, "404 Unknown Channel")
        elif delivery.title != "Title owed":
            await q.mark_sent(database, delivery, 555, NOW)
    later = NOW + timedelta(days=10)
    await q.store_items(database, sub.feed_id, [item("recent")], now=later, route=to_all)
    (recent,) = [d for d in await q.due_deliveries(database, later, per_channel=EVERY) if d.title == "Title recent"]
    await q.mark_sent(database, recent, 556, later)

    assert await q.prune_deliveries(database, before=NOW + timedelta(days=1), batch=2) == 5
    assert await q.prune_deliveries(database, before=NOW + timedelta(days=1)) == 0
    assert [d.title for d in await q.due_deliveries(database, later, per_channel=EVERY)] == ["Title owed"]
    assert [p.title for p in await q.recent_posts(database, 1, 10)] == ["Title recent"]
    assert await q.store_items(database, sub.feed_id, old, now=later, route=to_all) == []
    assert await q.delivery_counts(database) == {"pending": 1, "sent": 1}


async def test_a_round_takes_each_channels_oldest_post_servers_in_turn(database: Database) -> None:
    """A flooded channel and a flooded server give one post per round; another server's single post is in it."""
    flood = [item(f"f{n}", minutes=n) for n in range(60)]
    await subscribe(database, "https://flood.example/feed", 100, flood, backfill=60, guild=1)
    await subscribe(database, "https://more.example/feed", 101, [item(f"m{n}", minutes=n) for n in range(3)], 3, 1)
    await subscribe(database, "https://victim.example/feed", 200, [item("v", minutes=90)], backfill=1, guild=2)
    due = await q.due_deliveries(database, NOW)
    assert [(d.guild_id, d.channel_id, d.title) for d in due] == [
        (1, 100, "Title f0"),
        (2, 200, "Title v"),
        (1, 101, "Title m0"),
    ]
    two = await q.due_deliveries(database, NOW, per_channel=2)
    assert [d.title for d in two] == ["Title f0", "Title v", "Title m0", "Title f1", "Title m1"]
    assert [d.title for d in await q.due_deliveries(database, NOW, limit=2)] == ["Title f0", "Title v"]


async def test_overflow_drops_the_oldest_waiting_posts_and_status_counts_them(database: Database) -> None:
    """Beyond the cap a channel's oldest waiting posts are dropped with the reason; /feeds status counts them."""
    sub = await subscribe(
        database, "https://flood.example/feed", 100, [item(f"f{n}", minutes=n) for n in range(15)], 15
    )
    await subscribe(database, "https://calm.example/feed", 200, [item("c", minutes=1)], backfill=1)
    assert await q.drop_overflow(database, 10, "too many waiting") == 5
    assert await q.drop_overflow(database, 10, "too many waiting") == 0
    waiting = await q.due_deliveries(database, NOW, per_channel=EVERY)
    assert [d.title for d in waiting if d.channel_id == 100] == [f"Title f{n}" for n in range(5, 15)]
    assert [d.title for d in waiting if d.channel_id == 200] == ["Title c"]
    flooded, calm = await q.guild_status(database, 1, since=NOW - timedelta(days=90))
    assert flooded.subscription.id == sub.id
    assert (flooded.dropped_here, flooded.dropped_reason) == (5, "too many waiting")
    assert (calm.dropped_here, calm.dropped_reason) == (0, None)


def story_item(key: str, *stories: str, minutes: int = 0) -> q.NewItem:
    """An item whose story keys are ``stories`` (the first is its main one), as the watcher builds them."""
    return replace(item(key, story=stories[0], minutes=minutes), story_keys=stories)


@pytest.mark.parametrize(
    ("publisher", "aggregator"),
    [
        (("L:article", "T:headline"), ("L:article", "T:retouched headline")),  # other utm_, other headline
        (("L:article", "T:headline"), ("L:google-redirect", "T:headline")),  # Google's link, same headline
        (("T:headline",), ("L:article", "T:headline")),  # the publisher's link unusable, the headline matches
    ],
)
async def test_a_story_matching_any_key_of_another_feeds_item_is_posted_once(
    database: Database, publisher: tuple[str, ...], aggregator: tuple[str, ...]
) -> None:
    """A channel following a publisher and an aggregator gets their shared article once, whichever key matches."""
    a = await subscribe(database, "https://publisher.example/feed", 100, [])
    b = await subscribe(database, "https://aggregator.example/feed", 100, [])
    await q.store_items(database, a.feed_id, [story_item("pub", *publisher)], now=NOW, route=to_all)
    await q.store_items(database, b.feed_id, [story_item("agg", *aggregator)], now=NOW, route=to_all)
    assert [d.title for d in await q.due_deliveries(database, NOW, per_channel=EVERY)] == ["Title pub"]


async def test_different_stories_of_two_feeds_are_both_posted(database: Database) -> None:
    """Two feeds' items that share no story key both reach the channel."""
    a = await subscribe(database, "https://publisher.example/feed", 100, [])
    b = await subscribe(database, "https://aggregator.example/feed", 100, [])
    await q.store_items(database, a.feed_id, [story_item("pub", "L:one", "T:one")], now=NOW, route=to_all)
    await q.store_items(database, b.feed_id, [story_item("agg", "L:two", "T:two")], now=NOW, route=to_all)
    assert len(await q.due_deliveries(database, NOW, per_channel=EVERY)) == 2


async def test_a_recurring_headline_of_one_feed_is_posted_again(database: Database) -> None:
    """A subreddit's next "Episode 3 discussion" (new id, new link) is posted even the next day."""
    sub = await subscribe(database, "https://reddit.example/r/kdrama.rss", 100, [])
    first = story_item("t3_1", "L:thread-1", "T:episode 3 discussion")
    await q.store_items(database, sub.feed_id, [first], now=NOW, route=to_all)
    nextday = NOW + timedelta(hours=24)
    again = story_item("t3_2", "L:thread-2", "T:episode 3 discussion", minutes=24 * 60)
    assert await q.store_items(database, sub.feed_id, [again], now=nextday, route=to_all)
    assert len(await q.due_deliveries(database, nextday, per_channel=EVERY)) == 2


async def test_a_story_is_posted_again_after_48_hours(database: Database) -> None:
    """The aggregator's copy two days after the publisher's item is news again."""
    a = await subscribe(database, "https://publisher.example/feed", 100, [])
    b = await subscribe(database, "https://aggregator.example/feed", 100, [])
    await q.store_items(database, a.feed_id, [story_item("pub", "L:a", "T:h")], now=NOW, route=to_all)
    later = NOW + timedelta(hours=49)
    await q.store_items(database, b.feed_id, [story_item("agg", "L:a", "T:x")], now=later, route=to_all)
    assert len(await q.due_deliveries(database, later, per_channel=EVERY)) == 2
