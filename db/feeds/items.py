"""Seen items: how a feed's items are told apart from the ones it had before.

An item is stored under every identity key it has (its guid, canonical link, headline), so a feed that changes
one of them for the same article does not post it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from db.database import Database, Transaction
from db.feeds._chunks import in_chunks
from db.feeds.records import NewItem
from db.times import to_text


async def item_keys(db: Database, item_ids: Sequence[int]) -> list[str]:
    """The per-feed keys of the given items (to tell which of a poll's items were new)."""
    if not item_ids:
        return []
    marks = ", ".join("?" * len(item_ids))
    rows = await db.fetchall(f"SELECT item_key FROM items WHERE id IN ({marks})", tuple(item_ids))  # noqa: S608
    return [str(r["item_key"]) for r in rows]


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
