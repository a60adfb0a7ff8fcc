"""Edits of posts already made: an article that changed, or the same story from another outlet.

The edit outbox works like the delivery outbox (``db.feeds.outbox``): an edit is queued in the transaction that
stored the change, its attempt is recorded before it is sent and it is marked sent only after Discord confirmed it.
A post has at most one pending edit; it draws the item's latest text and sources when it is sent, so a second
change before it went out folds into it. An edit refers to a delivery, never creates one: it only ever becomes a
PATCH of the message the delivery recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from db.database import Database, Transaction
from db.feeds._chunks import in_chunks
from db.feeds.outbox import EDIT_WORK, claim_channels, posted_delivery_of
from db.feeds.records import Delivery, NewItem, Target
from db.leases import Holder, Hosted
from db.times import from_text, to_text

# A post is edited once Discord has it: sent, or pending after an attempt (it may exist; the edit waits for the
# delivery to be recognised as sent). A delivery never tried yet will draw the new text when it is first sent.
_QUEUE_EDIT = (
    "INSERT INTO post_edits (delivery_id, state, next_attempt_at, created_at) "
    "SELECT id, 'pending', ?, ? FROM deliveries WHERE {where} "
    "AND (state = 'sent' OR (state = 'pending' AND attempts > 0)) ON CONFLICT DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class PostEdit:
    """One pending edit: the message to edit and the delivery (with the item's current text) it shows."""

    id: int
    attempts: int
    message_id: int
    delivery: Delivery


async def note_changes(
    tx: Transaction, items: Sequence[tuple[NewItem, int]], *, now: datetime, posted_since: datetime
) -> int:
    """Take in the new text of stored items whose ``text_key`` changed, and queue an edit of each of their posts.

    An item first posted before ``posted_since`` keeps its old text and is not edited (the story has moved on);
    an item without a stored ``text_key`` (stored before keys existed) just takes one. The item's new story keys
    are added, so another feed's copy of the new headline is still the same story. Returns the edits queued.
    """
    latest = {item_id: item for item, item_id in items if item.text_key}
    ids = list(latest)
    stored: dict[int, str | None] = {}
    for chunk, marks in in_chunks(ids):
        rows = await tx.fetchall(f"SELECT id, text_key FROM items WHERE id IN ({marks})", tuple(chunk))  # noqa: S608
        stored.update((int(r["id"]), r["text_key"]) for r in rows)
    await tx.executemany(
        "UPDATE items SET text_key = ? WHERE id = ? AND text_key IS NULL",
        [(latest[i].text_key, i) for i, key in stored.items() if key is None],
    )
    queued = 0
    for item_id, key in stored.items():
        item = latest[item_id]
        if key is None or key == item.text_key:
            continue
        first = await tx.fetchone(
            "SELECT MIN(COALESCE(sent_at, created_at)) FROM deliveries WHERE item_id = ? AND state != 'dropped'",
            (item_id,),
        )
        first_post = from_text(first[0]) if first is not None else None
        if first_post is not None and first_post < posted_since:
            continue
        await tx.execute(
            "UPDATE items SET title = ?, summary = ?, image_url = COALESCE(?, image_url), text_key = ? WHERE id = ?",
            (item.title, item.summary, item.image_url, item.text_key, item_id),
        )
        await tx.executemany(
            "INSERT INTO item_story_keys (story_key, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(story_key, item_id) for story_key in item.story_keys],
        )
        queued += await tx.execute(_QUEUE_EDIT.format(where="item_id = ?"), (to_text(now), to_text(now), item_id))
    return queued


async def add_sources(
    tx: Transaction,
    rows: Sequence[tuple[int, NewItem, Target]],
    *,
    feed_id: int,
    feed_title: str,
    now: datetime,
    since: datetime,
    cap: int,
) -> int:
    """For each new item the outbox did not queue because its channel has the story from another feed since
    ``since``, name the item's outlet on that post (at most ``cap`` names, each once) and queue its edit.

    The outlet is the item's own, else its feed's title; one that is the post's own outlet adds nothing.
    Returns the edits queued.
    """
    queued = 0
    for item_id, item, target in rows:
        if await tx.fetchone(
            "SELECT 1 FROM deliveries WHERE item_id = ? AND channel_id = ?", (item_id, target.channel_id)
        ):
            continue
        found = await tx.fetchone(
            "SELECT d.id, COALESCE(i.outlet, f.title) AS outlet FROM item_story_keys mine "
            "CROSS JOIN item_story_keys theirs CROSS JOIN deliveries d CROSS JOIN items i "
            "JOIN feeds f ON f.id = i.feed_id "
            "WHERE mine.item_id = ? AND theirs.story_key = mine.story_key AND theirs.item_id != mine.item_id "
            "AND d.item_id = theirs.item_id AND d.channel_id = ? AND i.id = theirs.item_id "
            "AND d.created_at >= ? AND d.state != 'dropped' AND i.feed_id != ? ORDER BY d.id LIMIT 1",
            (item_id, target.channel_id, to_text(since), feed_id),
        )
        outlet = (item.outlet or feed_title).strip()
        if found is None or not outlet or outlet.casefold() == str(found["outlet"] or "").strip().casefold():
            continue
        delivery_id = int(found["id"])
        added = await tx.execute(
            "INSERT INTO delivery_sources (delivery_id, outlet, added_at) SELECT ?, ?, ? "
            "WHERE (SELECT COUNT(*) FROM delivery_sources WHERE delivery_id = ?) < ? "
            "AND NOT EXISTS (SELECT 1 FROM delivery_sources WHERE delivery_id = ? AND lower(outlet) = lower(?)) "
            "ON CONFLICT DO NOTHING",
            (delivery_id, outlet, to_text(now), delivery_id, cap, delivery_id, outlet),
        )
        if added:
            queued += await tx.execute(_QUEUE_EDIT.format(where="id = ?"), (to_text(now), to_text(now), delivery_id))
    return queued


async def delivery_sources(db: Database, delivery_id: int) -> list[str]:
    """The other outlets that reported this post's story, in the order they came."""
    rows = await db.fetchall(
        "SELECT outlet FROM delivery_sources WHERE delivery_id = ? ORDER BY added_at, outlet", (delivery_id,)
    )
    return [str(r["outlet"]) for r in rows]


_DUE_EDITS = (
    "SELECT e.id AS edit_id, e.attempts AS edit_attempts, d.message_id, d.id, d.item_id, d.guild_id, "
    "d.channel_id, d.nonce, d.attempts, i.title, i.link, i.outlet, i.summary, i.image_url, i.published_at, "
    "f.title AS feed_title FROM post_edits e JOIN deliveries d ON d.id = e.delivery_id "
    "JOIN items i ON i.id = d.item_id JOIN feeds f ON f.id = i.feed_id "
    "WHERE e.state = 'pending' AND e.next_attempt_at <= ? AND d.state = 'sent' AND d.message_id IS NOT NULL{mine} "
    "ORDER BY e.next_attempt_at, e.id LIMIT ?"
)


async def due_edits(
    db: Database,
    now: datetime,
    limit: int = 50,
    *,
    holder: Holder | None = None,
    members: int = 1,
    hosted: Hosted | None = None,
) -> list[PostEdit]:
    """Pending edits whose time has come, of posts Discord has (sent deliveries), oldest first.

    With ``holder``, only the edits in channels it holds, claimed in the same transaction as the posts' channels are
    (``outbox.claim_channels``): an edit in a channel another process is posting in waits for that channel's lease,
    so one channel's requests never come from two processes at once. Without, a look at every due edit.
    """
    if holder is None:
        rows = await db.fetchall(_DUE_EDITS.format(mine=""), (to_text(now), limit))
    else:
        mine = " AND d.channel_id IN (SELECT channel_id FROM channel_leases WHERE owner = ?)"
        async with db.transaction() as tx:
            await claim_channels(tx, db, holder, now, work=EDIT_WORK, members=members, hosted=hosted)
            rows = await tx.fetchall(_DUE_EDITS.format(mine=mine), (to_text(now), holder.id, limit))
    return [
        PostEdit(int(r["edit_id"]), int(r["edit_attempts"]), int(r["message_id"]), posted_delivery_of(r)) for r in rows
    ]


async def mark_edit_attempt(db: Database, edit_id: int) -> None:
    """Record, before the edit is sent, that it is under way (a crash after this retries the same edit)."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE post_edits SET attempts = attempts + 1 WHERE id = ?", (edit_id,))


async def mark_edited(db: Database, edit_id: int, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE post_edits SET state = 'sent', edited_at = ?, last_error = NULL WHERE id = ?",
            (to_text(now), edit_id),
        )


async def retry_edit_later(db: Database, edit_id: int, error: str, next_attempt_at: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE post_edits SET last_error = ?, next_attempt_at = ? WHERE id = ?",
            (error, to_text(next_attempt_at), edit_id),
        )


async def drop_edit(db: Database, edit_id: int, reason: str) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE post_edits SET state = 'dropped', last_error = ? WHERE id = ?", (reason, edit_id))


async def edits_here(db: Database, *, feed_id: int, channel_id: int, since: datetime) -> int:
    """Edits Discord confirmed since ``since`` of this feed's posts in this channel."""
    row = await db.fetchone(
        "SELECT COUNT(*) AS n FROM post_edits e JOIN deliveries d ON d.id = e.delivery_id "
        "JOIN items i ON i.id = d.item_id WHERE e.state = 'sent' AND e.edited_at >= ? "
        "AND d.channel_id = ? AND i.feed_id = ?",
        (to_text(since), channel_id, feed_id),
    )
    return int(row["n"]) if row else 0
