"""A channel itself, typing, and its pins (both the paged endpoint and the legacy list discord.py
still calls)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from fakediscord import rules
from fakediscord.routes.family import Answer, Call, Route, RouteFamily
from fakediscord.world import PIN_MESSAGES, READ_MESSAGE_HISTORY, SEND_MESSAGES, Channel, Message


class ChannelRoutes(RouteFamily):
    def routes(self) -> Iterable[Route]:
        yield Route("GET", "/channels/{channel_id}", self.get_channel)
        yield Route("POST", "/channels/{channel_id}/typing", self.typing)
        yield Route("GET", "/channels/{channel_id}/messages/pins", self.get_pins)
        yield Route("GET", "/channels/{channel_id}/pins", self.get_pins_legacy)
        for pins in ("/channels/{channel_id}/messages/pins", "/channels/{channel_id}/pins"):
            yield Route("PUT", pins + "/{message_id}", self.pin)
            yield Route("DELETE", pins + "/{message_id}", self.unpin)

    async def get_channel(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel)
        return 200, channel.payload()

    async def typing(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel, SEND_MESSAGES)
        return 204, None

    async def pin(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel, PIN_MESSAGES)
        msg = self._message(channel, call)
        if msg.id not in channel.pins:
            if len(channel.pins) >= self.fd.max_pins:
                raise rules.max_pins(self.fd.max_pins)
            channel.pins[msg.id] = datetime.now(UTC)
            self.fd.events.pins_changed(channel)
            self.fd.events.message_changed(msg)
        return 204, None

    async def unpin(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel, PIN_MESSAGES)
        msg = self._message(channel, call)
        if channel.pins.pop(msg.id, None) is not None:
            self.fd.events.pins_changed(channel)
            self.fd.events.message_changed(msg)
        return 204, None

    def _pinned_newest_first(self, channel: Channel, before: str | None) -> list[tuple[datetime, Message]]:
        pinned = [(at, channel.messages[mid]) for mid, at in channel.pins.items() if mid in channel.messages]
        pinned.sort(key=lambda p: p[0], reverse=True)
        if before is not None:
            cutoff = datetime.fromisoformat(before)
            pinned = [p for p in pinned if p[0] < cutoff]
        return pinned

    async def get_pins(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        limit = int(call.query.get("limit", "50"))
        pinned = self._pinned_newest_first(channel, call.query.get("before"))
        page = pinned[:limit]
        return 200, {
            "items": [{"pinned_at": at.isoformat(), "message": self.world.rest_message_payload(m)} for at, m in page],
            "has_more": len(pinned) > limit,
        }

    async def get_pins_legacy(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        return 200, [self.world.rest_message_payload(m) for _, m in self._pinned_newest_first(channel, None)]
