"""The news desk: a fan server whose Marquee runs the feeds cog against a local feed server.

The ``desk`` fixture (``tests/cogs/conftest.py``) opens one; ``feeds_bot`` and ``feeds_cog`` are for tests that
start and stop Marquee themselves (a restart, a crash) around the same feeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, cast

from bot.bot import Marquee
from bot.feeds.fetch import Fetcher
from bot.runner import running_bot
from bot.settings import Settings
from cogs.feeds._cog import FeedCommands
from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord, Reply
from fakediscord.world import Channel, Guild, Message, User

FETCH_TIMEOUT = 2.0
FEEDS_ONLY = ("cogs.feeds",)


@dataclass
class NewsDesk:
    """A fan server with Marquee allowed to fetch loopback feeds, and the feed server those feeds live on."""

    fd: FakeDiscord
    bot: Marquee
    cog: FeedCommands
    fs: FeedServer
    guild: Guild
    channel: Channel
    fan: User
    mod: User

    def url(self, path: str) -> str:
        return self.fs.url(path)

    async def add(self, path: str, *, channel: Channel | None = None, **options: Any) -> Reply:
        values: dict[str, Any] = {"url": self.url(path), **options}
        if channel is not None:
            values["channel"] = channel
        handle = await self.fd.invoke("feeds add", user=self.mod, in_channel=self.channel, options=values)
        return await handle.response()

    async def run(self, command: str, **options: Any) -> Reply:
        handle = await self.fd.invoke(command, user=self.mod, in_channel=self.channel, options=options)
        return await handle.response()

    async def settle(self) -> None:
        """Send everything the outbox holds that is due (the sender loop does this too; this waits for it)."""
        await self.cog.send_due()

    def posts(self, channel: Channel) -> list[Message]:
        return [m for m in self.fd.messages(channel) if m.author is self.fd.bot_user and m.embeds]


def feeds_bot(settings: Settings, extensions: Sequence[str] = FEEDS_ONLY) -> AbstractAsyncContextManager[Marquee]:
    """Marquee started with only the feeds extension (or ``extensions``), so tests exercise the feed watcher alone."""
    return running_bot(settings, extensions=list(extensions), guild_ready_timeout=0.05)


def feeds_cog(bot: Marquee) -> FeedCommands:
    """The loaded feeds cog, with a fetch budget short enough for the trickling feed."""
    # Unloading an extension drops its modules, so each bot has its own FeedCommands class: compare by name.
    found = bot.get_cog("FeedCommands")
    assert type(found).__name__ == "FeedCommands"
    cog = cast(FeedCommands, found)
    cog.service.watcher.fetcher = Fetcher(
        bot.http_session, allow_private=True, user_agent="MarqueeTest", timeout=FETCH_TIMEOUT
    )
    return cog
