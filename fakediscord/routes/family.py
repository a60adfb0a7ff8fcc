"""What every REST route family shares: the parsed call, the route entry, and Discord's channel checks.

The checks live here because Discord runs them the same way before any channel-scoped route, and
a family that skipped one would answer 200 where the real API answers 403.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fakediscord import rules
from fakediscord.backend import Backend
from fakediscord.world import VIEW_CHANNEL, Channel, Guild, Message, channel_permissions

JSON = dict[str, Any]
Answer = tuple[int, Any]


@dataclass
class Call:
    """One parsed request, as a route handler sees it."""

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    attachments: list[JSON] = field(default_factory=list)


Handler = Callable[[Call], Awaitable[Answer]]


@dataclass(frozen=True)
class Route:
    """One endpoint: interaction webhooks skip the bot token and the global budget, as on Discord."""

    method: str
    template: str
    handler: Handler
    bot_auth: bool = True
    global_limit: bool = True

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


class RouteFamily:
    """Routes over one part of the API; subclasses list theirs in ``routes``."""

    def __init__(self, fd: Backend) -> None:
        self.fd = fd
        self.world = fd.world

    def routes(self) -> Iterable[Route]:
        raise NotImplementedError

    def _channel(self, call: Call) -> Channel:
        channel = self.world.channels.get(int(call.params["channel_id"]))
        if channel is None:
            raise rules.unknown_channel()
        return channel

    def _guild(self, call: Call) -> Guild:
        """The route's guild, which the bot must be in (Missing Access otherwise, as Discord answers)."""
        guild = self.world.guilds.get(int(call.params["guild_id"]))
        if guild is None:
            raise rules.unknown_guild()
        if self.fd.bot_user.id not in guild.members:
            raise rules.missing_access()
        return guild

    def _bot_perms(self, channel: Channel) -> int:
        member = channel.guild.members.get(self.fd.bot_user.id)
        if member is None:
            raise rules.missing_access()
        return channel_permissions(channel, member)

    def _require(self, channel: Channel, *bits: int) -> None:
        perms = self._bot_perms(channel)
        if not perms & VIEW_CHANNEL:
            raise rules.missing_access()
        for bit in bits:
            if not perms & bit:
                raise rules.missing_permissions()

    def _message(self, channel: Channel, call: Call) -> Message:
        msg = channel.messages.get(int(call.params["message_id"]))
        if msg is None or msg.ephemeral:
            raise rules.unknown_message()
        return msg
