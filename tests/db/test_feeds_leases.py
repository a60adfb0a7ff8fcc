"""Feeds and channels shared by several Marquee processes on one database, claimed through leases.

Each test opens the store twice (two processes) on SQLite and on PostgreSQL; the clock is passed in, so a lease
running out is a later ``now``, not a sleep.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import db.feeds as q
from bot.settings import Shards
from db import Database
from db.leases import Holder
from tests.helpers.cluster import LEASE, node, two_processes
from tests.helpers.outbox import news_item, subscribe_channel, to_all

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)
FIRST, SECOND = node("first"), node("second")


def item(key: str, minutes: int = 0) -> q.NewItem:
    return news_item(key, published=NOW - timedelta(hours=1, minutes=-minutes), text_key=f"text:{key}")


async def follow(database: Database, feeds: int) -> None:
    """``feeds`` feeds, each followed by one channel, all due at NOW."""
    for n in range(feeds):
        await subscribe_channel(database, now=NOW, url=f"https://f{n}.example/feed", guild_id=1, channel_id=100 + n)


async def claim_all(database: Database, holder: Holder, now: datetime, batch: int) -> list[int]:
    """Claim due feeds ``batch`` at a time until none is left for ``holder``."""
    claimed: list[int] = []
    while feeds := await q.due_feeds(database, now, batch, holder=holder):
        claimed += [feed.id for feed in feeds]
        await asyncio.sleep(0)
    return claimed


async def test_two_processes_fetch_a_disjoint_share_of_the_due_feeds(shared_store: Path | str) -> None:
    """Two processes claiming 200 due feeds at once each get their own, and between them every feed exactly once."""
    async with two_processes(shared_store) as (one, two):
        await follow(one, 200)
        first, second = await asyncio.gather(claim_all(one, FIRST, NOW, 7), claim_all(two, SECOND, NOW, 7))
    assert not set(first) & set(second)
    assert len(first) + len(second) == 200 and len(set(first) | set(second)) == 200
    if isinstance(shared_store, str):  # PostgreSQL: both claim at once (SQLite lets one writer go at a time)
        assert first and second


async def test_a_feed_claimed_by_a_process_that_stopped_is_fetched_by_another_after_its_lease(
    shared_store: Path | str,
) -> None:
    """A process that died mid-fetch holds its feeds until the lease runs out; then another process fetches them."""
    async with two_processes(shared_store) as (one, two):
        await follow(one, 3)
        taken = await q.due_feeds(one, NOW, holder=FIRST)
        assert len(taken) == 3
        assert await q.due_feeds(two, NOW + LEASE - timedelta(seconds=1), holder=SECOND) == []
        later = NOW + LEASE + timedelta(seconds=1)
        assert sorted(f.id for f in await q.due_feeds(two, later, holder=SECOND)) == sorted(f.id for f in taken)


async def test_a_recorded_fetch_ends_its_lease(shared_store: Path | str) -> None:
    """Once a fetch is recorded (here a failure due again at once), any process may fetch the feed again."""
    async with two_processes(shared_store) as (one, two):
        await follow(one, 1)
        (feed,) = await q.due_feeds(one, NOW, holder=FIRST)
        await q.record_fetch(one, feed.id, now=NOW, status=500, error="server error", next_due_at=NOW)
        assert [f.id for f in await q.due_feeds(two, NOW, holder=SECOND)] == [feed.id]


async def test_a_renewed_feed_lease_keeps_a_slow_fetch_its_own(shared_store: Path | str) -> None:
    """A fetch that outlasts one lease (a slow site) keeps its feed as long as its process renews the lease."""
    async with two_processes(shared_store) as (one, two):
        await follow(one, 1)
        (feed,) = await q.due_feeds(one, NOW, holder=FIRST)
        assert await q.renew_feeds(one, {feed.id}, FIRST, NOW + LEASE / 2) == 1
        assert await q.due_feeds(two, NOW + LEASE + timedelta(seconds=1), holder=SECOND) == []
        await q.release_feeds(one, {feed.id}, FIRST)  # stopped before fetching: free at once
        assert [f.id for f in await q.due_feeds(two, NOW, holder=SECOND)] == [feed.id]


# -- channels ------------------------------------------------------------------------------------------------------


def guild_on(shard: int, n: int = 0, count: int = 2) -> int:
    """A server id Discord puts on ``shard`` of ``count``."""
    return ((n * count + shard) << 22) + 1


async def queue(database: Database, channels: dict[int, int], items: int) -> None:
    """``items`` new items of one feed queued to each channel (channel id → its server)."""
    subs = [
        await subscribe_channel(database, now=NOW, guild_id=guild, channel_id=channel)
        for channel, guild in channels.items()
    ]
    await q.store_items(database, subs[0].feed_id, [item(f"i{n}", n) for n in range(items)], now=NOW, route=to_all)


async def test_two_senders_hold_disjoint_channels_and_see_only_their_posts(shared_store: Path | str) -> None:
    """Two processes sending from one outbox each work their own channels: no channel's posts come from both."""
    channels = {1000 + n: 1 for n in range(30)}
    async with two_processes(shared_store) as (one, two):
        await queue(one, channels, 2)
        first, second = await asyncio.gather(
            q.due_deliveries(one, NOW, 100, holder=FIRST, members=2),
            q.due_deliveries(two, NOW, 100, holder=SECOND, members=2),
        )
        mine, theirs = {d.channel_id for d in first}, {d.channel_id for d in second}
        assert mine and theirs and not mine & theirs and mine | theirs == set(channels)
        assert set(await q.held_channels(one, FIRST)) == mine


async def test_a_channel_of_a_dead_sender_is_taken_over_after_its_lease(shared_store: Path | str) -> None:
    """A process that died mid-channel keeps it for one lease; then another takes over, from its oldest post."""
    async with two_processes(shared_store) as (one, two):
        await queue(one, {1000: 1}, 3)
        (held,) = await q.due_deliveries(one, NOW, holder=FIRST)
        assert await q.due_deliveries(two, NOW + LEASE - timedelta(seconds=1), holder=SECOND) == []
        (taken,) = await q.due_deliveries(two, NOW + LEASE + timedelta(seconds=1), holder=SECOND)
        assert taken.id == held.id and await q.held_channels(two, SECOND) == [1000]
        assert await q.held_channels(one, FIRST) == []


async def test_a_channel_with_nothing_left_is_given_back(shared_store: Path | str) -> None:
    """Once its last post is sent, a channel is free for whichever process has news for it next."""
    async with two_processes(shared_store) as (one, two):
        await queue(one, {1000: 1}, 1)
        (delivery,) = await q.due_deliveries(one, NOW, holder=FIRST)
        await q.mark_sent(one, delivery, 555, NOW)
        assert await q.due_deliveries(one, NOW, holder=FIRST) == []
        assert await q.held_channels(one, FIRST) == []
        assert await q.held_channels(two, SECOND) == []


async def test_a_process_prefers_its_own_servers_and_takes_others_when_their_host_is_gone(
    shared_store: Path | str,
) -> None:
    """A process posts first in the servers on its own shards; another shard's waiting news it takes only once it has
    waited a whole lease (its host is gone), so no channel is left unserved."""
    ours, theirs = {1000: guild_on(0)}, {2000: guild_on(1)}
    async with two_processes(shared_store) as (one, _):
        await queue(one, ours | theirs, 1)
        shard_0 = Shards(2, (0,))
        now = [d.channel_id for d in await q.due_deliveries(one, NOW, holder=FIRST, hosted=shard_0)]
        assert now == [1000]
        later = NOW + LEASE + timedelta(seconds=1)
        assert {d.channel_id for d in await q.due_deliveries(one, later, holder=FIRST, hosted=shard_0)} == {1000, 2000}


async def test_an_edit_waits_while_another_process_posts_in_its_channel(shared_store: Path | str) -> None:
    """An edit of a post in a channel another process is posting in waits for that process to finish there."""
    async with two_processes(shared_store) as (one, two):
        await queue(one, {1000: 1}, 2)
        sub = (await q.guild_subscriptions(one, 1))[0]
        first = (await q.due_deliveries(one, NOW, holder=FIRST))[0]
        await q.mark_sent(one, first, 555, NOW)
        changed = replace(item("i0"), title="Title i0, corrected", text_key="corrected")
        await q.store_items(one, sub.feed_id, [changed], now=NOW, route=to_all, edits_since=NOW - timedelta(hours=1))
        assert await q.due_edits(one, NOW) != []  # an edit is waiting
        assert await q.due_edits(two, NOW, holder=SECOND) == []  # but its channel is the first process's
        (second,) = await q.due_deliveries(one, NOW, holder=FIRST)
        await q.mark_sent(one, second, 556, NOW)
        assert await q.due_deliveries(one, NOW, holder=FIRST) == []  # posts done; the channel stays for its edit
        assert [e.message_id for e in await q.due_edits(one, NOW, holder=FIRST)] == [555]
        assert await q.due_edits(two, NOW, holder=SECOND) == []
        later = NOW + LEASE + timedelta(seconds=1)  # the first process died before editing
        assert [e.message_id for e in await q.due_edits(two, later, holder=SECOND)] == [555]


async def test_a_channel_is_given_back_after_its_last_edit(shared_store: Path | str) -> None:
    """With its posts sent and its edits made, a channel is free for any process again."""
    async with two_processes(shared_store) as (one, two):
        await queue(one, {1000: 1}, 1)
        (delivery,) = await q.due_deliveries(one, NOW, holder=FIRST)
        await q.mark_sent(one, delivery, 555, NOW)
        assert await q.held_channels(one, FIRST) == [1000]  # not released until its next round
        assert await q.release_idle_channels(one, FIRST, NOW) == 1
        assert await q.held_channels(two, FIRST) == []
