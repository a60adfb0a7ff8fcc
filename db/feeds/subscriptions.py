"""Which channel follows which feed, and the feeds a server's channels follow.

Feeds are shared: one row per address however many servers follow it, so a feed is fetched once for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from db.database import Database, Transaction
from db.feeds.items import store_batch
from db.feeds.outbox import queue_all
from db.feeds.records import (
    PLAIN,
    Feed,
    FeedStatus,
    NewItem,
    PostStyle,
    Subscription,
    Target,
    feed_from_row,
    subscription_from_row,
)
from db.times import to_text

_SUBSCRIPTION_SQL = """
    SELECT s.id, s.feed_id, s.guild_id, s.channel_id, s.include_words, s.exclude_words, s.ping_role_id, s.ping_words,
           f.url AS feed_url, f.title AS feed_title, s.post_style, s.forum_tag_id
    FROM subscriptions s JOIN feeds f ON f.id = s.feed_id
"""


async def subscribe(
    db: Database,
    *,
    url: str,
    title: str,
    guild_id: int,
    channel_id: int,
    include_words: str,
    exclude_words: str,
    created_by: int,
    now: datetime,
    next_due_at: datetime,
    existing_items: Sequence[NewItem],
    route: Callable[[NewItem, Subscription], Target | None],
    backfill: int,
    newly_seen: list[NewItem] | None = None,
    style: PostStyle = PLAIN,
    ping_role_id: int | None = None,
    ping_words: str = "",
) -> Subscription | None:
    """Subscribe a channel; ``None`` if it already follows this feed.

    The items already in the feed are stored as seen so the channel is not flooded; the newest ``backfill`` of
    them are queued for this channel (through ``route``, which applies the subscription's filters). When other
    channels already follow the feed, an item they have not had yet is queued for them as a poll would, so
    subscribing one more channel never swallows another channel's news. Every item stored for the first time is
    appended to ``newly_seen`` when it is given (the watcher has now seen it, so the countdown may read it).
    Nothing queued here pings (``ping_role_id``, ``ping_words``): a backfill is not news that just happened.
    """
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO feeds (url, title, next_due_at, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET title = CASE WHEN excluded.title != '' THEN excluded.title "
            "ELSE feeds.title END",
            (url, title, to_text(next_due_at), to_text(now)),
        )
        feed_row = await tx.fetchone("SELECT id FROM feeds WHERE url = ?", (url,))
        assert feed_row is not None
        feed_id = int(feed_row["id"])
        exists = await tx.fetchone(
            "SELECT 1 FROM subscriptions WHERE feed_id = ? AND channel_id = ?", (feed_id, channel_id)
        )
        if exists:
            return None
        others = [
            subscription_from_row(r)
            for r in await tx.fetchall(_SUBSCRIPTION_SQL + " WHERE s.feed_id = ? ORDER BY s.id", (feed_id,))
        ]
        sub_id = await tx.insert(
            "INSERT INTO subscriptions (feed_id, guild_id, channel_id, include_words, exclude_words, created_by, "
            "created_at, post_style, forum_tag_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                feed_id,
                guild_id,
                channel_id,
                include_words,
                exclude_words,
                created_by,
                to_text(now),
                style.kind,
                style.tag_id,
            ),
        )
        subscription = Subscription(
            sub_id, feed_id, guild_id, channel_id, include_words, exclude_words, url, title, style
        )
        if ping_role_id is not None:
            await tx.execute(
                "UPDATE subscriptions SET ping_role_id = ?, ping_words = ? WHERE id = ?",
                (ping_role_id, ping_words, sub_id),
            )
            subscription = replace(subscription, ping_role_id=ping_role_id, ping_words=ping_words)
        newest_first = sorted(existing_items, key=lambda i: i.published_at, reverse=True)
        stored = await store_batch(tx, feed_id, newest_first, now)
        queued: list[tuple[int, NewItem, Target]] = []
        articles: dict[int, NewItem] = {}  # newest first; an entry repeating an earlier one is the same article
        for item, item_id, new in stored:
            articles.setdefault(item_id, item)
            if new:
                if newly_seen is not None:
                    newly_seen.append(item)
                queued += [(item_id, item, routed) for other in others if (routed := route(item, other)) is not None]
        backfilled = list(articles.items())[:backfill]
        for item_id, item in reversed(backfilled):  # oldest first, so the channel reads in order
            if (target := route(item, subscription)) is not None:
                queued.append((item_id, item, target))
        await queue_all(tx, queued, now)
        return subscription


async def unsubscribe(db: Database, guild_id: int, subscription_id: int) -> Subscription | None:
    """Remove a subscription of this server (and its undelivered posts); ``None`` if there is no such one."""
    rows = await db.fetchall(_SUBSCRIPTION_SQL + " WHERE s.id = ? AND s.guild_id = ?", (subscription_id, guild_id))
    if not rows:
        return None
    subscription = subscription_from_row(rows[0])
    async with db.transaction() as tx:
        await tx.execute(
            "DELETE FROM deliveries WHERE state = 'pending' AND channel_id = ? AND item_id IN "
            "(SELECT id FROM items WHERE feed_id = ?)",
            (subscription.channel_id, subscription.feed_id),
        )
        await tx.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
    return subscription


async def set_ping(
    db: Database, guild_id: int, subscription_id: int, role_id: int | None, words: str
) -> Subscription | None:
    """Set (or with ``role_id`` None, clear) the role a subscription of this server pings and its words; the
    subscription as it is now, or ``None`` if there is no such one. Posts already queued keep their own choice."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE subscriptions SET ping_role_id = ?, ping_words = ? WHERE id = ? AND guild_id = ?",
            (role_id, words if role_id is not None else "", subscription_id, guild_id),
        )
    if not changed:
        return None
    rows = await db.fetchall(_SUBSCRIPTION_SQL + " WHERE s.id = ?", (subscription_id,))
    return subscription_from_row(rows[0]) if rows else None


async def guild_subscriptions(db: Database, guild_id: int) -> list[Subscription]:
    rows = await db.fetchall(_SUBSCRIPTION_SQL + " WHERE s.guild_id = ? ORDER BY s.id", (guild_id,))
    return [subscription_from_row(r) for r in rows]


async def feed_subscriptions(db: Database, feed_id: int) -> list[Subscription]:
    rows = await db.fetchall(_SUBSCRIPTION_SQL + " WHERE s.feed_id = ? ORDER BY s.id", (feed_id,))
    return [subscription_from_row(r) for r in rows]


async def guild_feeds(db: Database, guild_id: int) -> list[Feed]:
    rows = await db.fetchall(
        "SELECT DISTINCT f.* FROM feeds f JOIN subscriptions s ON s.feed_id = f.id WHERE s.guild_id = ? ORDER BY f.id",
        (guild_id,),
    )
    return [feed_from_row(r) for r in rows]


async def get_feed(db: Database, feed_id: int) -> Feed | None:
    row = await db.fetchone("SELECT * FROM feeds WHERE id = ?", (feed_id,))
    return None if row is None else feed_from_row(row)


async def get_feed_by_url(db: Database, url: str) -> Feed | None:
    row = await db.fetchone("SELECT * FROM feeds WHERE url = ?", (url,))
    return None if row is None else feed_from_row(row)


async def move_feed(db: Database, feed_id: int, url: str) -> bool:
    """Give a feed its new address; ``False`` (nothing changed) when another feed already has that address."""
    async with db.transaction() as tx:
        return bool(
            await tx.execute(
                "UPDATE feeds SET url = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?)",
                (url, feed_id, url),
            )
        )


async def guild_status(db: Database, guild_id: int, *, since: datetime) -> list[FeedStatus]:
    """Each of the server's subscriptions with its feed and how many posts it made there since ``since``."""
    subscriptions = await guild_subscriptions(db, guild_id)
    out: list[FeedStatus] = []
    for subscription in subscriptions:
        feed = await get_feed(db, subscription.feed_id)
        assert feed is not None
        row = await db.fetchone(
            "SELECT COUNT(*) AS n FROM deliveries d JOIN items i ON i.id = d.item_id "
            "WHERE i.feed_id = ? AND d.channel_id = ? AND d.state = 'sent' AND d.sent_at >= ?",
            (subscription.feed_id, subscription.channel_id, to_text(since)),
        )
        dropped = await db.fetchone(
            "SELECT d.last_error, COUNT(*) OVER () AS n FROM deliveries d JOIN items i ON i.id = d.item_id "
            "WHERE i.feed_id = ? AND d.channel_id = ? AND d.state = 'dropped' AND d.created_at >= ? "
            "ORDER BY d.id DESC LIMIT 1",
            (subscription.feed_id, subscription.channel_id, to_text(since)),
        )
        out.append(
            FeedStatus(
                subscription,
                feed,
                int(row["n"]) if row else 0,
                int(dropped["n"]) if dropped else 0,
                dropped["last_error"] if dropped else None,
            )
        )
    return out


async def forget_place(tx: Transaction, guild_id: int, channel_id: int | None = None) -> None:
    """Delete a server's feed setup, or one channel's: its subscriptions, the posts waiting there, its paused
    channels and, for a whole server, its blocklist and spoiler settings. Sent posts age out as everywhere."""
    params: tuple[int, ...]
    if channel_id is None:
        where, params = "guild_id = ?", (guild_id,)
        await tx.execute("DELETE FROM guild_feed_settings WHERE guild_id = ?", (guild_id,))
    else:
        where, params = "guild_id = ? AND channel_id = ?", (guild_id, channel_id)
    await tx.execute(f"DELETE FROM subscriptions WHERE {where}", params)  # noqa: S608
    await tx.execute(f"DELETE FROM deliveries WHERE state = 'pending' AND {where}", params)  # noqa: S608
    await tx.execute(f"DELETE FROM channel_health WHERE {where}", params)  # noqa: S608
