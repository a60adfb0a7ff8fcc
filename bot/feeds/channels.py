"""What the feed watcher needs from Discord, and how Discord's answers reach it.

The sender's rules (pace, retry, pause a channel, never post twice) decide by the *kind* of answer, not by
discord.py's exception classes, so they are stated here as a port: the cogs implement ``NewsChannels`` with
discord.py, and the rules stay testable without Discord.
"""

from __future__ import annotations

from typing import Protocol

from bot.cards import Card


class SendError(Exception):
    """Discord did not take a post; the subclass says what the outbox should do about it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChannelRefused(SendError):
    """The channel is gone or does not let Marquee post (403/404): a few of these pause the channel."""

    def __init__(self, reason: str, *, gone: bool) -> None:
        super().__init__(reason)
        self.gone = gone


class PostRejected(SendError):
    """Discord refused this post for good (another 4xx): sending it again would fail the same way."""


class SendFailed(SendError):
    """No usable answer (5xx, 429, timeout, connection lost): the post may or may not exist; retry later."""


class PostGone(SendError):
    """The message to edit no longer exists (someone deleted it): the edit is dropped, nothing is posted instead."""


class NewsChannels(Protocol):
    """Posting into channels by id; implemented over discord.py in ``cogs/feeds``."""

    async def send_card(
        self, channel_id: int, guild_id: int, card: Card, *, nonce: str, ping_role: int | None = None
    ) -> int:
        """Post ``card`` with ``nonce`` enforced; the new message's id, or a ``SendError``. With ``ping_role`` the
        message mentions that role and may ping it alone (never users, @everyone or @here); without, nobody."""
        ...

    async def find_posted(self, channel_id: int, guild_id: int, *, nonce: str, link: str | None) -> int | None:
        """A recent message of Marquee's in the channel with this nonce or linking ``link``; None if none seen."""
        ...

    async def say_paused(self, channel_id: int, guild_id: int, *, feed: str, reason: str) -> None:
        """Tell the channel, with no mentions, that ``feed`` stopped for ``reason``; ``SendError`` if refused."""
        ...

    async def edit_card(self, channel_id: int, guild_id: int, message_id: int, card: Card) -> None:
        """Replace a posted message's card with ``card``, allowing no mentions; ``PostGone`` when the message was
        deleted, another ``SendError`` otherwise. Never posts."""
        ...

    # A thread per story (forum posts, and a discussion thread on each post in a text channel).

    async def post_in_forum(self, channel_id: int, guild_id: int, card: Card, *, title: str, tag_id: int | None) -> int:
        """Open a forum post titled ``title`` with ``card`` as its first message and the tag when given; the
        post's id (its first message's too), or a ``SendError``. No nonce: Discord drops it on forum posts."""
        ...

    async def find_forum_post(self, channel_id: int, guild_id: int, *, title: str, link: str | None) -> int | None:
        """Marquee's open post in the forum titled ``title`` whose first message links ``link``; None if none seen."""
        ...

    async def start_thread(self, channel_id: int, guild_id: int, message_id: int, *, name: str) -> int:
        """Start a public thread named ``name`` on a posted message; its id. A thread already on the message
        (Discord's 160004: a message has one thread) counts as started. ``SendError`` otherwise."""
        ...

    async def say_no_thread(self, channel_id: int, guild_id: int, *, reason: str) -> None:
        """Tell the channel, with no mentions, that posts there go out without their thread, and why."""
        ...
