"""The delivery outbox: what makes news delivery crash-safe.

Marking an item seen and queuing its (item, channel) deliveries happen in one transaction, so a crash either
loses neither or keeps both; a delivery becomes ``sent`` only after Discord confirmed the message, and its nonce
is derived from (item, channel) so a resend after a crash is recognised by Discord as the same message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

from db.database import Database, Row, Transaction
from db.feeds.records import Delivery, NewItem, Post, Target, post_style
from db.leases import Holder, Hosted, on_shards, skip_locked, until
from db.times import from_text, to_text

CROSS_FEED_WINDOW = timedelta(hours=48)


# One (item, channel) row, unless the channel had the story within the window (see ``queue_all``).
QUEUE_SQL = (
    "INSERT INTO deliveries (item_id, guild_id, channel_id, story_key, nonce, ping_role_id, state, "
    "next_attempt_at, created_at) SELECT ?, ?, ?, ?, ?, ?, 'pending', ?, ? "
    "WHERE NOT EXISTS (SELECT 1 FROM item_story_keys mine "
    # CROSS JOIN fixes the order: this item's few keys, the items sharing them, their delivery to this channel
    # (the (item, channel) index); left to itself the planner read every delivery the channel ever had.
    "CROSS JOIN item_story_keys theirs CROSS JOIN deliveries d CROSS JOIN items i "
    "WHERE mine.item_id = ? AND theirs.story_key = mine.story_key AND theirs.item_id != mine.item_id "
    "AND d.item_id = theirs.item_id AND d.channel_id = ? AND i.id = theirs.item_id "
    "AND d.created_at >= ? AND d.state != 'dropped' "
    "AND (theirs.story_key NOT LIKE 'T:%' OR i.feed_id != (SELECT feed_id FROM items WHERE id = ?))) "
    "ON CONFLICT DO NOTHING"
)


async def queue_all(
    tx: Transaction, deliveries: Sequence[tuple[int, NewItem, Target]], now: datetime, *, fresh: bool = False
) -> None:
    """Queue (item, channel) deliveries in order, skipping a story the channel had within 48 hours.

    Only ``fresh`` deliveries (a poll on time: not a backfill, not news caught up after an outage) keep the role
    their target may ping; the others are posted quietly whatever their words.

    A story is the same when any of the item's story keys (``item_story_keys``, stored with the item) is a key of
    another item the channel got or is getting since then: its canonical link, or its headline from another feed
    (within one feed a headline is not identity: a weekly "Episode 3 discussion" with a new link is news). The
    check runs inside each row's INSERT, so a story queued by an earlier row of the same batch counts too, exactly
    as if the rows were queued one by one.
    """
    since = to_text(now - CROSS_FEED_WINDOW)
    await tx.executemany(
        QUEUE_SQL,
        [
            (
                item_id,
                target.guild_id,
                target.channel_id,
                item.story_key,
                target.nonce,
                target.ping_role_id if fresh else None,
                to_text(now),
                to_text(now),
                item_id,
                target.channel_id,
                since,
                item_id,
            )
            for item_id, item, target in deliveries
        ],
    )


# One round of the outbox: the oldest ``per_channel`` due deliveries of each channel, then the channels of each
# server in turn (``turn`` counts a server's picks), so a backlog in one channel or one server waits behind one
# pick of everyone else instead of in front of them. Both windows read the pending rows in the partial index
# ``deliveries_pending`` (channel_id, id), which keeps the work proportional to what is waiting. ``{mine}`` limits
# the round to the channels the claimer holds.
_ROUND = """
    WITH due AS (
        SELECT d.id, d.guild_id,
               ROW_NUMBER() OVER (PARTITION BY d.channel_id ORDER BY d.id) AS in_channel
        FROM deliveries d LEFT JOIN channel_health h ON h.channel_id = d.channel_id
        WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND h.paused_reason IS NULL{mine}
    ),
    picked AS (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY guild_id ORDER BY in_channel, id) AS turn
        FROM due WHERE in_channel <= ?
    )
    SELECT d.id, d.item_id, d.guild_id, d.channel_id, d.nonce, d.attempts, d.ping_role_id, d.pinged_at,
           d.created_at AS queued_at, i.title, i.link, i.outlet,
           i.summary, i.image_url, i.published_at, f.title AS feed_title,
           d.message_id AS posted_id, s.id AS subscription_id, s.post_style, s.forum_tag_id, s.thread_refused
    FROM picked p JOIN deliveries d ON d.id = p.id JOIN items i ON i.id = d.item_id JOIN feeds f ON f.id = i.feed_id
    LEFT JOIN subscriptions s ON s.feed_id = i.feed_id AND s.channel_id = d.channel_id
    ORDER BY p.turn, d.id LIMIT ?
"""
_ROUND_SQL = _ROUND.format(mine="")
_HELD_ROUND_SQL = _ROUND.format(mine=" AND d.channel_id IN (SELECT channel_id FROM channel_leases WHERE owner = ?)")

# -- channel leases ------------------------------------------------------------------------------------------------
# Several processes share one outbox by channel, never by row: a channel's queued posts (and the edits of its posts)
# are worked by the one process holding its lease, so two processes never post in one channel at once and its posts
# keep their order. Leasing single rows under the fair round lets two claimers take one channel's first and second
# post and send them out of order (bench/storage_choice.py). A lease row exists while its channel has work waiting.

# The channels with work due: ``{work}`` is the FROM and WHERE of one kind of work, aliasing the delivery ``d`` and
# leaving one ``?`` for the moment it is due by.
DELIVERY_WORK = (
    "FROM deliveries d LEFT JOIN channel_health h ON h.channel_id = d.channel_id "
    "WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND h.paused_reason IS NULL"
)
EDIT_WORK = (
    "FROM post_edits e JOIN deliveries d ON d.id = e.delivery_id WHERE e.state = 'pending' "
    "AND e.next_attempt_at <= ? AND d.state = 'sent' AND d.message_id IS NOT NULL"
)


async def claim_channels(
    tx: Transaction,
    db: Database,
    holder: Holder,
    now: datetime,
    *,
    work: str,
    members: int = 1,
    hosted: Hosted | None = None,
) -> None:
    """Renew ``holder``'s channel leases, take free or expired ones with ``work`` due up to its share, and give back
    those with nothing due; the caller then reads the work of the channels ``holder`` holds, in the same transaction.

    Its share is the channels with work due divided among the ``members`` of the cluster (plus one), so every live
    process gets some and one process alone takes them all. Channels of servers on ``hosted`` shards come first: only
    the process hosting a server has its roles and forums in discord.py's cache. Another server's free channel is
    taken once its work has waited a whole lease (its host is gone, or has more than it can send); an expired lease
    (its holder died mid-channel) is taken at once, and the new holder's sender finds what the dead one may have
    posted by its nonce, exactly as after a restart.
    """
    stamp, renewed_until = to_text(now), until(holder, now)
    held = await tx.execute("UPDATE channel_leases SET lease_until = ? WHERE owner = ?", (renewed_until, holder.id))
    await tx.execute(
        "INSERT INTO channel_leases (channel_id, guild_id) "  # noqa: S608
        f"SELECT d.channel_id, MIN(d.guild_id) {work} AND NOT EXISTS (SELECT 1 FROM channel_leases l "
        "WHERE l.channel_id = d.channel_id) GROUP BY d.channel_id ORDER BY d.channel_id ON CONFLICT DO NOTHING",
        (stamp,),
    )
    row = await tx.fetchone(f"SELECT COUNT(DISTINCT d.channel_id) AS n {work}", (stamp,))
    waiting = int(row["n"]) if row else 0
    room = -(-waiting // max(1, members)) + 1 - held
    if room > 0:
        ours, ours_params = on_shards("l.guild_id", hosted)
        # One grouped pass over the waiting work (a correlated lookup per lease row took seconds at 10,000 channels).
        await tx.execute(
            "UPDATE channel_leases SET owner = ?, lease_until = ? WHERE channel_id IN ("  # noqa: S608
            f"WITH waiting AS (SELECT d.channel_id, MIN(d.id) AS oldest, MIN(d.next_attempt_at) AS since {work} "
            "GROUP BY d.channel_id) "
            "SELECT l.channel_id FROM channel_leases l JOIN waiting w ON w.channel_id = l.channel_id "
            f"WHERE (l.owner IS NULL OR l.lease_until <= ?) AND ({ours} OR l.owner IS NOT NULL OR w.since <= ?) "
            f"ORDER BY CASE WHEN {ours} THEN 0 ELSE 1 END, w.oldest LIMIT ?{skip_locked(db, of='l')})",
            (
                holder.id,
                renewed_until,
                stamp,
                stamp,
                *ours_params,
                to_text(now - holder.lease),
                *ours_params,
                room,
            ),
        )
    await _release_idle(tx, holder, now)


async def _release_idle(tx: Transaction, holder: Holder, now: datetime) -> int:
    """Give back ``holder``'s channels with neither a post nor an edit due (nothing in flight: a send in flight is
    still pending and due until it is recorded)."""
    stamp = to_text(now)
    return await tx.execute(
        "DELETE FROM channel_leases WHERE owner = ? "  # noqa: S608
        f"AND channel_id NOT IN (SELECT d.channel_id {DELIVERY_WORK}) "
        f"AND channel_id NOT IN (SELECT d.channel_id {EDIT_WORK})",
        (holder.id, stamp, stamp),
    )


async def release_idle_channels(db: Database, holder: Holder, now: datetime) -> int:
    """Give back the channels ``holder`` has nothing due in (the end of an edit drain); how many."""
    async with db.transaction() as tx:
        return await _release_idle(tx, holder, now)


async def renew_channels(db: Database, holder: Holder, now: datetime) -> int:
    """Extend every channel lease ``holder`` has (a send Discord is slow to answer outlasts the rounds that renew
    them); how many it still held."""
    async with db.transaction() as tx:
        return await tx.execute(
            "UPDATE channel_leases SET lease_until = ? WHERE owner = ?", (until(holder, now), holder.id)
        )


async def release_channels(db: Database, holder: Holder) -> int:
    """Give back every channel lease ``holder`` has (its sender stopped with nothing in flight), so another process
    takes the channels at once instead of after the lease; how many it had."""
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM channel_leases WHERE owner = ?", (holder.id,))


async def held_channels(db: Database, holder: Holder) -> list[int]:
    """The channels ``holder`` holds now (``/feeds status``, ``python -m bot status``)."""
    rows = await db.fetchall("SELECT channel_id FROM channel_leases WHERE owner = ? ORDER BY channel_id", (holder.id,))
    return [int(r["channel_id"]) for r in rows]


async def due_deliveries(
    db: Database,
    now: datetime,
    limit: int = 50,
    *,
    per_channel: int = 1,
    holder: Holder | None = None,
    members: int = 1,
    hosted: Hosted | None = None,
) -> list[Delivery]:
    """One fair round of pending deliveries whose time has come, skipping paused channels.

    At most ``per_channel`` per channel (oldest first within it), servers taking turns and, within a server, its
    channels by their oldest waiting post; a channel's own posts therefore always come out in the order queued.
    With ``holder``, only the channels it holds, claimed and renewed in the same transaction (``claim_channels``;
    ``members`` and ``hosted`` decide its share); without, a look at the whole round (tests, benchmarks).
    """
    if holder is None:
        return [delivery_of(r) for r in await db.fetchall(_ROUND_SQL, (to_text(now), per_channel, limit))]
    async with db.transaction() as tx:
        await claim_channels(tx, db, holder, now, work=DELIVERY_WORK, members=members, hosted=hosted)
        rows = await tx.fetchall(_HELD_ROUND_SQL, (to_text(now), holder.id, per_channel, limit))
    return [delivery_of(r) for r in rows]


def posted_delivery_of(r: Row) -> Delivery:
    """A delivery joined with its item and feed, as the card of its post needs it (an edit reads no more)."""
    published = from_text(r["published_at"])
    assert published is not None
    return Delivery(
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


def delivery_of(r: Row) -> Delivery:
    """A row of ``_ROUND_SQL``: the post's card plus what its sending decides on (ping, style, thread)."""
    return dataclasses.replace(
        posted_delivery_of(r),
        ping_role_id=r["ping_role_id"],
        pinged=r["pinged_at"] is not None,
        queued_at=from_text(r["queued_at"]),
        style=post_style(r["post_style"], r["forum_tag_id"]),
        subscription_id=r["subscription_id"],
        posted_id=r["posted_id"],
        thread_refused=bool(r["thread_refused"]),
    )


async def drop_overflow(db: Database, per_channel: int, reason: str) -> int:
    """Drop the oldest pending deliveries of every channel beyond its newest ``per_channel``; how many went.

    They are marked ``dropped`` with ``reason`` (so ``/feeds status`` can say so), never deleted: the item stays
    seen, and a channel that was flooded gets its newest news rather than a queue that never shrinks.
    """
    async with db.transaction() as tx:
        return await tx.execute(
            "UPDATE deliveries SET state = 'dropped', last_error = ? WHERE id IN ("
            "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY id DESC) AS newer "
            "FROM deliveries WHERE state = 'pending' AND channel_id IN (SELECT channel_id FROM deliveries "
            "WHERE state = 'pending' GROUP BY channel_id HAVING COUNT(*) > ?)) ranked WHERE newer > ?)",
            (reason, per_channel, per_channel),
        )


async def claim_ping(db: Database, delivery: Delivery, now: datetime, window: timedelta) -> bool:
    """Record, before its first send, that ``delivery`` pings its role, unless that role was pinged in the channel
    within ``window``; whether it pings. Recorded on the delivery, so a retry or a recovery reads the choice back
    instead of making it again (and never counts its own ping against itself)."""
    if delivery.ping_role_id is None:
        return False
    async with db.transaction() as tx:
        recent = await tx.fetchone(
            "SELECT 1 FROM deliveries WHERE channel_id = ? AND ping_role_id = ? AND pinged_at IS NOT NULL "
            "AND pinged_at > ? AND id != ? LIMIT 1",
            (delivery.channel_id, delivery.ping_role_id, to_text(now - window), delivery.id),
        )
        if recent is not None:
            return False
        await tx.execute("UPDATE deliveries SET pinged_at = ? WHERE id = ?", (to_text(now), delivery.id))
    return True


async def mark_attempt(db: Database, delivery_id: int) -> None:
    """Record, before sending, that a send is under way (the 'before' half of the outbox)."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?", (delivery_id,))


async def mark_sent(
    db: Database, delivery: Delivery, message_id: int, now: datetime, *, thread_id: int | None = None
) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE deliveries SET state = 'sent', message_id = ?, thread_id = ?, sent_at = ?, last_error = NULL "
            "WHERE id = ?",
            (message_id, thread_id, to_text(now), delivery.id),
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
            "ON CONFLICT (channel_id) DO UPDATE SET consecutive_failures = channel_health.consecutive_failures + 1, "
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


async def recent_posts(db: Database, guild_id: int, count: int) -> list[Post]:
    """The latest distinct articles posted in this server, newest first."""
    rows = await db.fetchall(
        # Each story's latest post (a window, not SQLite's bare columns beside MAX(), which PostgreSQL refuses).
        "SELECT title, link, outlet, published_at, channel_id, message_id, sent_at FROM ("
        "SELECT i.title, i.link, i.outlet, i.published_at, d.channel_id, d.message_id, d.sent_at, "
        "ROW_NUMBER() OVER (PARTITION BY d.story_key ORDER BY d.sent_at DESC, d.id DESC) AS latest "
        "FROM deliveries d JOIN items i ON i.id = d.item_id WHERE d.guild_id = ? AND d.state = 'sent') posts "
        "WHERE latest = 1 ORDER BY sent_at DESC LIMIT ?",
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
