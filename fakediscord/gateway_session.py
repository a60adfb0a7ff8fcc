"""A gateway session: what outlives a websocket, so a client that resumes misses nothing.

Discord numbers a session's dispatches and keeps them; a client that resumes with the last sequence it
saw gets every event after it, exactly once, on whichever socket it comes back on. The session also
decides what Discord would send it at all (intents, shard, message content), because that depends on
how it identified, not on the socket.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from fakediscord import exchanges
from fakediscord.gateway_protocol import MESSAGE_CONTENT, Frame, Op, required_intent, shard_for

HISTORY_LIMIT: Final = 1000
"""Events a session keeps for replay; a resume from further back is refused, as Discord refuses stale ones."""
_CONTENT_FIELDS: Final = ("content", "embeds", "attachments", "components", "poll")
_EVERY_SHARD: Final = frozenset({"USER_UPDATE"})
"""Events about the bot itself, which every shard's cache needs; anything else without a guild (DMs) goes to
shard 0 only, as Discord documents."""


class Carrier(Protocol):
    """The websocket currently carrying a session.

    A protocol because a session and its connection point at each other: the connection's module
    imports this one, never the other way round.
    """

    session: GatewaySession | None

    def send(self, payload: dict[str, Any] | Frame) -> None: ...

    def close(self, code: int) -> asyncio.Future[None]: ...


@dataclass(eq=False)
class GatewaySession:
    """A gateway session: outlives its websocket and keeps its numbered dispatches for RESUME."""

    id: str
    intents: int
    shard: tuple[int, int] | None
    user_id: str = ""
    seq: int = 0
    history: deque[Frame] = field(default_factory=lambda: deque(maxlen=HISTORY_LIMIT))
    connection: Carrier | None = None

    def wants(self, event: str, data: dict[str, Any]) -> bool:
        """Whether Discord would send this event on this session (intents, shard, DMs on shard 0 only)."""
        bit = required_intent(event, data)
        if bit and not self.intents & bit:
            return False
        guild_id = data.get("guild_id", data.get("id") if event.startswith("GUILD_") else None)
        if guild_id is None:
            return self.shard is None or self.shard[0] == 0 or event in _EVERY_SHARD
        return self.holds(guild_id)

    def holds(self, guild_id: int | str | None) -> bool:
        """Whether this session's shard carries the guild (every guild when not sharded)."""
        return self.shard is None or guild_id is None or shard_for(guild_id, self.shard[1]) == self.shard[0]

    def shape(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        """The event as this session sees it: message content blanked without the message content intent.

        Discord leaves content, embeds, attachments, components and polls empty for a bot without the
        intent, except in DMs, in messages that mention the bot and in the bot's own messages.
        """
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or self.intents & MESSAGE_CONTENT:
            return data
        if data.get("guild_id") is None or str((data.get("author") or {}).get("id")) == self.user_id:
            return data
        if any(str(user.get("id")) == self.user_id for user in data.get("mentions") or []):
            return data
        blanked = {key: value for key, value in data.items() if key != "poll"}
        for key in _CONTENT_FIELDS:
            if key in blanked:
                blanked[key] = "" if key == "content" else []
        return blanked

    def emit(self, event: str, data: dict[str, Any], *, keep: bool = True) -> None:
        """Number the event, keep it for replay and send it if the session has a live connection."""
        self.seq += 1
        if exchanges.listening():
            exchanges.publish(exchanges.Exchange("gateway", event, None, "", 0, response=data))
        frame = Frame.of({"op": Op.DISPATCH.value, "t": event, "s": self.seq, "d": data})
        if keep:
            self.history.append(frame)
        if self.connection is not None:
            self.connection.send(frame)

    def can_resume_from(self, seq: int) -> bool:
        """A resume is possible when every event after ``seq`` is still kept."""
        if seq > self.seq or seq < 0:
            return False
        oldest = self.history[0].seq if self.history else self.seq + 1
        return seq >= oldest - 1
