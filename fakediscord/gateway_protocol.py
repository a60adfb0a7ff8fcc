"""Discord's gateway vocabulary: opcodes, close codes, intents, shards and the encoded payload.

Kept apart from the fake's machinery so the numbers a bot is tested against are written once, as Discord
documents them, and every part of the gateway (sessions, the writer, the opcode handlers, the faults)
speaks the same ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final

GATEWAY_VERSION: Final = 10


class Op(IntEnum):
    """Gateway opcodes (Discord's names)."""

    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE_UPDATE = 3
    VOICE_STATE_UPDATE = 4
    RESUME = 6
    RECONNECT = 7
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11
    REQUEST_SOUNDBOARD_SOUNDS = 31


class CloseCode(IntEnum):
    """Gateway close codes (Discord's names)."""

    UNKNOWN_ERROR = 4000
    UNKNOWN_OPCODE = 4001
    DECODE_ERROR = 4002
    NOT_AUTHENTICATED = 4003
    AUTHENTICATION_FAILED = 4004
    ALREADY_AUTHENTICATED = 4005
    INVALID_SEQ = 4007
    RATE_LIMITED = 4008
    SESSION_TIMED_OUT = 4009
    INVALID_SHARD = 4010
    SHARDING_REQUIRED = 4011
    INVALID_API_VERSION = 4012
    INVALID_INTENTS = 4013
    DISALLOWED_INTENTS = 4014


SESSION_ENDING_CLOSES: Final = frozenset({1000, 1001})
"""A client that closes with these ends its session; Discord will not resume it."""
SESSION_KILLING_CLOSES: Final = frozenset(
    {CloseCode.AUTHENTICATION_FAILED, CloseCode.INVALID_SEQ, CloseCode.SESSION_TIMED_OUT}
    | set(range(CloseCode.INVALID_SHARD, CloseCode.DISALLOWED_INTENTS + 1))
)
"""Server closes after which the session cannot be resumed."""

GUILDS: Final = 1 << 0
GUILD_MEMBERS: Final = 1 << 1
GUILD_MESSAGES: Final = 1 << 9
GUILD_MESSAGE_REACTIONS: Final = 1 << 10
GUILD_MESSAGE_TYPING: Final = 1 << 11
DIRECT_MESSAGES: Final = 1 << 12
DIRECT_MESSAGE_REACTIONS: Final = 1 << 13
DIRECT_MESSAGE_TYPING: Final = 1 << 14
MESSAGE_CONTENT: Final = 1 << 15

_GUILD_EVENTS: Final = frozenset(
    {
        "GUILD_CREATE",
        "GUILD_UPDATE",
        "GUILD_DELETE",
        "GUILD_ROLE_CREATE",
        "GUILD_ROLE_UPDATE",
        "GUILD_ROLE_DELETE",
        "CHANNEL_CREATE",
        "CHANNEL_UPDATE",
        "CHANNEL_DELETE",
        "CHANNEL_PINS_UPDATE",
        "THREAD_CREATE",
        "THREAD_UPDATE",
        "THREAD_DELETE",
        "THREAD_LIST_SYNC",
        "THREAD_MEMBER_UPDATE",
        "STAGE_INSTANCE_CREATE",
        "STAGE_INSTANCE_UPDATE",
        "STAGE_INSTANCE_DELETE",
    }
)
_MEMBER_EVENTS: Final = frozenset({"GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE"})
_MESSAGE_EVENTS: Final = frozenset({"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK"})
_REACTION_EVENTS: Final = frozenset(
    {
        "MESSAGE_REACTION_ADD",
        "MESSAGE_REACTION_REMOVE",
        "MESSAGE_REACTION_REMOVE_ALL",
        "MESSAGE_REACTION_REMOVE_EMOJI",
    }
)


def required_intent(event: str, data: dict[str, Any]) -> int:
    """The intent bit Discord requires before it sends ``event``; 0 for events every bot gets.

    Discord silently withholds events a bot did not ask for, so a bot that forgets an intent sees nothing
    here either, instead of passing its tests and going quiet in production.
    """
    in_guild = data.get("guild_id") is not None
    if event in _GUILD_EVENTS:
        return GUILDS if in_guild or event.startswith("GUILD_") else 0
    if event in _MEMBER_EVENTS:
        return GUILD_MEMBERS
    if event in _MESSAGE_EVENTS:
        return GUILD_MESSAGES if in_guild else DIRECT_MESSAGES
    if event in _REACTION_EVENTS:
        return GUILD_MESSAGE_REACTIONS if in_guild else DIRECT_MESSAGE_REACTIONS
    if event == "TYPING_START":
        return GUILD_MESSAGE_TYPING if in_guild else DIRECT_MESSAGE_TYPING
    return 0


def shard_for(guild_id: int | str, shard_count: int) -> int:
    """Discord's shard formula: ``(guild_id >> 22) % shard_count``."""
    return (int(guild_id) >> 22) % shard_count


@dataclass(frozen=True)
class Frame:
    """A payload encoded once, as it goes on the wire: a replay sends the event as it was when it happened."""

    op: int
    event: str | None
    seq: int
    text: str

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Frame:
        seq = payload.get("s")
        return cls(
            op=payload["op"],
            event=payload.get("t"),
            seq=seq if isinstance(seq, int) else 0,
            text=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
        )
