"""What happens in the fake's world, told once to everyone who must hear of it.

A message posted by a REST route and one posted by a test must reach the bot's gateway the same way
and wake the same waiters, and every request must land in the one ledger tests assert on. Routes,
the user helpers and ``FakeDiscord`` all go through this object, so none of them needs the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fakediscord.clock import Clock
from fakediscord.world import JSON, Channel, Message, PrivateChannel, User, World

log = logging.getLogger(__name__)

T = TypeVar("T")
Sink = Callable[[str, JSON], None]


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One request as the fake received it: for asserting on what the bot actually sent."""

    time: float
    method: str
    path: str
    query: dict[str, str]
    status: int
    json: Any
    headers: dict[str, str]


class WorldEvents:
    """The gateway feed, the change signal and the request ledger of one fake Discord.

    ``sink`` is the gateway's dispatch while the fake is serving and ``None`` otherwise: a world built
    before start reaches the bot in READY and GUILD_CREATE instead, so events from then are dropped.
    """

    def __init__(self, world: World, clock: Clock) -> None:
        self.world = world
        self.clock = clock
        self.sink: Sink | None = None
        self.ledger: list[LedgerEntry] = []
        self._changed = asyncio.Event()

    def dispatch(self, event: str, data: JSON) -> None:
        """Send a gateway event to the bot (buffered by the hub for a resuming session)."""
        if self.sink is not None:
            self.sink(event, data)

    def notify(self) -> None:
        """Wake everything waiting in ``wait_until`` to re-check its condition."""
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait_until(self, check: Callable[[], T | None], timeout: float, what: str) -> T:  # noqa: ASYNC109
        """Return ``check()``'s first non-None result, re-checked whenever the world changes."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    result = check()
                    if result is not None:
                        return result
                    await self._changed.wait()
        except TimeoutError:
            raise TimeoutError(f"fakediscord: no {what} within {timeout} s") from None

    def record(self, entry: LedgerEntry) -> None:
        """A request was answered: keep it for the test and wake whoever waits on its effects."""
        self.ledger.append(entry)
        self.notify()

    # --- messages: the world changes a bot hears of --------------------------------------------------

    def create_message(self, channel: Channel | PrivateChannel, author: User, **fields: Any) -> Message:
        msg = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild.id if isinstance(channel, Channel) else None,
            author=author,
            created_mono=self.clock.now(),
            **fields,
        )
        channel.messages[msg.id] = msg
        if not msg.ephemeral and _bot_hears(channel):
            self.dispatch("MESSAGE_CREATE", self.world.message_payload(msg))
        self.notify()
        return msg

    def message_changed(self, msg: Message) -> None:
        private = self.world.private_channels.get(msg.channel_id)
        if not msg.ephemeral and not msg.deleted and (private is None or private.bot_present):
            self.dispatch("MESSAGE_UPDATE", self.world.message_payload(msg))
        self.notify()

    def pins_changed(self, channel: Channel) -> None:
        last = max(channel.pins.values()).isoformat() if channel.pins else None
        self.dispatch(
            "CHANNEL_PINS_UPDATE",
            {"guild_id": str(channel.guild.id), "channel_id": str(channel.id), "last_pin_timestamp": last},
        )
        self.notify()

    def remove_message(self, channel: Channel | PrivateChannel, msg: Message) -> None:
        msg.deleted = True
        channel.messages.pop(msg.id, None)
        if isinstance(channel, PrivateChannel):
            if not msg.ephemeral and channel.bot_present:
                self.dispatch("MESSAGE_DELETE", {"id": str(msg.id), "channel_id": str(channel.id)})
            self.notify()
            return
        if channel.pins.pop(msg.id, None) is not None:
            self.pins_changed(channel)
        if not msg.ephemeral:
            self.dispatch(
                "MESSAGE_DELETE", {"id": str(msg.id), "channel_id": str(channel.id), "guild_id": str(channel.guild.id)}
            )
        self.notify()


def _bot_hears(channel: Channel | PrivateChannel) -> bool:
    """Whether Discord tells the bot about messages here: not in a DM or group DM it is not part of."""
    return not isinstance(channel, PrivateChannel) or channel.bot_present
