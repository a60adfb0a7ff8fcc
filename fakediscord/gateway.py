"""fakediscord's gateway: Discord's gateway v10 served over loopback to the real discord.py client.

The gateway is where a bot's resilience lives (heartbeats, resumes, replays, invalidated sessions), and it is
the part no mock exercises. The hub keeps Discord's model: a *session* outlives the websocket that carried
it, numbers its dispatches, and keeps them so a client that resumes with the last sequence it saw gets every
event it missed, exactly once. Faults (closes with a code, dropped TCP, op 7, op 9, unacknowledged
heartbeats) are methods a test calls, so the client's recovery is tested against what Discord does.

Everything runs on the caller's event loop. The parts live beside this module: ``gateway_protocol``
(Discord's numbers), ``gateway_session`` (sessions and replay), ``gateway_transport`` (a socket's writer
and zlib-stream), ``gateway_state`` (what the hub knows and the waits on it), ``gateway_opcodes`` (answers
to the client) and ``gateway_faults``; the names tests use are re-exported here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from fakediscord.gateway_faults import GatewayFaults
from fakediscord.gateway_opcodes import ClientOpcodes
from fakediscord.gateway_protocol import GATEWAY_VERSION, CloseCode, Frame, Op, required_intent, shard_for
from fakediscord.gateway_session import GatewaySession
from fakediscord.gateway_state import GatewayLogEntry
from fakediscord.gateway_transport import Connection, zlib_frames

__all__ = [
    "GATEWAY_VERSION",
    "CloseCode",
    "Frame",
    "GatewayHub",
    "GatewayLogEntry",
    "GatewaySession",
    "Op",
    "required_intent",
    "shard_for",
    "zlib_frames",
]

log = logging.getLogger(__name__)


class GatewayHub(ClientOpcodes, GatewayFaults):
    """Discord's gateway for one bot token, mounted by fakediscord's server at ``GET /gateway``."""

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one gateway connection until either side closes it."""
        if self._shut_down:
            raise web.HTTPServiceUnavailable(text="fakediscord's gateway has shut down")
        compress = request.query.get("compress")
        encoding = request.query.get("encoding", "json")
        if encoding != "json" or compress not in (None, "zlib-stream"):
            reason = (
                f"fakediscord serves encoding=json, uncompressed or compress=zlib-stream; not {request.query_string!r}"
            )
            log.error("gateway connection refused: %s", reason)
            raise web.HTTPBadRequest(text=reason)
        ws = web.WebSocketResponse(timeout=5.0, max_msg_size=4096 * 1024)
        await ws.prepare(request)
        conn = Connection(self.record, ws, request, compress == "zlib-stream")
        self._live.add(conn)
        self.connections += 1
        self.compressions.append(compress)
        self._notify()
        try:
            await self._admit.wait()
            if request.query.get("v") != str(GATEWAY_VERSION):
                await conn.close(CloseCode.INVALID_API_VERSION)
            else:
                conn.send({"op": Op.HELLO.value, "d": {"heartbeat_interval": round(self.heartbeat_interval * 1000)}})
                await self._read_loop(conn)
        finally:
            await conn.finish()
            self._live.discard(conn)
            self._detach(conn)
            self._notify()
        return ws

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH to every session that would get it on Discord; kept for replay on RESUME."""
        self.dispatched += 1
        if not self.sessions:
            log.debug("gateway: %s dispatched with no session to receive it", event)
        for session in list(self.sessions.values()):
            if session.wants(event, data):
                session.emit(event, session.shape(event, data))

    # The waits take a deadline (the contract) so that a bot that never gets there fails its test.
    async def wait_ready(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until a session identified and its READY and GUILD_CREATEs were written."""
        await self.wait_until(lambda: self._ready_sessions > 0, timeout)

    async def wait_for_identify(self, count: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` IDENTIFYs were accepted (one per new session)."""
        await self.wait_until(lambda: self.identifies >= count, timeout)

    async def wait_for_resume(self, count: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` RESUMEs succeeded (missed events replayed, RESUMED sent)."""
        await self.wait_until(lambda: self.resumes >= count, timeout)

    @property
    def connected(self) -> int:
        """Sessions that currently have a live websocket."""
        return sum(1 for s in self.sessions.values() if s.connection is not None)

    async def shutdown(self) -> None:
        """Close every socket (1001, going away), forget every session and refuse new connections."""
        self._shut_down = True
        self._admit.set()
        await asyncio.gather(*(conn.close(1001) for conn in list(self._live)))
        self.sessions.clear()
        for _, done in self._waiters:
            if not done.done():
                done.cancel()
