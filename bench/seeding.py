"""Subscriptions written into the bot's database before it starts, the rows ``/feeds add`` would write.

``seed_subscriptions``: many feeds, each followed by one channel (the polling benchmarks). ``subscribe_all``: one
feed followed by many channels, the first and last through the watcher's own subscribe (the fan-out benchmarks).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from internals import Router, to_new_item, watcher

import db.feeds as store
from bot.feeds.normalise import normalise_feed
from bot.feeds.parse import ParsedFeed, parse_document
from db import Database
from fakediscord.world import Channel

Route = Callable[[store.NewItem, store.Subscription], store.Target | None]


async def _subscribe(
    database: Database,
    url: str,
    title: str,
    channel: tuple[int, int],
    created_by: int,
    *,
    now: datetime,
    next_due_at: datetime,
    items: list[store.NewItem],
    route: Route,
) -> None:
    """One channel (guild id, channel id) following ``url``, its current ``items`` stored as already seen."""
    guild_id, channel_id = channel
    await store.subscribe(
        database,
        url=url,
        title=title,
        guild_id=guild_id,
        channel_id=channel_id,
        include_words="",
        exclude_words="",
        created_by=created_by,
        now=now,
        next_due_at=next_due_at,
        existing_items=items,
        route=route,
        backfill=0,
    )


async def seed_subscriptions(
    database: Path,
    feeds: Sequence[tuple[str, bytes | None]],
    channels: Sequence[tuple[int, int]],
    created_by: int,
    *,
    first_due: timedelta = timedelta(days=1),
) -> None:
    """Subscribe channels to ``feeds`` as ``/feeds add`` would (their current items stored as seen).

    The feeds are first due after ``first_due`` (a day: the benchmark decides when to poll).

    ``feeds`` pairs each URL with the document it serves now (``None`` for feeds that give no document);
    ``channels`` holds (guild id, channel id) pairs, used in turn.
    """
    now = datetime.now(UTC)
    async with await Database.open(database) as db:
        for i, (url, body) in enumerate(feeds):
            items: list[store.NewItem] = []
            title = f"Feed {i}"
            if body is not None:
                parsed = parse_document(body, "application/rss+xml")
                if isinstance(parsed, ParsedFeed):
                    news = normalise_feed(parsed, fetched_at=now)
                    items = [to_new_item(item) for item in news.items]
                    title = news.title
            await _subscribe(
                db,
                url,
                title,
                channels[i % len(channels)],
                created_by,
                now=now,
                next_due_at=now + first_due,
                items=items,
                route=lambda item, sub: None,
            )


async def subscribe_all(database_path: Path, feed_url: str, channels: Sequence[Channel]) -> tuple[float, float]:
    """Follow ``feed_url`` in every channel; return how long ``/feeds add``'s subscribe took for the first
    channel and for the last one (seconds).

    The first and the last channel go through the watcher's own preview and subscribe (what /feeds add does);
    the ones in between are written with the same ``db.feeds.subscribe`` call but a router built once, because
    the watcher's subscribe reads every other subscriber's server blocklist and so grows with the number of
    followers (seeding 1,000 channels through it takes minutes). The feed is then made due at once, so the bot
    polls it as soon as it is ready.
    """
    async with await Database.open(database_path) as database, watcher(database) as feeds:
        preview = await feeds.preview(feed_url)

        async def through_watcher(channel: Channel) -> float:
            started = time.perf_counter()
            subscribed = await feeds.subscribe(
                preview,
                guild_id=channel.guild.id,
                channel_id=channel.id,
                include="",
                exclude="",
                created_by=channel.guild.owner_id,
                backfill=0,
            )
            assert subscribed is not None
            return time.perf_counter() - started

        first = await through_watcher(channels[0])
        router = Router(preview.feed.items, {})
        items = [to_new_item(i) for i in preview.feed.items]
        now = datetime.now(UTC)
        for channel in channels[1:-1]:
            await _subscribe(
                database,
                feed_url,
                preview.feed.title,
                (channel.guild.id, channel.id),
                channel.guild.owner_id,
                now=now,
                next_due_at=now,
                items=items,
                route=router.route,
            )
        last = await through_watcher(channels[-1]) if len(channels) > 1 else first
        async with database.transaction() as tx:
            await tx.execute("UPDATE feeds SET next_due_at = ?", (datetime.now(UTC).isoformat(),))
    return first, last
