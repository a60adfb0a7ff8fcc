"""The outbox shared fairly: one server's backlog never holds up another's news, sends overlap but never in one
channel, and a flooded channel keeps its newest posts and says what it dropped."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import db.feeds as store
from bot.cards import Card
from bot.feeds.channels import NewsChannels
from fakediscord.world import Channel
from tests.helpers.feeds import rss
from tests.helpers.marquee import fan_server
from tests.helpers.newsdesk import NewsDesk

MESSAGES = "/channels/*/messages"


def held_back(desk: NewsDesk) -> None:
    """Stop the background sender and make nothing due, so the test decides when the outbox is drained."""
    desk.cog.service.sender.clock = lambda: datetime.now(UTC) - timedelta(hours=1)


async def stop_background_sender(desk: NewsDesk) -> None:
    for loop in desk.cog.loops:
        if loop.name == "news sender":
            await loop.stop()


def headlines(name: str, count: int) -> str:
    """A feed of ``count`` articles of its own (newest first), so no story repeats another feed's."""
    slug = name.lower().replace(" ", "-")
    return rss(name, [(f"{name} story {n}", f"https://{slug}.example/{n}") for n in range(count)])


def channel_of(path: str) -> int:
    return int(path.split("/")[2])


class Watched:
    """The bot's own ``NewsChannels``, counting the sends in flight overall and per channel."""

    def __init__(self, inner: NewsChannels) -> None:
        self.inner = inner
        self.flying: Counter[int] = Counter()
        self.most_in_one_channel = 0
        self.most_at_once = 0

    async def send_card(self, channel_id: int, guild_id: int, card: Card, *, nonce: str) -> int:
        self.flying[channel_id] += 1
        self.most_in_one_channel = max(self.most_in_one_channel, self.flying[channel_id])
        self.most_at_once = max(self.most_at_once, sum(self.flying.values()))
        try:
            return await self.inner.send_card(channel_id, guild_id, card, nonce=nonce)
        finally:
            self.flying[channel_id] -= 1

    async def find_posted(self, channel_id: int, guild_id: int, *, nonce: str, link: str | None) -> int | None:
        return await self.inner.find_posted(channel_id, guild_id, nonce=nonce, link=link)

    async def say_paused(self, channel_id: int, guild_id: int, *, feed: str, reason: str) -> None:
        await self.inner.say_paused(channel_id, guild_id, feed=feed, reason=reason)


class Gated(Watched):
    """The bot's own ``NewsChannels``, holding the first send until the test opens the gate."""

    def __init__(self, inner: NewsChannels) -> None:
        super().__init__(inner)
        self.held = asyncio.Event()
        self.gate = asyncio.Event()

    async def send_card(self, channel_id: int, guild_id: int, card: Card, *, nonce: str) -> int:
        if not self.held.is_set():
            self.held.set()
            await self.gate.wait()
        return await super().send_card(channel_id, guild_id, card, nonce=nonce)


async def test_a_backlog_in_one_server_does_not_hold_up_another_servers_news(desk: NewsDesk) -> None:
    """Six feeds with backfill:10 flood one channel; another server's single new post still goes out next."""
    await stop_background_sender(desk)
    held_back(desk)
    for n in range(6):
        desk.fs.add(f"/flood-{n}", headlines(f"Flood {n}", 12))
        assert "now follows" in (await desk.add(f"/flood-{n}", backfill=10)).content
    victim_guild, _, victim_mod = fan_server(desk.fd, "Another Fan Server")
    victim = desk.fd.general(victim_guild)
    desk.fs.add("/victim", headlines("Victim", 3))
    handle = await desk.fd.invoke(
        "feeds add", user=victim_mod, in_channel=victim, options={"url": desk.url("/victim"), "backfill": 1}
    )
    assert "now follows" in (await handle.response()).content
    assert (await store.delivery_counts(desk.bot.db)) == {"pending": 61}

    desk.cog.service.sender.clock = lambda: datetime.now(UTC)
    draining = asyncio.create_task(desk.cog.send_due())
    try:
        await desk.fd.wait_until(lambda: desk.posts(victim) or None, 10, "the other server's post")
    finally:
        draining.cancel()
    sends = [channel_of(e.path) for e in desk.fd.requests("POST", MESSAGES) if e.status == 200]
    assert sends.index(victim.id) <= 1  # at most the flooded channel's first post went before it
    (post,) = desk.posts(victim)
    assert post.embeds[0]["title"] == "Victim story 0"


async def test_sends_overlap_across_channels_but_never_within_one(desk: NewsDesk) -> None:
    """Four channels' news is sent a few at a time, each channel's posts one by one and in order, with no 429."""
    await stop_background_sender(desk)
    held_back(desk)
    channels: list[Channel] = [desk.fd.add_channel(desk.guild, f"news-{n}") for n in range(4)]
    for n, channel in enumerate(channels):
        desk.fs.add(f"/feed-{n}", headlines(f"Desk {n}", 3))
        assert "now follows" in (await desk.add(f"/feed-{n}", channel=channel, backfill=3)).content
    desk.cog.service.sender.clock = lambda: datetime.now(UTC)
    desk.cog.service.sender.channel_gap = 0  # nothing but the one-send-per-channel rule keeps a channel's sends apart
    desk.fd.faults.latency(0.2, "POST", MESSAGES)
    watched = Watched(desk.cog.channels)
    assert await desk.cog.service.send_due(watched) == 12
    assert watched.most_in_one_channel == 1
    assert watched.most_at_once > 1
    for n, channel in enumerate(channels):
        titles = [m.embeds[0]["title"] for m in desk.posts(channel)]
        assert titles == [f"Desk {n} story {k}" for k in (2, 1, 0)]  # oldest first
    assert [e for e in desk.fd.ledger if e.status == 429] == []


async def test_a_flooded_channel_keeps_its_newest_posts_and_status_says_what_was_dropped(desk: NewsDesk) -> None:
    """Beyond the queue cap the oldest waiting posts are dropped, the newest still go out, and /feeds status says so."""
    await stop_background_sender(desk)
    held_back(desk)
    desk.cog.service.sender.queue_cap = 10
    for n in range(2):
        desk.fs.add(f"/flood-{n}", headlines(f"Flood {n}", 10))
        assert "now follows" in (await desk.add(f"/flood-{n}", backfill=10)).content
    assert (await store.delivery_counts(desk.bot.db)) == {"pending": 20}
    desk.cog.service.sender.clock = lambda: datetime.now(UTC)
    draining = asyncio.create_task(desk.cog.send_due())
    try:
        await desk.fd.wait_until(lambda: desk.posts(desk.channel) or None, 10, "the first post")
    finally:
        draining.cancel()
    assert desk.posts(desk.channel)[0].embeds[0]["title"] == "Flood 1 story 9"  # the first feed's ten went
    reply = await desk.run("feeds status")
    fields = reply.embeds[0]["fields"]
    assert "**Dropped:**" not in fields[1]["value"]
    assert (
        "**Dropped:** 10 post(s) · more than 10 posts were waiting for this channel; the oldest were dropped"
        in fields[0]["value"]
    )


async def test_news_queued_while_the_outbox_drains_still_keeps_the_channel_within_its_cap(desk: NewsDesk) -> None:
    """A flood that arrives while the channel's backlog is being sent still drops the oldest beyond the cap."""
    await stop_background_sender(desk)
    held_back(desk)
    sender = desk.cog.service.sender
    sender.queue_cap, sender.cap_every, sender.channel_gap = 10, 0, 0
    desk.fs.add("/first", headlines("First", 10))
    assert "now follows" in (await desk.add("/first", backfill=10)).content
    sender.clock = lambda: datetime.now(UTC)
    gated = Gated(desk.cog.channels)
    draining = asyncio.create_task(desk.cog.service.send_due(gated))
    try:
        await asyncio.wait_for(gated.held.wait(), 10)  # the first post is on its way; nine more wait
        desk.fs.add("/second", headlines("Second", 10))
        assert "now follows" in (await desk.add("/second", backfill=10)).content
        gated.gate.set()
        await desk.fd.wait_until(lambda: len(desk.posts(desk.channel)) >= 2 or None, 10, "two posts")
    finally:
        draining.cancel()
    first, second = (m.embeds[0]["title"] for m in desk.posts(desk.channel)[:2])
    assert (first, second) == ("First story 9", "Second story 9")  # the first feed's other nine were dropped
    assert (await store.delivery_counts(desk.bot.db)).get("dropped") == 9
