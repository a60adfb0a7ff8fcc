"""Marquee dies after Discord created a news post but before recording it: the restart must not post it again.

Real Discord does not return a message's nonce when history is read (fakediscord does the same), and it forgets an
enforced nonce after a few minutes, so after a long enough outage the article's link in Marquee's own embed is all
the restarted bot has to recognise its post by.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import db.feeds as store
from bot.cards import Card
from bot.feeds.channels import NewsChannels
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, FeedServer, sample_bytes
from fakediscord.routes.messages import NONCE_WINDOW
from fakediscord.server import FakeDiscord
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import feeds_bot, feeds_cog

MESSAGES = "/channels/*/messages"
PREMIERE = "Netflix confirms All of Us Are Dead season 2 premiere date"
PREMIERE_LINK = "https://kdramadispatch.example/2026/11/aouad-season-2-premiere-date/"


def newer_feed(link: str | None) -> bytes:
    """The dispatch feed with its one new article, that article at ``link`` when given."""
    data = sample_bytes(SAMPLE_WORDPRESS_NEWER)
    if link is None:
        return data
    assert PREMIERE_LINK.encode() in data
    return data.replace(PREMIERE_LINK.encode(), link.encode(), 1)


class DiesAfterDiscordAnswers:
    """Discord's side of the feeds cog, frozen for good the moment Discord has answered a post.

    The process is then torn down while the sender waits here, so the message exists in Discord and the
    database still only says a send was attempted: the state a power cut at that instant leaves behind.
    """

    def __init__(self, inner: NewsChannels) -> None:
        self.inner = inner
        self.created: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def send_card(self, channel_id: int, guild_id: int, card: Card, *, nonce: str) -> int:
        message_id = await self.inner.send_card(channel_id, guild_id, card, nonce=nonce)
        if not self.created.done():
            self.created.set_result(message_id)
        await asyncio.Event().wait()  # never recorded: the bot is killed while it waits here
        return message_id

    async def find_posted(self, channel_id: int, guild_id: int, *, nonce: str, link: str | None) -> int | None:
        return await self.inner.find_posted(channel_id, guild_id, nonce=nonce, link=link)

    async def say_paused(self, channel_id: int, guild_id: int, *, feed: str, reason: str) -> None:
        await self.inner.say_paused(channel_id, guild_id, feed=feed, reason=reason)


@pytest.mark.parametrize(
    "link",
    [
        None,
        "https://kdramadispatch.example/2026/11/aouad-(season-2)-premiere-date/",
    ],
    ids=["plain link", "link with parentheses"],
)
async def test_a_post_made_just_before_a_crash_is_found_by_its_link_not_posted_twice(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path, link: str | None
) -> None:
    """After a crash between Discord's answer and the database write, and a restart once Discord forgot the
    nonce, the channel still has the article once and /news points at that one post."""
    fd = fake_discord
    guild, _, mod = fan_server(fd)
    channel = fd.general(guild)
    settings = marquee_settings(fd, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")

    def posts() -> list[int]:
        return [m.id for m in fd.messages(channel) if m.author is fd.bot_user and m.embeds]

    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        handle = await fd.invoke(
            "feeds add", user=mod, in_channel=channel, options={"url": feed_server.url("/dispatch")}
        )
        assert "now follows" in (await handle.response()).content
        crashing = DiesAfterDiscordAnswers(cog.channels)
        cog.channels = crashing  # type: ignore[assignment]  # the same port, with the crash in it
        feed_server.add("/dispatch", newer_feed(link))
        await cog.poll_once(everything=True)
        created = await asyncio.wait_for(crashing.created, 15)
        assert posts() == [created]
        assert (await store.delivery_counts(bot.db)).get("sent", 0) == 0
    # The bot is gone; the post exists in Discord only. Long enough later, Discord no longer knows the nonce.
    fd.clock.advance(NONCE_WINDOW + 60)
    reads_before = len(fd.requests("GET", MESSAGES))

    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        cog.service.sender.clock = lambda: datetime.now(UTC) + timedelta(minutes=10)  # any backoff has passed
        while (await store.delivery_counts(bot.db)).get("pending"):
            await cog.send_due()
        assert await store.delivery_counts(bot.db) == {"sent": 1}
        (latest,) = await store.recent_posts(bot.db, guild.id, 1)
    assert posts() == [created]
    assert latest.title == PREMIERE and latest.message_id == created
    assert len(fd.requests("POST", f"/channels/{channel.id}/messages")) == 1  # recognised, not resent
    assert len(fd.requests("GET", MESSAGES)) > reads_before  # by reading the channel's history
