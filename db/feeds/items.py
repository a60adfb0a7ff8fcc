"""Seen items: how a feed's items are told apart from the ones it had before.

An item is stored under every identity key it has (its guid and its link, see ``bot.feeds.dedup``), so a feed
that changes one of them for the same article does not post it twice, and under every story key it has (its
canonical link and distinctive headline, ``item_story_keys``), which the outbox matches across feeds. Each item
remembers when a fetched document last held it (``last_seen_at``); one gone from the feed for long enough is
forgotten down to its keys (``forgotten_item_keys``), which still count as seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from db.database import Database, Transaction
from db.feeds._chunks import in_chunks
from db.feeds.records import NewItem
from db.times import to_text

# Items forgotten per transaction: the pruning shares the one connection with every command.
_PRUNE_BATCH = 500
# One feed's items gone from its documents before a time, none of them still referred to by a delivery.
_PRUNABLE = (
    "SELECT i.id FROM items i WHERE i.feed_id = ? AND i.last_seen_at < ? "
    "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.item_id = i.id) LIMIT ?"
)


async def item_keys(db: Database, item_ids: Sequence[int]) -> list[str]:
    """The per-feed keys of the given items (to tell which of a poll's items were new)."""
    if not item_ids:
        return []
    marks = ", ".join("?" * len(item_ids))
    rows = await db.fetchall(f"SELECT item_key FROM items WHERE id IN ({marks})", tuple(item_ids))  # noqa: S608
    return [str(r["item_key"]) for r in rows]


def _story_keys(item: NewItem) -> tuple[str, ...]:
    """Every key that makes another item the same story; an item with none falls back to its main one."""
    return tuple(dict.fromkeys(item.story_keys)) or (item.story_key,)


async def _ids_by_key(tx: Transaction, sql: str, feed_id: int, keys: Sequence[str]) -> dict[str, int]:
    """Run ``sql`` (two result columns, key then id; ``{marks}`` for the key list) over ``keys`` in chunks."""
    found: dict[str, int] = {}
    for chunk, marks in in_chunks(keys):
        rows = await tx.fetchall(sql.format(marks=marks), (feed_id, *chunk))
        found.update((str(r[0]), int(r[1])) for r in rows)
    return found


async def store_batch(
    tx: Transaction, feed_id: int, items: Sequence[NewItem], now: datetime
) -> list[tuple[NewItem, int, bool]]:
    """Store the items this feed has not had, in ``items``' order; each item with its id and whether it is new.

    An item is known when any of its keys (its own or an alias) is; within the batch, an item sharing a key
    with an earlier one is that earlier article again (not new, same id). An item whose keys were forgotten is
    stored again but is not new: the feed re-issued an article it had long ago. Every item of the batch is
    marked as seen in a document at ``now``. The work is a handful of statements
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
    unknown = list(dict.fromkeys(key for keys in keys_of for key in keys if key not in known))
    forgotten = set(
        await _ids_by_key(
            tx,
            "SELECT key, 0 FROM forgotten_item_keys WHERE feed_id = ? AND key IN ({marks})",
            feed_id,
            unknown,
        )
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
        "seen_at, last_seen_at, text_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (feed_id, item_key) DO NOTHING",
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
                to_text(now),
                item.text_key or None,
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
    await tx.executemany(
        "INSERT INTO item_story_keys (story_key, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(key, ids[item.item_key]) for item, _ in fresh for key in _story_keys(item)],
    )
    remembered = {item.item_key for item, keys in fresh if forgotten.intersection(keys)}
    await tx.executemany(
        "DELETE FROM forgotten_item_keys WHERE feed_id = ? AND key = ?",
        [(feed_id, key) for item, keys in fresh if item.item_key in remembered for key in keys],
    )
    still_there = sorted({known_id for _, known_id, _ in plan if known_id is not None})
    for chunk, marks in in_chunks(still_there):
        await tx.execute(
            f"UPDATE items SET last_seen_at = ? WHERE id IN ({marks})",  # noqa: S608
            (to_text(now), *chunk),
        )
    stored: list[tuple[NewItem, int, bool]] = []
    for item, known_id, earlier in plan:
        if known_id is not None:
            stored.append((item, known_id, False))
        elif earlier is not None:
            stored.append((item, ids[earlier.item_key], False))
        else:
            stored.append((item, ids[item.item_key], item.item_key not in remembered))
    return stored


async def prune_items(db: Database, *, before: datetime, now: datetime) -> int:
    """Forget the items missing from their feed's latest document and last seen in one before ``before``.

    The latest document is the newest ``last_seen_at`` of the feed's items: an item still in it was seen then,
    so an item the feed still shows is never forgotten, however old. An item some delivery still refers to is
    kept (the delivery is pruned first). Its keys stay in ``forgotten_item_keys``, so it is never news again.
    Each feed is an index range, forgotten in small transactions: the connection is shared with every command.
    Returns how many items were forgotten.
    """
    forgotten = 0
    for feed in await db.fetchall("SELECT id FROM feeds ORDER BY id"):
        feed_id = int(feed[0])
        newest = await db.fetchone("SELECT MAX(last_seen_at) FROM items WHERE feed_id = ?", (feed_id,))
        if newest is None or newest[0] is None:
            continue
        cutoff = min(to_text(before), str(newest[0]))
        if not await db.fetchall(_PRUNABLE, (feed_id, cutoff, 1)):
            continue  # most feeds, most days: no write transaction at all
        while True:
            async with db.transaction() as tx:
                rows = await tx.fetchall(_PRUNABLE, (feed_id, cutoff, _PRUNE_BATCH))
                ids = [int(r[0]) for r in rows]
                for chunk, marks in in_chunks(ids):
                    await tx.execute(
                        "INSERT INTO forgotten_item_keys (feed_id, key, forgotten_at) "  # noqa: S608
                        f"SELECT feed_id, key, ? FROM item_keys WHERE item_id IN ({marks}) ON CONFLICT DO NOTHING",
                        (to_text(now), *chunk),
                    )
                    await tx.execute(f"DELETE FROM items WHERE id IN ({marks})", tuple(chunk))  # noqa: S608
            forgotten += len(ids)
            if len(ids) < _PRUNE_BATCH:
                break
    return forgotten
