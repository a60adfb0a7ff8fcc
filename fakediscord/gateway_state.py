"""What the gateway knows between connections: its sessions, counters, log and the tests waiting on them.

The opcode handlers, the faults and the hub all change this state, and a test's wait must wake whichever
of them changed it; so the state, its bookkeeping and the waiters live in one base the others build on.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from fakediscord.gateway_protocol import SESSION_ENDING_CLOSES, SESSION_KILLING_CLOSES
from fakediscord.gateway_session import GatewaySession
from fakediscord.gateway_sharding import SessionStarts
from fakediscord.gateway_transport import Connection


@dataclass(frozen=True)
class GatewayLogEntry:
    """One payload that crossed the gateway, for tests that assert on the conversation itself."""

    at: datetime
    direction: Literal["in", "out"]
    op: int
    event: str | None
    seq: int | None
    session_id: str | None


class GatewayState:
    """The gateway's state for one bot token, shared by the opcode handlers, the faults and the hub."""

    def __init__(
        self,
        *,
        token: str,
        ready_data: Callable[[], dict[str, Any]],
        guild_payloads: Callable[[], list[dict[str, Any]]],
        heartbeat_interval: float = 41.25,
        session_starts: SessionStarts | None = None,
    ) -> None:
        self.token = token
        # A bare hub (no limit given, as in the gateway rig) lets every IDENTIFY through at once;
        # FakeDiscord hands it Discord's limit, shared with GET /gateway/bot.
        self.session_starts = session_starts or SessionStarts(time.monotonic, identify_window=0.0)
        self._ready_data = ready_data
        self._guild_payloads = guild_payloads
        self.heartbeat_interval = heartbeat_interval
        self.public_url = "ws://127.0.0.1/gateway"
        self.identifies = 0
        self.resumes = 0
        self.dispatched = 0
        self.connections = 0
        self.heartbeats = 0
        self.intents: int | None = None
        self.presence: dict[str, Any] | None = None
        self.compressions: list[str | None] = []
        self.log: deque[GatewayLogEntry] = deque(maxlen=10_000)
        self.sessions: dict[str, GatewaySession] = {}
        self._live: set[Connection] = set()
        self._ack_heartbeats = True
        self._ready_sessions = 0
        self._shut_down = False
        self._admit = asyncio.Event()
        self._admit.set()
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    # The waits take a deadline (the contract) so that a bot that never gets there fails its test.
    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``predicate()`` holds; re-checked whenever the gateway's state changes."""
        if predicate():
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (predicate, done)
        self._waiters.append(entry)
        try:
            async with asyncio.timeout(timeout):
                await done
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(entry)

    def record(
        self,
        direction: Literal["in", "out"],
        op: int,
        event: str | None,
        seq: int | None,
        session: GatewaySession | None,
    ) -> None:
        entry = GatewayLogEntry(datetime.now(UTC), direction, op, event, seq, session.id if session else None)
        self.log.append(entry)

    def _attach(self, conn: Connection, session: GatewaySession) -> None:
        conn.session = session
        session.connection = conn

    def _detach(self, conn: Connection) -> None:
        session = conn.session
        if session is None:
            return
        if session.connection is conn:
            session.connection = None
        ended = conn.client_close_code in SESSION_ENDING_CLOSES and not conn.closed_by_server
        killed = conn.server_close_code in SESSION_KILLING_CLOSES
        if ended or killed:
            self.sessions.pop(session.id, None)

    async def _mark_ready(self) -> None:
        self._ready_sessions += 1
        self._notify()

    def _notify(self) -> None:
        for predicate, done in list(self._waiters):
            if not done.done() and predicate():
                done.set_result(None)
