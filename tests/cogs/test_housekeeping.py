"""Servers that remove Marquee and channels that are deleted, end to end: nothing sent there, forgotten after the
grace period, nothing lost for a server that invites Marquee back, and an outage changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.housekeeping.service import HousekeepingService
from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel
from tests.helpers.feeds import rss
from tests.helpers.listeners import handled, hearing
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import FEEDS_ONLY, NewsDesk, feeds_bot, feeds_cog

POST_WAIT = 10.0
FIRST = ("Season 2 wraps filming", "https://dispatch.example/1")
SECOND = ("Season 2 gets a date", "https://dispatch.example/2")


WITH_HOUSEKEEPING = (*FEEDS_ONLY, "cogs.housekeeping")


@pytest.fixture
def desk_extensions() -> tuple[str, ...]:
    return WITH_HOUSEKEEPING


def housekeeping(desk: NewsDesk) -> HousekeepingService:
    return desk.bot.services.housekeeping


def days_later(days: int) -> datetime:
    return datetime.now(UTC) + timedelta(days=days, minutes=1)


def sends_to(desk: NewsDesk, channel: Channel) -> int:
    """How many times Marquee tried to post in the channel (Discord's side of it)."""
    return len(desk.fd.requests("POST", f"/channels/{channel.id}/messages"))


async def news_arrives(desk: NewsDesk, path: str) -> None:
    """The feed gains an article and Marquee polls it."""
    desk.fs.add(path, rss("Dispatch", [SECOND, FIRST]))
    await desk.cog.poll_once(everything=True)
    await desk.settle()


async def test_a_removed_server_gets_nothing_and_is_forgotten_after_the_grace_period(desk: NewsDesk) -> None:
    """Once kicked, Marquee sends nothing more there; a week later the server's feeds are gone and not fetched."""
    desk.fs.add("/dispatch", rss("Dispatch", [FIRST]))
    await desk.add("/dispatch")
    async with hearing(desk.bot, "guild_remove"):
        desk.fd.remove_bot(desk.guild)
    await news_arrives(desk, "/dispatch")
    assert sends_to(desk, desk.channel) == 0
    service = housekeeping(desk)
    service.clock = lambda: days_later(6)
    assert await service.run_once() == 0
    assert len(await desk.cog.service.subscriptions(desk.guild.id)) == 1
    service.clock = lambda: days_later(7)
    assert await service.run_once() == 1
    assert await desk.cog.service.subscriptions(desk.guild.id) == []
    fetched = desk.fs.hits("/dispatch")
    await desk.cog.poll_once(everything=True)
    assert desk.fs.hits("/dispatch") == fetched
    assert sends_to(desk, desk.channel) == 0


async def missed_news_arrives_and_nothing_is_forgotten(desk: NewsDesk) -> None:
    """The news published meanwhile is posted, and a pass past the grace period forgets nothing."""
    [post] = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    assert post.embeds[0]["title"] == SECOND[0]
    service = housekeeping(desk)
    service.clock = lambda: days_later(8)
    assert await service.run_once() == 0
    assert len(await desk.cog.service.subscriptions(desk.guild.id)) == 1


async def test_a_server_that_invites_marquee_back_within_the_grace_period_loses_nothing(desk: NewsDesk) -> None:
    """Re-invited after a mistaken kick, the server gets the news it missed and keeps its feeds for good."""
    desk.fs.add("/dispatch", rss("Dispatch", [FIRST]))
    await desk.add("/dispatch")
    async with hearing(desk.bot, "guild_remove"):
        desk.fd.remove_bot(desk.guild)
    await news_arrives(desk, "/dispatch")
    async with hearing(desk.bot, "guild_join"):
        desk.fd.invite_bot(desk.guild)
    await missed_news_arrives_and_nothing_is_forgotten(desk)


async def test_an_outage_is_not_a_departure(desk: NewsDesk) -> None:
    """A server that is briefly unavailable (a Discord outage) keeps everything and gets its news."""
    desk.fs.add("/dispatch", rss("Dispatch", [FIRST]))
    await desk.add("/dispatch")
    async with hearing(desk.bot, "guild_unavailable"):
        desk.fd.outage(desk.guild)
    assert await housekeeping(desk).departures() == []
    async with hearing(desk.bot, "guild_available"):
        desk.fd.outage_over(desk.guild)
    await news_arrives(desk, "/dispatch")
    await missed_news_arrives_and_nothing_is_forgotten(desk)


async def test_a_deleted_channel_loses_its_feeds_and_the_others_keep_theirs(desk: NewsDesk) -> None:
    """Deleting a news channel stops its posts at once and drops its feeds after the grace period; #general's stay."""
    news = desk.fd.add_channel(desk.guild, "news")
    desk.fs.add("/dispatch", rss("Dispatch", [FIRST]))
    await desk.add("/dispatch", channel=news)
    await desk.add("/dispatch")
    async with hearing(desk.bot, "guild_channel_delete"):
        desk.fd.delete_channel(news)
    await news_arrives(desk, "/dispatch")
    [post] = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    assert post.embeds[0]["title"] == SECOND[0]
    assert sends_to(desk, news) == 0
    service = housekeeping(desk)
    service.clock = lambda: days_later(7)
    assert await service.run_once() == 1
    assert [s.channel_id for s in await desk.cog.service.subscriptions(desk.guild.id)] == [desk.channel.id]


async def test_deleting_a_channel_marquee_never_used_changes_nothing(desk: NewsDesk) -> None:
    """A moderator tidying up channels Marquee has nothing in starts no countdown to deletion."""
    offtopic = desk.fd.add_channel(desk.guild, "off-topic")
    async with hearing(desk.bot, "guild_channel_delete"):
        desk.fd.delete_channel(offtopic)
    assert await housekeeping(desk).departures() == []


async def test_a_feed_nobody_follows_any_more_is_not_fetched(desk: NewsDesk) -> None:
    """After /feeds remove of its only subscription, Marquee stops fetching the feed."""
    desk.fs.add("/dispatch", rss("Dispatch", [FIRST]))
    await desk.add("/dispatch")
    [subscription] = await desk.cog.service.subscriptions(desk.guild.id)
    await desk.run("feeds remove", subscription=subscription.id)
    fetched = desk.fs.hits("/dispatch")
    await desk.cog.poll_once(everything=True)
    assert desk.fs.hits("/dispatch") == fetched


async def test_a_server_that_removed_marquee_while_it_was_offline_is_noticed_at_start(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """Kicked while Marquee was down, the server is missing from READY: nothing is sent there, and it is forgotten."""
    fd = fake_discord
    guild, _, mod = fan_server(fd)
    settings = marquee_settings(fd, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")
    feed_server.add("/dispatch", rss("Dispatch", [FIRST]))
    async with feeds_bot(settings, WITH_HOUSEKEEPING) as bot:
        feeds_cog(bot)
        handle = await fd.invoke("feeds add", user=mod, in_channel=fd.general(guild), url=feed_server.url("/dispatch"))
        assert "now follows" in (await handle.response()).content
    fd.remove_bot(guild)
    async with feeds_bot(settings, WITH_HOUSEKEEPING) as bot:
        cog = feeds_cog(bot)
        await bot.wait_until_ready()
        await handled("ready")
        feed_server.add("/dispatch", rss("Dispatch", [SECOND, FIRST]))
        await cog.poll_once(everything=True)
        await cog.send_due()
        assert len(fd.requests("POST", f"/channels/{fd.general(guild).id}/messages")) == 0
        service = bot.services.housekeeping
        service.clock = lambda: days_later(7)
        assert await service.run_once() == 1
        assert await cog.service.subscriptions(guild.id) == []
