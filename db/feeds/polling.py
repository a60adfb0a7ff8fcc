"""The feed watcher's schedule and what one poll writes: which feeds are due, each fetch's outcome, pauses.

``store_items`` lives here rather than in ``items``: it is the poll's write (it reads the feed's subscriptions to
queue their posts), while ``subscriptions.subscribe`` stores items too; keeping it above both avoids a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta

from db.database import Database
from db.feeds.edits import add_sources, note_changes
from db.feeds.items import store_batch
from db.feeds.outbox import queue_all
from db.feeds.records import Feed, NewItem, Subscription, Target, feed_from_row
from db.feeds.subscriptions import feed_subscriptions
from db.leases import Holder, skip_locked, until
from db.times import from_text, to_text

# Followed, unpaused, due and not leased by a live holder.
_DUE_FEEDS = (
    "FROM feeds f WHERE f.paused_reason IS NULL AND f.next_due_at <= ? "
    "AND (f.lease_until IS NULL OR f.lease_until <= ?) "
    "AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.feed_id = f.id) ORDER BY f.next_due_at, f.id LIMIT ?"
)


async def due_feeds(db: Database, now: datetime, limit: int = 100, *, holder: Holder | None = None) -> list[Feed]:
    """Feeds someone follows, not paused, whose next fetch is due, most overdue first: claimed for ``holder``.

    The claim leases each feed to ``holder`` until ``now + holder.lease`` in the same statement that picks it, so
    several processes on one database each fetch a disjoint share and a feed is fetched once per interval across
    them; ``record_fetch`` ends the lease, and a holder that died leaves one that runs out, after which any process
    claims the feed again. Without ``holder`` it only looks (tests, benchmarks): what could be claimed now.
    """
    stamp = to_text(now)
    if holder is None:
        rows = await db.fetchall(f"SELECT f.* {_DUE_FEEDS}", (stamp, stamp, limit))
        return [feed_from_row(r) for r in rows]
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            "UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE id IN ("  # noqa: S608
            f"SELECT f.id {_DUE_FEEDS}{skip_locked(db)}) RETURNING *",
            (holder.id, until(holder, now), stamp, stamp, limit),
        )
    return sorted((feed_from_row(r) for r in rows), key=lambda f: (f.next_due_at, f.id))


async def renew_feeds(db: Database, feed_ids: Collection[int], holder: Holder, now: datetime) -> int:
    """Extend ``holder``'s leases on feeds still being fetched (a slow site, a wait for a fetch slot); how many it
    still held. A lease another process took over after it ran out stays theirs."""
    if not feed_ids:
        return 0
    marks = ", ".join("?" for _ in feed_ids)
    async with db.transaction() as tx:
        return await tx.execute(
            f"UPDATE feeds SET lease_until = ? WHERE lease_owner = ? AND id IN ({marks})",  # noqa: S608
            (until(holder, now), holder.id, *feed_ids),
        )


async def release_feeds(db: Database, feed_ids: Collection[int], holder: Holder) -> None:
    """Give back ``holder``'s leases on feeds it will not fetch after all (a poll cycle cancelled at shutdown), so
    another process takes them at once instead of after the lease."""
    if not feed_ids:
        return
    marks = ", ".join("?" for _ in feed_ids)
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE feeds SET lease_owner = NULL, lease_until = NULL "  # noqa: S608
            f"WHERE lease_owner = ? AND id IN ({marks})",
            (holder.id, *feed_ids),
        )


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

    ``not_found_streak`` is the scheduler's count of 404s in a row (several of them pause the feed). The fetch's
    lease ends in the same statement that moves ``next_due_at`` (whatever the outcome: fetched, failed, paused), so
    no process sees the feed both free and still due.
    """
    async with db.transaction() as tx:
        if error is None:
            await tx.execute(
                "UPDATE feeds SET last_fetch_at = ?, last_status = ?, last_error = NULL, next_due_at = ?, "
                "lease_owner = NULL, lease_until = NULL, "
                "consecutive_failures = 0, not_found_streak = 0, failing_since = NULL, "
                "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
                "title = COALESCE(NULLIF(?, ''), title) WHERE id = ?",
                (to_text(now), status, to_text(next_due_at), etag, last_modified, title, feed_id),
            )
        else:
            await tx.execute(
                "UPDATE feeds SET last_fetch_at = ?, last_status = ?, last_error = ?, next_due_at = ?, "
                "lease_owner = NULL, lease_until = NULL, "
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


async def store_items(
    db: Database,
    feed_id: int,
    items: Sequence[NewItem],
    *,
    now: datetime,
    route: Callable[[NewItem, Subscription], Target | None],
    fresh: bool = False,
    newest: int | None = None,
    edits_since: datetime | None = None,
    source_cap: int = 0,
) -> list[int]:
    """Store the items not seen before and queue their deliveries, all in one transaction.

    ``route`` decides per (new item, subscription) whether and how to post (the subscription's filters); a story
    already queued or posted in the same channel within 48 hours through another feed is not queued again.
    With ``newest``, only that many of the new items (the most recent) are queued; the rest are stored as seen,
    so a feed that suddenly re-issues its whole archive does not flood its channels.
    Only a ``fresh`` poll (on time, not catching up after an outage or a pause) queues posts that may ping a role.
    With ``edits_since``, a known item whose text changed and was first posted since then takes its new text and
    its posts are queued for an edit, and a new item whose story a channel already has from another feed since
    then is named on that post (up to ``source_cap`` outlets) instead (``db.feeds.edits``).
    Returns the ids of the items that were new.
    """
    subscriptions = await feed_subscriptions(db, feed_id)
    async with db.transaction() as tx:
        stored = await store_batch(tx, feed_id, sorted(items, key=lambda i: i.published_at), now)
        new = [(item_id, item) for item, item_id, is_new in stored if is_new]
        chosen = new if newest is None else new[max(0, len(new) - newest) :]
        rows = [
            (item_id, item, target)
            for item_id, item in chosen
            for subscription in subscriptions
            if (target := route(item, subscription)) is not None
        ]
        await queue_all(tx, rows, now, fresh=fresh)
        if edits_since is not None:
            await note_changes(tx, [(item, item_id) for item, item_id, _ in stored], now=now, posted_since=edits_since)
            title = subscriptions[0].feed_title if subscriptions else ""
            await add_sources(tx, rows, feed_id=feed_id, feed_title=title, now=now, since=edits_since, cap=source_cap)
    return [item_id for item_id, _ in new]


async def make_all_due(db: Database, now: datetime) -> None:
    """Make every followed, unpaused feed due now (a poll cycle on demand, for tests and the demo)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE feeds SET next_due_at = ? WHERE paused_reason IS NULL AND next_due_at > ?",
            (to_text(now), to_text(now)),
        )


async def claim_refresh(
    db: Database,
    guild_id: int,
    now: datetime,
    min_interval: timedelta,
    choose: Callable[[list[Feed]], Collection[int]] | None = None,
) -> datetime | None:
    """Allow ``/feeds refresh`` at most once per ``min_interval``: ``None`` if allowed now (and recorded),
    otherwise when it will next be allowed.

    An allowed refresh makes the server's unpaused feeds due now, or those of them ``choose`` picks: it sees the
    feeds as they are inside the transaction, so a fetch recorded meanwhile (a 429, say) is not overwritten.
    """
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
        feeds = [
            feed_from_row(r)
            for r in await tx.fetchall(
                "SELECT * FROM feeds WHERE paused_reason IS NULL AND id IN "
                "(SELECT feed_id FROM subscriptions WHERE guild_id = ?) ORDER BY id",
                (guild_id,),
            )
        ]
        picked = None if choose is None else set(choose(feeds))
        chosen = [f.id for f in feeds if picked is None or f.id in picked]
        await tx.executemany("UPDATE feeds SET next_due_at = ? WHERE id = ?", [(to_text(now), i) for i in chosen])
    return None


async def resume_feed(db: Database, feed_id: int, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE feeds SET paused_reason = NULL, pause_announced = 0, consecutive_failures = 0, "
            "not_found_streak = 0, failing_since = NULL, next_due_at = ? WHERE id = ?",
            (to_text(now), feed_id),
        )


async def unannounced_pauses(db: Database) -> list[tuple[Feed, list[Subscription]]]:
    rows = await db.fetchall("SELECT * FROM feeds WHERE paused_reason IS NOT NULL AND pause_announced = 0")
    return [(feed_from_row(r), await feed_subscriptions(db, int(r["id"]))) for r in rows]


async def mark_pause_announced(db: Database, feed_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE feeds SET pause_announced = 1 WHERE id = ?", (feed_id,))
