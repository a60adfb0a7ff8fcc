"""Feeds, subscriptions, seen items and the delivery outbox.

The outbox is what makes news delivery crash-safe: marking an item seen and queuing its (item, channel)
deliveries happen in one transaction, so a crash either loses neither or keeps both; a delivery becomes ``sent``
only after Discord confirmed the message, and its nonce is derived from (item, channel) so a resend after a crash
is recognised by Discord as the same message.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from db.database import Database, Transaction
from db.times import from_text, to_text

CROSS_FEED_WINDOW = timedelta(hours=48)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item as the feed watcher read it, ready to store."""

    item_key: str
    story_key: str
    title: str
    link: str | None
    outlet: str | None
    summary: str
    image_url: str | None
    published_at: datetime
    aliases: tuple[str, ...] = ()  # the item's weaker identity keys (canonical link, headline)


@dataclass(frozen=True, slots=True)
class Target:
    """Where one new item should be posted: a subscription's channel."""

    subscription_id: int
    guild_id: int
    channel_id: int
    nonce: str


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str
    etag: str | None
    last_modified: str | None
    last_fetch_at: datetime | None
    last_status: int | None
    last_error: str | None
    next_due_at: datetime
    consecutive_failures: int
    failing_since: datetime | None
    paused_reason: str | None
    pause_announced: bool
    not_found_streak: int = 0


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    feed_id: int
    guild_id: int
    channel_id: int
    include_words: str
    exclude_words: str
    feed_url: str
    feed_title: str


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    item_id: int
    guild_id: int
    channel_id: int
    nonce: str
    attempts: int
    title: str
    link: str | None
    outlet: str | None
    summary: str
    image_url: str | None
    published_at: datetime
    feed_title: str


@dataclass(frozen=True, slots=True)
class FeedStatus:
    subscription: Subscription
    feed: Feed
    posted_here: int


@dataclass(frozen=True, slots=True)
class Post:
    title: str
    link: str | None
    outlet: str | None
    published_at: datetime
    channel_id: int
    message_id: int | None
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class GuildFeedSettings:
    guild_id: int
    blocked_domains: tuple[str, ...]
    blocked_patterns: tuple[str, ...]
    spoiler_days: int
    premiere_date: str | None


def _feed(row: sqlite3.Row) -> Feed:
    next_due = from_text(row["next_due_at"])
    assert next_due is not None
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetch_at=from_text(row["last_fetch_at"]),
        last_status=row["last_status"],
        last_error=row["last_error"],
        next_due_at=next_due,
        consecutive_failures=row["consecutive_failures"],
        failing_since=from_text(row["failing_since"]),
        paused_reason=row["paused_reason"],
        pause_announced=bool(row["pause_announced"]),
        not_found_streak=row["not_found_streak"],
    )


_SUBSCRIPTION_SQL = """
    SELECT s.id, s.feed_id, s.guild_id, s.channel_id, s.include_words, s.exclude_words,
           f.url AS feed_url, f.title AS feed_title
    FROM subscriptions s JOIN feeds f ON f.id = s.feed_id
"""


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        id=row["id"],
        feed_id=row["feed_id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        include_words=row["include_words"],
        exclude_words=row["exclude_words"],
        feed_url=row["feed_url"],
        feed_title=row["feed_title"],
    )


# -- subscriptions --------------------------------------------------------------------------------------------


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
) -> Subscription | None:
    """Subscribe a channel; ``None`` if it already follows this feed.

    The items already in the feed are stored as seen so the channel is not flooded; the newest ``backfill`` of
    them are queued for this channel (through ``route``, which applies the subscription's filters). When other
    channels already follow the feed, an item they have not had yet is queued for them as a poll would, so
    subscribing one more channel never swallows another channel's news. Every item stored for the first time is
    appended to ``newly_seen`` when it is given (the watcher has now seen it, so the countdown may read it).
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
            _subscription(r)
            for r in await tx.fetchall(_SUBSCRIPTION_SQL + " WHERE s.feed_id = ? ORDER BY s.id", (feed_id,))
        ]
        sub_id = await tx.insert(
            "INSERT INTO subscriptions (feed_id, guild_id, channel_id, include_words, exclude_words, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (feed_id, guild_id, channel_id, include_words, exclude_words, created_by, to_text(now)),
        )
        subscription = Subscription(sub_id, feed_id, guild_id, channel_id, include_words, exclude_words, url, title)
        newest_first = sorted(existing_items, key=lambda i: i.published_at, reverse=True)
        stored = await _store_batch(tx, feed_id, newest_first, now)
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
        await _queue_all(tx, queued, now)
        return subscription


async def unsubscribe(db: Database, guild_id: int, subscription_id: int) -> Subscription | None:
    """Remove a subscription of this server (and its undelivered posts); ``None`` if there is no such one."""
    rows = await db.fetchall(_SUBSCRIPTION_SQL + " WHERE s.id = ? AND s.guild_id = ?", (subscription_id, guild_id))
    if not rows:
        return None
    subscription = _subscription(rows[0])
    async with db.transaction() as tx:
        await tx.execute(
            "DELETE FROM deliveries WHERE state = 'pending' AND channel_id = ? AND item_id IN "
            "(SELECT id FROM items WHERE feed_id = ?)",
            (subscription.channel_id, subscription.feed_id),
        )
        await tx.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
    return subscription


async def guild_subscriptions(db: Database, guild_id: int) -> list[Subscription]:
    rows = await db.fetchall(_SUBSCRIPTION_SQL + " WHERE s.guild_id = ? ORDER BY s.id", (guild_id,))
    return [_subscription(r) for r in rows]


async def feed_subscriptions(db: Database, feed_id: int) -> list[Subscription]:
    rows = await db.fetchall(_SUBSCRIPTION_SQL + " WHERE s.feed_id = ? ORDER BY s.id", (feed_id,))
    return [_subscription(r) for r in rows]


# -- polling ---------------------------------------------------------------------------------------------------


async def due_feeds(db: Database, now: datetime, limit: int = 100) -> list[Feed]:
    """Feeds someone follows, not paused, whose next fetch is due, most overdue first."""
    rows = await db.fetchall(
        "SELECT * FROM feeds f WHERE f.paused_reason IS NULL AND f.next_due_at <= ? "
        "AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.feed_id = f.id) ORDER BY f.next_due_at LIMIT ?",
        (to_text(now), limit),
    )
    return [_feed(r) for r in rows]


async def guild_feeds(db: Database, guild_id: int) -> list[Feed]:
    rows = await db.fetchall(
        "SELECT DISTINCT f.* FROM feeds f JOIN subscriptions s ON s.feed_id = f.id WHERE s.guild_id = ? ORDER BY f.id",
        (guild_id,),
    )
    return [_feed(r) for r in rows]


async def get_feed(db: Database, feed_id: int) -> Feed | None:
    row = await db.fetchone("SELECT * FROM feeds WHERE id = ?", (feed_id,))
    return None if row is None else _feed(row)


async def get_feed_by_url(db: Database, url: str) -> Feed | None:
    row = await db.fetchone("SELECT * FROM feeds WHERE url = ?", (url,))
    return None if row is None else _feed(row)


async def move_feed(db: Database, feed_id: int, url: str) -> bool:
    """Give a feed its new address; ``False`` (nothing changed) when another feed already has that address."""
    async with db.transaction() as tx:
        return bool(
            await tx.execute(
                "UPDATE feeds SET url = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?)",
                (url, feed_id, url),
            )
        )


async def item_keys(db: Database, item_ids: Sequence[int]) -> list[str]:
    """The per-feed keys of the given items (to tell which of a poll's items were new)."""
    if not item_ids:
        return []
    marks = ", ".join("?" * len(item_ids))
    rows = await db.fetchall(f"SELECT item_key FROM items WHERE id IN ({marks})", tuple(item_ids))  # noqa: S608
    return [str(r["item_key"]) for r in rows]


async def pending_count(db: Database, *, feed_id: int, channel_id: int | None = None) -> int:
    """Posts of this feed still waiting in the outbox (for one channel when given)."""
    sql = (
        "SELECT COUNT(*) AS n FROM deliveries d JOIN items i ON i.id = d.item_id "
        "WHERE i.feed_id = ? AND d.state = 'pending'"
    )
    params: tuple[int, ...] = (feed_id,)
    if channel_id is not None:
        sql += " AND d.channel_id = ?"
        params += (channel_id,)
    row = await db.fetchone(sql, params)
    return int(row["n"]) if row else 0


async def record_fetch(
    db: Database,
    feed_id: int,
    *,
    now: datetime,
    status: int | None,
    error: str | None,
    next_due_at: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
    title: str | None = None,
    paused_reason: str | None = None,
    not_found_streak: int = 0,
) -> None:
    """Store one fetch's outcome; an error counts as a consecutive failure, a success resets the count.

    ``not_found_streak`` is the scheduler's count of 404s in a row (several of them pause the feed).
    """
    async with db.transaction() as tx:
        if error is None:
            await tx.execute(
                "UPDATE feeds SET last_fetch_at = ?, last_status = ?, last_error = NULL, next_due_at = ?, "
                "consecutive_failures = 0, not_found_streak = 0, failing_since = NULL, "
                "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
                "title = COALESCE(NULLIF(?, ''), title) WHERE id = ?",
                (to_text(now), status, to_text(next_due_at), etag, last_modified, title, feed_id),
            )
        else:
            await tx.execute(
                "UPDATE feeds SET last_fetch_at = ?, last_status = ?, last_error = ?, next_due_at = ?, "
                "consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, ?), "
                "not_found_streak = ?, paused_reason = COALESCE(?, paused_reason) WHERE id = ?",
                (
                    to_text(now),
                    status,
                    error,
                    to_text(next_due_at),
                    to_text(now),
                    not_found_streak,
                    paused_reason,
                    feed_id,
                ),
            )


async def make_all_due(db: Database, now: datetime) -> None:
    """Make every followed, unpaused feed due now (a poll cycle on demand, for tests and the demo)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE feeds SET next_due_at = ? WHERE paused_reason IS NULL AND next_due_at > ?",
            (to_text(now), to_text(now)),
        )


async def resume_feed(db: Database, feed_id: int, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE feeds SET paused_reason = NULL, pause_announced = 0, consecutive_failures = 0, "
            "not_found_streak = 0, failing_since = NULL, next_due_at = ? WHERE id = ?",
            (to_text(now), feed_id),
        )


async def unannounced_pauses(db: Database) -> list[tuple[Feed, list[Subscription]]]:
    rows = await db.fetchall("SELECT * FROM feeds WHERE paused_reason IS NOT NULL AND pause_announced = 0")
    return [(_feed(r), await feed_subscriptions(db, int(r["id"]))) for r in rows]


async def mark_pause_announced(db: Database, feed_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE feeds SET pause_announced = 1 WHERE id = ?", (feed_id,))


async def store_items(
    db: Database,
    feed_id: int,
    items: Sequence[NewItem],
    *,
    now: datetime,
    route: Callable[[NewItem, Subscription], Target | None],
    newest: int | None = None,
) -> list[int]:
    """Store the items not seen before and queue their deliveries, all in one transaction.

    ``route`` decides per (new item, subscription) whether and how to post (the subscription's filters); a story
    already queued or posted in the same channel within 48 hours through another feed is not queued again.
    With ``newest``, only that many of the new items (the most recent) are queued; the rest are stored as seen,
    so a feed that suddenly re-issues its whole archive does not flood its channels.
    Returns the ids of the items that were new.
    """
    subscriptions = await feed_subscriptions(db, feed_id)
    async with db.transaction() as tx:
        stored = await _store_batch(tx, feed_id, sorted(items, key=lambda i: i.published_at), now)
        new = [(item_id, item) for item, item_id, is_new in stored if is_new]
        chosen = new if newest is None else new[max(0, len(new) - newest) :]
        await _queue_all(
            tx,
            [
                (item_id, item, target)
                for item_id, item in chosen
                for subscription in subscriptions
                if (target := route(item, subscription)) is not None
            ],
            now,
        )
    return [item_id for item_id, _ in new]


# SQLite allows 32,766 parameters a statement; lookups go in chunks well under that.
_CHUNK = 500


def _in_chunks(values: Sequence[T]) -> Iterator[tuple[Sequence[T], str]]:
    """``values`` in chunks for ``IN (...)``, each with its placeholders (``?, ?, …``)."""
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        yield chunk, ", ".join("?" * len(chunk))


async def _ids_by_key(tx: Transaction, sql: str, feed_id: int, keys: Sequence[str]) -> dict[str, int]:
    """Run ``sql`` (two result columns, key then id; ``{marks}`` for the key list) over ``keys`` in chunks."""
    found: dict[str, int] = {}
    for chunk, marks in _in_chunks(keys):
        rows = await tx.fetchall(sql.format(marks=marks), (feed_id, *chunk))
        found.update((str(r[0]), int(r[1])) for r in rows)
    return found


async def _store_batch(
    tx: Transaction, feed_id: int, items: Sequence[NewItem], now: datetime
) -> list[tuple[NewItem, int, bool]]:
    """Store the items this feed has not had, in ``items``' order; each item with its id and whether it is new.

    An item is known when any of its keys (its own or an alias) is; within the batch, an item sharing a key
    with an earlier one is that earlier article again (not new, same id). The work is a handful of statements
    whatever the batch's size, because the transaction holds the only connection: a 1,000-item feed stored one
    statement at a time kept every command waiting for 0.7 s.
    """
    keys_of = [tuple(dict.fromkeys((item.item_key, *item.aliases))) for item in items]
    known = await _ids_by_key(
        tx,
        "SELECT key, item_id FROM item_keys WHERE feed_id = ? AND key IN ({marks})",
        feed_id,
        list(dict.fromkeys(key for keys in keys_of for key in keys)),
    )
    claimed: dict[str, NewItem] = {}  # key -> the new item of this batch that holds it
    plan: list[tuple[NewItem, int | None, NewItem | None]] = []  # (entry, known id, the new article it is)
    fresh: list[tuple[NewItem, tuple[str, ...]]] = []
    for item, keys in zip(items, keys_of, strict=True):
        known_id = next((known[key] for key in keys if key in known), None)
        earlier = next((claimed[key] for key in keys if key in claimed), None)
        if known_id is None and earlier is None:
            claimed.update(dict.fromkeys(keys, item))
            fresh.append((item, keys))
        plan.append((item, known_id, earlier))
    await tx.executemany(
        "INSERT INTO items (feed_id, item_key, story_key, title, link, outlet, summary, image_url, published_at, "
        "seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id, item_key) DO NOTHING",
        [
            (
                feed_id,
                item.item_key,
                item.story_key,
                item.title,
                item.link,
                item.outlet,
                item.summary,
                item.image_url,
                to_text(item.published_at),
                to_text(now),
            )
            for item, _ in fresh
        ],
    )
    ids = await _ids_by_key(
        tx,
        "SELECT item_key, id FROM items WHERE feed_id = ? AND item_key IN ({marks})",
        feed_id,
        [item.item_key for item, _ in fresh],
    )
    await tx.executemany(
        "INSERT INTO item_keys (feed_id, key, item_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(feed_id, key, ids[item.item_key]) for item, keys in fresh for key in keys],
    )
    stored: list[tuple[NewItem, int, bool]] = []
    for item, known_id, earlier in plan:
        if known_id is not None:
            stored.append((item, known_id, False))
        elif earlier is not None:
            stored.append((item, ids[earlier.item_key], False))
        else:
            stored.append((item, ids[item.item_key], True))
    return stored


async def _queue_all(tx: Transaction, deliveries: Sequence[tuple[int, NewItem, Target]], now: datetime) -> None:
    """Queue (item, channel) deliveries in order, skipping a story the channel had within 48 hours.

    The 48-hour check runs inside each row's INSERT, so a story queued by an earlier row of the same batch
    counts too, exactly as if the rows were queued one by one.
    """
    since = to_text(now - CROSS_FEED_WINDOW)
    await tx.executemany(
        "INSERT INTO deliveries (item_id, guild_id, channel_id, story_key, nonce, state, next_attempt_at, "
        "created_at) SELECT ?, ?, ?, ?, ?, 'pending', ?, ? WHERE NOT EXISTS (SELECT 1 FROM deliveries "
        "WHERE channel_id = ? AND story_key = ? AND created_at >= ? AND state != 'dropped') ON CONFLICT DO NOTHING",
        [
            (
                item_id,
                target.guild_id,
                target.channel_id,
                item.story_key,
                target.nonce,
                to_text(now),
                to_text(now),
                target.channel_id,
                item.story_key,
                since,
            )
            for item_id, item, target in deliveries
        ],
    )


# -- the outbox ------------------------------------------------------------------------------------------------


async def due_deliveries(db: Database, now: datetime, limit: int = 50) -> list[Delivery]:
    """Pending deliveries whose time has come, oldest first, skipping paused channels."""
    rows = await db.fetchall(
        "SELECT d.id, d.item_id, d.guild_id, d.channel_id, d.nonce, d.attempts, i.title, i.link, i.outlet, "
        "i.summary, i.image_url, i.published_at, f.title AS feed_title "
        "FROM deliveries d JOIN items i ON i.id = d.item_id JOIN feeds f ON f.id = i.feed_id "
        "LEFT JOIN channel_health h ON h.channel_id = d.channel_id "
        "WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND h.paused_reason IS NULL "
        "ORDER BY d.id LIMIT ?",
        (to_text(now), limit),
    )
    out: list[Delivery] = []
    for r in rows:
        published = from_text(r["published_at"])
        assert published is not None
        out.append(
            Delivery(
                id=r["id"],
                item_id=r["item_id"],
                guild_id=r["guild_id"],
                channel_id=r["channel_id"],
                nonce=r["nonce"],
                attempts=r["attempts"],
                title=r["title"],
                link=r["link"],
                outlet=r["outlet"],
                summary=r["summary"],
                image_url=r["image_url"],
                published_at=published,
                feed_title=r["feed_title"],
            )
        )
    return out


async def mark_attempt(db: Database, delivery_id: int) -> None:
    """Record, before sending, that a send is under way (the 'before' half of the outbox)."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?", (delivery_id,))


async def mark_sent(db: Database, delivery: Delivery, message_id: int, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE deliveries SET state = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
            (message_id, to_text(now), delivery.id),
        )
        await tx.execute(
            "UPDATE channel_health SET consecutive_failures = 0, updated_at = ? WHERE channel_id = ?",
            (to_text(now), delivery.channel_id),
        )


async def retry_later(db: Database, delivery_id: int, error: str, next_attempt_at: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE deliveries SET last_error = ?, next_attempt_at = ? WHERE id = ?",
            (error, to_text(next_attempt_at), delivery_id),
        )


async def give_up(db: Database, delivery_id: int, error: str) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE deliveries SET state = 'dropped', last_error = ? WHERE id = ?", (error, delivery_id))


async def channel_failed(
    db: Database, delivery: Delivery, error: str, *, now: datetime, retry_at: datetime, pause_after: int
) -> bool:
    """Count a 403/404 from a channel; pause the channel after ``pause_after`` in a row. True if now paused."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO channel_health (channel_id, guild_id, consecutive_failures, updated_at) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (channel_id) DO UPDATE SET consecutive_failures = consecutive_failures + 1, "
            "updated_at = excluded.updated_at",
            (delivery.channel_id, delivery.guild_id, to_text(now)),
        )
        row = await tx.fetchone(
            "SELECT consecutive_failures FROM channel_health WHERE channel_id = ?", (delivery.channel_id,)
        )
        paused = row is not None and int(row["consecutive_failures"]) >= pause_after
        if paused:
            await tx.execute(
                "UPDATE channel_health SET paused_reason = ? WHERE channel_id = ?", (error, delivery.channel_id)
            )
        await tx.execute(
            "UPDATE deliveries SET last_error = ?, next_attempt_at = ? WHERE id = ?",
            (error, to_text(retry_at), delivery.id),
        )
    return paused


async def paused_channels(db: Database, guild_id: int) -> dict[int, str]:
    rows = await db.fetchall(
        "SELECT channel_id, paused_reason FROM channel_health WHERE guild_id = ? AND paused_reason IS NOT NULL",
        (guild_id,),
    )
    return {int(r["channel_id"]): str(r["paused_reason"]) for r in rows}


async def resume_channel(db: Database, channel_id: int, now: datetime) -> None:
    """Post in a paused channel again, starting with the news that waited there."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE channel_health SET paused_reason = NULL, consecutive_failures = 0, updated_at = ? "
            "WHERE channel_id = ?",
            (to_text(now), channel_id),
        )
        await tx.execute(
            "UPDATE deliveries SET next_attempt_at = ? WHERE channel_id = ? AND state = 'pending'",
            (to_text(now), channel_id),
        )


# -- what moderators and fans read -----------------------------------------------------------------------------


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
        out.append(FeedStatus(subscription, feed, int(row["n"]) if row else 0))
    return out


async def recent_posts(db: Database, guild_id: int, count: int) -> list[Post]:
    """The latest distinct articles posted in this server, newest first."""
    rows = await db.fetchall(
        "SELECT i.title, i.link, i.outlet, i.published_at, d.channel_id, d.message_id, MAX(d.sent_at) AS sent_at "
        "FROM deliveries d JOIN items i ON i.id = d.item_id WHERE d.guild_id = ? AND d.state = 'sent' "
        "GROUP BY d.story_key ORDER BY sent_at DESC LIMIT ?",
        (guild_id, count),
    )
    posts: list[Post] = []
    for r in rows:
        published, sent = from_text(r["published_at"]), from_text(r["sent_at"])
        assert published is not None and sent is not None
        posts.append(Post(r["title"], r["link"], r["outlet"], published, r["channel_id"], r["message_id"], sent))
    return posts


async def prune_deliveries(db: Database, *, before: datetime, batch: int = 1000) -> int:
    """Delete finished (sent or dropped) deliveries created before ``before``; return how many went.

    Pending deliveries are never touched: they are posts still owed. Items stay, so a pruned article is still
    known and never posted again. Each batch is its own short transaction, so commands run in between.
    """
    deleted = 0
    while True:
        async with db.transaction() as tx:
            gone = await tx.execute(
                "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE created_at < ? "
                "AND state != 'pending' LIMIT ?)",
                (to_text(before), batch),
            )
        deleted += gone
        if gone < batch:
            return deleted


async def delivery_counts(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state")
    return {str(r["state"]): int(r["n"]) for r in rows}


# -- per-server settings ---------------------------------------------------------------------------------------


async def guild_settings(db: Database, guild_id: int) -> GuildFeedSettings:
    return (await guilds_settings(db, [guild_id])).get(guild_id, GuildFeedSettings(guild_id, (), (), 0, None))


async def guilds_settings(db: Database, guild_ids: Sequence[int]) -> dict[int, GuildFeedSettings]:
    """The stored settings of those servers that changed any, in one query per 500 servers.

    A feed followed by a thousand servers reads them all on every poll; one query each held the connection
    for 322 ms when the thousandth server subscribed.
    """
    found: dict[int, GuildFeedSettings] = {}
    for chunk, marks in _in_chunks(list(dict.fromkeys(guild_ids))):
        for row in await db.fetchall(
            f"SELECT * FROM guild_feed_settings WHERE guild_id IN ({marks})",  # noqa: S608
            chunk,
        ):
            found[int(row["guild_id"])] = GuildFeedSettings(
                int(row["guild_id"]),
                tuple(json.loads(row["blocked_domains"])),
                tuple(json.loads(row["blocked_patterns"])),
                int(row["spoiler_days"]),
                row["premiere_date"],
            )
    return found


async def save_guild_settings(db: Database, settings: GuildFeedSettings) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO guild_feed_settings (guild_id, blocked_domains, blocked_patterns, spoiler_days, "
            "premiere_date) VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "blocked_domains = excluded.blocked_domains, blocked_patterns = excluded.blocked_patterns, "
            "spoiler_days = excluded.spoiler_days, premiere_date = excluded.premiere_date",
            (
                settings.guild_id,
                json.dumps(list(settings.blocked_domains)),
                json.dumps(list(settings.blocked_patterns)),
                settings.spoiler_days,
                settings.premiere_date,
            ),
        )


async def claim_refresh(db: Database, guild_id: int, now: datetime, min_interval: timedelta) -> datetime | None:
    """Allow ``/feeds refresh`` at most once per ``min_interval``: ``None`` if allowed now (and recorded),
    otherwise when it will next be allowed."""
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT last_refresh_at FROM guild_feed_settings WHERE guild_id = ?", (guild_id,))
        last = from_text(row["last_refresh_at"]) if row else None
        if last is not None and now - last < min_interval:
            return last + min_interval
        await tx.execute(
            "INSERT INTO guild_feed_settings (guild_id, last_refresh_at) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET last_refresh_at = excluded.last_refresh_at",
            (guild_id, to_text(now)),
        )
        await tx.execute(
            "UPDATE feeds SET next_due_at = ? WHERE paused_reason IS NULL AND id IN "
            "(SELECT feed_id FROM subscriptions WHERE guild_id = ?)",
            (to_text(now), guild_id),
        )
    return None
