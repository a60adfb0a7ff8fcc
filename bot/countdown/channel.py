"""What the countdown needs from Discord: one channel's message, pin and announcements.

The keeper's rules (edit at most once a minute, re-post a deleted pin, retry or record a problem) decide
by the kind of answer Discord gave, so the answers are named here; ``cogs/countdown`` implements the port
over discord.py.
"""

from __future__ import annotations

from typing import Protocol

from bot.cards import Card
from bot.countdown.premiere import Premiere


class ChannelError(Exception):
    """Discord did not do what was asked; ``text`` is Discord's own explanation, for the moderator."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class MessageGone(ChannelError):
    """The message (or channel) no longer exists (404)."""


class Refused(ChannelError):
    """Marquee is not allowed to do this here (403): a problem for a moderator, not worth retrying."""


class Failed(ChannelError):
    """Any other failure (5xx, rate limit, network): try again later."""


class EventGone(ChannelError):
    """The scheduled event was deleted, or has finished or been cancelled by someone: it takes no more changes."""


class CountdownChannel(Protocol):
    """One text channel in one server, as the countdown uses it."""

    @property
    def mention(self) -> str: ...

    @property
    def name(self) -> str: ...

    def missing_permissions(self) -> list[str]:
        """What Marquee lacks here to keep a countdown, by the names in Discord's settings screens."""
        ...

    def role_mention(self, role_id: int | None) -> str | None:
        """The role's mention when the role still exists."""
        ...

    async def post(self, card: Card) -> int:
        """Post the card with no mentions; the new message's id."""
        ...

    async def edit(self, message_id: int, card: Card) -> None: ...

    async def pin(self, message_id: int) -> None: ...

    async def exists(self, message_id: int) -> bool:
        """False only when Discord says the message is gone; when it will not say, assume it exists."""
        ...

    async def delete(self, message_id: int) -> None:
        """Remove a message left behind; a failure is only logged (the countdown has moved on anyway)."""
        ...

    async def announce(self, text: str, role_id: int | None) -> None:
        """Post ``text`` allowing only ``role_id`` (if it exists) to be pinged."""
        ...


class PremiereEvents(Protocol):
    """One server's scheduled events, as the premiere event uses them (issue 16, item 4)."""

    def may_schedule(self) -> bool:
        """Whether Marquee holds Create Events (or Manage Events) in the server."""
        ...

    async def find(self, name: str) -> int | None:
        """A scheduled (not cancelled or finished) event called ``name`` that Marquee made: one whose id was
        lost to a crash between creating it and storing its id."""
        ...

    async def create(self, premiere: Premiere) -> int:
        """Create the external event; its id."""
        ...

    async def move(self, event_id: int, premiere: Premiere) -> None:
        """Make the event say what ``premiere`` says (a PATCH: same event, new times or source)."""
        ...

    async def cancel(self, event_id: int) -> None: ...


class CountdownDiscord(Protocol):
    def channel(self, guild_id: int, channel_id: int) -> CountdownChannel | None:
        """The server's text channel, or None when it (or the server) is gone."""
        ...

    def events(self, guild_id: int) -> PremiereEvents | None:
        """The server's scheduled events, or None when Marquee is not in the server."""
        ...
