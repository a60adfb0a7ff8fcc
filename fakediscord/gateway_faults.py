"""Gateway faults a test calls: closes with a code, dropped TCP, op 7, op 9, unacknowledged heartbeats.

A bot's resilience is only tested if the fake fails the way Discord does, so each fault is queued behind
the frames already on a socket and leaves the sessions as Discord would (resumable or gone).
"""

from __future__ import annotations

import asyncio

from fakediscord.gateway_protocol import SESSION_KILLING_CLOSES, CloseCode, Op
from fakediscord.gateway_state import GatewayState


class GatewayFaults(GatewayState):
    """The faults and stalls the gateway can be told to produce on every live connection."""

    async def close(self, code: int) -> None:
        """Close every live connection with ``code`` after what is already queued on it."""
        if code in SESSION_KILLING_CLOSES:
            for conn in self._live:
                if conn.session is not None:
                    self.sessions.pop(conn.session.id, None)
        await asyncio.gather(*(conn.close(code) for conn in list(self._live)))

    async def drop(self) -> None:
        """Abort every connection's TCP transport with no close frame, as a network failure would."""
        await asyncio.gather(*(conn.drop() for conn in list(self._live)))

    async def reconnect(self) -> None:
        """Send op 7 RECONNECT, then close with 4000: the client should come back and RESUME."""
        conns = list(self._live)
        for conn in conns:
            conn.send({"op": Op.RECONNECT.value, "d": None})
        await asyncio.gather(*(conn.close(CloseCode.UNKNOWN_ERROR) for conn in conns))

    async def invalidate(self, resumable: bool) -> None:
        """Send op 9 INVALID_SESSION; when not resumable the sessions and their kept events are gone."""
        if not resumable:
            self.sessions.clear()
        conns = list(self._live)
        for conn in conns:
            if not resumable and conn.session is not None:
                conn.session.connection = None
                conn.session = None
            conn.send({"op": Op.INVALID_SESSION.value, "d": resumable})
        await asyncio.gather(*(conn.then(_nothing) for conn in conns))

    async def request_heartbeat(self) -> None:
        """Send op 1 from the server: the client must answer with a heartbeat at once."""
        conns = list(self._live)
        for conn in conns:
            conn.send({"op": Op.HEARTBEAT.value, "d": None})
        await asyncio.gather(*(conn.then(_nothing) for conn in conns))

    def set_ack_heartbeats(self, on: bool) -> None:
        """Stop (or resume) answering heartbeats, leaving a zombie connection the client must notice."""
        self._ack_heartbeats = on

    def hold_connections(self) -> None:
        """Let new connections open but keep them waiting for HELLO: the bot stays disconnected."""
        self._admit.clear()

    def release_connections(self) -> None:
        self._admit.set()

    def expire_sessions(self) -> None:
        """Forget every session without a live connection, as Discord does after a while."""
        for session_id, session in list(self.sessions.items()):
            if session.connection is None:
                del self.sessions[session_id]


async def _nothing() -> None:
    """A no-op queued behind frames, to wait until they have been written."""
