"""Subscribing a channel straight through the database, for the tests of the feed watcher's storage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import db.feeds as q
from db import Database

Route = Callable[[q.NewItem, q.Subscription], q.Target | None]


def news_item(
    key: str,
    *,
    published: datetime,
    title: str | None = None,
    link: str | None = None,
    story: str | None = None,
    summary: str = "Summary",
    aliases: tuple[str, ...] = (),
    text_key: str = "",
) -> q.NewItem:
    """An article of Example News as a feed brings it: keyed ``key``, "Title ``key``" at news.example/``key``
    unless told otherwise."""
    return q.NewItem(
        item_key=key,
        story_key=story or key,
        title=title or f"Title {key}",
        link=link or f"https://news.example/{key}",
        outlet="Example News",
        summary=summary,
        image_url=None,
        published_at=published,
        aliases=aliases,
        text_key=text_key,
    )


def to_all(new: q.NewItem, sub: q.Subscription) -> q.Target:
    """Every item to every subscription, with a nonce that names both."""
    return q.Target(sub.id, sub.guild_id, sub.channel_id, f"{new.item_key}:{sub.channel_id}")


def to_none(new: q.NewItem, sub: q.Subscription) -> q.Target | None:
    return None


async def subscribe_channel(
    database: Database,
    *,
    now: datetime,
    url: str = "https://a.example/feed",
    guild_id: int = 1,
    channel_id: int = 100,
    existing: Sequence[q.NewItem] = (),
    route: Route = to_all,
    backfill: int = 0,
    next_due_at: datetime | None = None,
    newly_seen: list[q.NewItem] | None = None,
) -> q.Subscription:
    """A channel following ``url`` as ``/feeds add`` leaves it: the feed's current items count as seen."""
    sub = await q.subscribe(
        database,
        url=url,
        title="Feed",
        guild_id=guild_id,
        channel_id=channel_id,
        include_words="",
        exclude_words="",
        created_by=9,
        now=now,
        next_due_at=now if next_due_at is None else next_due_at,
        existing_items=list(existing),
        route=route,
        backfill=backfill,
        newly_seen=newly_seen,
    )
    assert sub is not None
    return sub
