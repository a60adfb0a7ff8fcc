"""The countdown following a real feed: a poll finds a confirmed date and the pinned message follows."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from bot.bot import Marquee
from bot.feeds.fetch import Fetcher
from bot.runner import running_bot
from cogs.countdown._cog import CountdownCommands
from cogs.feeds._cog import FeedCommands
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, FeedServer
from fakediscord.server import FakeDiscord
from fakediscord.world import Message
from tests.conftest import fan_server, marquee_settings

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def feeds_and_countdown(fd: FakeDiscord, tmp_path: Path) -> AbstractAsyncContextManager[Marquee]:
    """Marquee with only the feeds and countdown extensions, allowed to fetch the loopback feed server."""
    settings = marquee_settings(fd, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")
    return running_bot(settings, extensions=["cogs.feeds", "cogs.countdown"], guild_ready_timeout=0.05)


def embed_text(message: Message) -> str:
    embed: dict[str, Any] = message.embeds[0]
    return "\n".join([str(embed.get("description", "")), *(str(f["value"]) for f in embed.get("fields", []))])


async def test_confirmed_date_in_a_polled_feed_moves_the_pin(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """A 'Netflix confirms … premiere date' article in a followed feed edits the pin and is announced once."""
    fd = fake_discord
    guild, _fan, mod = fan_server(fd)
    general = fd.general(guild)
    news = fd.add_channel(guild, "news")
    async with FeedServer() as fs, feeds_and_countdown(fd, tmp_path) as bot:
        feeds = cast(FeedCommands, bot.get_cog("FeedCommands"))
        feeds.service.watcher.fetcher = Fetcher(
            bot.http_session, allow_private=True, user_agent="MarqueeTest", timeout=2.0
        )
        countdown = cast(CountdownCommands, bot.get_cog("CountdownCommands"))
        countdown.service.clock = lambda: NOW
        await (await fd.invoke("countdown setup", user=mod, in_channel=general)).response()
        [pin] = fd.pins(general)
        fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
        added = await fd.invoke("feeds add", user=mod, in_channel=general, url=fs.url("/dispatch"), channel=news)
        await added.response()
        fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
        await feeds.poll_once(everything=True)
        release = int(datetime(2027, 1, 29, 8, tzinfo=UTC).timestamp())
        await fd.wait_until(lambda: pin if f"<t:{release}:D>" in embed_text(pin) else None, 5, "the pin to move")
        assert "**Confirmed:" in embed_text(pin) and "2026-11-23" in embed_text(pin)
        [_, note] = await fd.wait_for_messages(general, 2)
        await countdown.run_due()
        assert len(fd.messages(general)) == 2
        assert "→ confirmed January 29, 2027" in note.content
        assert "kdramadispatch.example/2026/11/aouad-season-2-premiere-date" in note.content
