"""Several Marquee processes sending from one outbox: each post exactly once, each channel's posts in order, a dead
process's channels taken over after its lease, and the token's global limit shared.

Each test opens the store twice (two processes) on SQLite and on PostgreSQL, with a ``Ledger`` standing for the one
Discord both post to; the senders' clocks are set by hand, so a lease running out is a later clock, not a sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import bot.feeds.sender
import db.feeds as store
from bot.feeds.sender import OutboxSender
from bot.node import Node
from db import Database
from tests.helpers.cluster import LEASE, Ledger, RecordingChannels, node, two_processes
from tests.helpers.outbox import news_item, subscribe_channel, to_all

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)
CHANNELS = [1000 + n for n in range(30)]
ITEMS = 10


def article(n: int) -> store.NewItem:
    published = NOW - timedelta(hours=1, minutes=-n)
    return news_item(f"i{n}", published=published, title=f"Article {n}", link=f"https://news.example/{n}")


async def fill_outbox(database: Database, channels: list[int] = CHANNELS) -> None:
    """Ten articles queued to each of the channels (30: in three servers, 300 posts)."""
    subs = [
        await subscribe_channel(database, now=NOW, guild_id=1 + channel % 3, channel_id=channel)
        for channel in channels
    ]
    await store.store_items(database, subs[0].feed_id, [article(n) for n in range(ITEMS)], now=NOW, route=to_all)


def in_queue_order(channel: int) -> list[str]:
    return [f"i{n}:{channel}" for n in range(ITEMS)]


def sender(database: Database, holder: Node, clock: list[datetime], members: int = 2) -> OutboxSender:
    """A process's sender, fast (pacing is not what these tests are about) and on the test's clock."""
    made = OutboxSender(database, clock=lambda: clock[0], node=holder, members=lambda: members)
    made.channel_gap, made.global_gap = 0, 0.0005
    return made


async def test_two_senders_post_every_queued_article_once_in_order(shared_store: Path | str) -> None:
    """Two processes draining one outbox of 300 posts in 30 channels post each exactly once, each channel's in the
    order they were queued, and no channel hears from both."""
    ledger, clock = Ledger(), [NOW]
    async with two_processes(shared_store) as (one, two):
        await fill_outbox(one)
        first = sender(one, node("first"), clock)
        second = sender(two, node("second"), clock)
        counts = await asyncio.gather(
            first.drain(RecordingChannels(ledger, "first")), second.drain(RecordingChannels(ledger, "second"))
        )
        assert await store.due_deliveries(one, NOW, per_channel=1000) == []
    assert sum(counts) == 300 and all(counts)
    assert sorted(ledger.every_nonce()) == sorted(n for channel in CHANNELS for n in in_queue_order(channel))
    for channel in CHANNELS:
        assert ledger.nonces(channel) == in_queue_order(channel)
        assert len({poster for _, poster in ledger.posts[channel]}) == 1


async def test_a_sender_killed_mid_channel_is_taken_over_after_its_lease_without_a_second_post(
    shared_store: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed while posting (Discord got the post, the process never heard back) keeps its channels for one
    lease; then the other finishes them, finding the post by its nonce: every article once, in order."""
    ledger, clock = Ledger(), [NOW]
    async with two_processes(shared_store) as (one, two):
        await fill_outbox(one)
        doomed = sender(one, node("doomed"), clock, members=1)
        killed = asyncio.create_task(doomed.drain(RecordingChannels(ledger, "doomed", freeze_after=7)))
        await ledger.frozen.wait()

        async def no_cleanup(*_: object) -> None:  # SIGKILL: the process gives nothing back
            return None

        monkeypatch.setattr(bot.feeds.sender, "give_back_channels", no_cleanup)
        killed.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await killed
        await one.close()  # and its connections are gone, with any transaction they had open
        held = set(await store.held_channels(two, doomed.node))
        assert held  # its leases are left behind

        survivor_clock = [NOW + timedelta(seconds=1)]
        survivor = sender(two, node("survivor"), survivor_clock, members=1)
        channels = RecordingChannels(ledger, "survivor")
        await survivor.drain(channels)
        assert all(ledger.nonces(channel) == in_queue_order(channel)[: len(ledger.nonces(channel))] for channel in held)
        assert any(len(ledger.nonces(channel)) < ITEMS for channel in held)  # still the dead process's

        survivor_clock[0] = NOW + LEASE + timedelta(seconds=1)
        await survivor.drain(channels)
        assert await store.due_deliveries(two, survivor_clock[0], per_channel=1000) == []
    for channel in CHANNELS:
        assert ledger.nonces(channel) == in_queue_order(channel)  # nothing twice, nothing lost, in order


async def test_each_process_paces_its_posts_at_its_share_of_the_global_limit(tmp_path: Path) -> None:
    """With three processes sharing the bot's token, each spaces its posts three global gaps apart, so together they
    stay under Discord's 50 requests a second."""
    ledger, clock, gap = Ledger(), [NOW], 0.01
    async with await Database.open(tmp_path / "one.db") as database:
        await fill_outbox(database, CHANNELS[:5])
        paced = sender(database, node("one of three"), clock, members=3)
        paced.global_gap = gap
        await paced.drain(RecordingChannels(ledger, "one of three"))
    # Each post goes out in its slot, a little after it (the database work before a send): any ten posts span at
    # least nine of this process's gaps.
    spans = [later - earlier for earlier, later in zip(ledger.times, ledger.times[10:], strict=False)]
    assert len(ledger.times) == 50 and min(spans) >= 9 * 3 * gap
