"""fakediscord's gateway: Discord's gateway v10 served over loopback to the real discord.py client.

The gateway is where a bot's resilience lives (heartbeats, resumes, replays, invalidated sessions), and it is
the part no mock exercises. The hub keeps Discord's model: a *session* outlives the websocket that carried
it, numbers its dispatches, and keeps them so a client that resumes with the last sequence it saw gets every
event it missed, exactly once. Faults (closes with a code, dropped TCP, op 7, op 9, unacknowledged
heartbeats) are methods a test calls, so the client's recovery is tested against what Discord does.

Everything runs on the caller's event loop. Each connection has one writer task fed by a queue, so frames
and faults (a close after pending frames, say) reach the client in the order the test asked for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Final, Literal, TypeAlias

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)

GATEWAY_VERSION: Final = 10
HISTORY_LIMIT: Final = 1000
"""Events a session keeps for replay; a resume from further back is refused, as Discord refuses stale ones."""
SEND_LIMIT: Final = 120
SEND_WINDOW: Final = 60.0
"""Discord closes a connection that sends more than 120 payloads in 60 seconds with 4008."""
ZLIB_SUFFIX: Final = b"\x00\x00\xff\xff"


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
_CONTENT_FIELDS: Final = ("content", "embeds", "attachments", "components", "poll")
_KNOWN_OPS: Final = frozenset(Op)

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
class GatewayLogEntry:
    """One payload that crossed the gateway, for tests that assert on the conversation itself."""

    at: datetime
    direction: Literal["in", "out"]
    op: int
    event: str | None
    seq: int | None
    session_id: str | None


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


@dataclass(eq=False)
class GatewaySession:
    """A gateway session: outlives its websocket and keeps its numbered dispatches for RESUME."""

    id: str
    intents: int
    shard: tuple[int, int] | None
    user_id: str = ""
    seq: int = 0
    history: deque[Frame] = field(default_factory=lambda: deque(maxlen=HISTORY_LIMIT))
    connection: _Connection | None = None

    def wants(self, event: str, data: dict[str, Any]) -> bool:
        """Whether Discord would send this event on this session (intents and shard)."""
        bit = required_intent(event, data)
        if bit and not self.intents & bit:
            return False
        return self.holds(data.get("guild_id", data.get("id") if event.startswith("GUILD_") else None))

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


_Action: TypeAlias = Callable[[], Awaitable[None]]
_Item: TypeAlias = Frame | tuple[_Action, "asyncio.Future[None]"] | None


class _Connection:
    """One websocket: a single writer task sends frames and runs faults in the order they were queued."""

    def __init__(self, hub: GatewayHub, ws: web.WebSocketResponse, request: web.Request, compress: bool) -> None:
        self.hub = hub
        self.ws = ws
        self.transport = request.transport
        self.compressor = zlib.compressobj() if compress else None
        self.session: GatewaySession | None = None
        self.closed_by_server = False
        self.server_close_code: int | None = None
        self.client_close_code: int | None = None
        self.received: deque[float] = deque()
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self._finished = False
        self._writer = asyncio.create_task(self._write_loop(), name="fakediscord-gateway-writer")

    def send(self, payload: dict[str, Any] | Frame) -> None:
        if not self._finished:
            self._queue.put_nowait(payload if isinstance(payload, Frame) else Frame.of(payload))

    def then(self, action: _Action) -> asyncio.Future[None]:
        """Run ``action`` after every frame queued so far has been written (at once if the socket is gone)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._finished:
            done.set_result(None)
        else:
            self._queue.put_nowait((action, done))
        return done

    def close(self, code: int) -> asyncio.Future[None]:
        async def close() -> None:
            if not self.ws.closed:
                self.closed_by_server = True
                self.server_close_code = code
                await self.ws.close(code=code)

        return self.then(close)

    def drop(self) -> asyncio.Future[None]:
        async def drop() -> None:
            self.closed_by_server = True
            if self.transport is not None:
                self.transport.abort()

        return self.then(drop)

    async def finish(self) -> None:
        """Let the writer run what is queued (a close still waiting for the client's reply), then stop."""
        self._finished = True
        self._queue.put_nowait(None)
        await self._writer

    async def _write_loop(self) -> None:
        while True:
            item = await self._queue.get()
            if item is None:
                return
            if isinstance(item, Frame):
                await self._write(item)
                continue
            action, done = item
            try:
                await action()
            except (ConnectionError, RuntimeError) as exc:
                log.debug("gateway fault action failed on a closing socket: %s", exc)
            finally:
                if not done.done():
                    done.set_result(None)

    async def _write(self, frame: Frame) -> None:
        if self.ws.closed:
            return  # the session keeps dispatches; a resume replays what this socket could not carry
        try:
            if self.compressor is None:
                await self.ws.send_str(frame.text)
            else:
                data = self.compressor.compress(frame.text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
        except (ConnectionError, RuntimeError) as exc:
            log.debug("gateway frame not written, socket closing: %s", exc)
            return
        self.hub.record("out", frame.op, frame.event, frame.seq or None, self.session)


class GatewayHub:
    """Discord's gateway for one bot token, mounted by fakediscord's server at ``GET /gateway``."""

    def __init__(
        self,
        *,
        token: str,
        ready_data: Callable[[], dict[str, Any]],
        guild_payloads: Callable[[], list[dict[str, Any]]],
        heartbeat_interval: float = 41.25,
    ) -> None:
        self.token = token
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
        self._live: set[_Connection] = set()
        self._ack_heartbeats = True
        self._ready_sessions = 0
        self._shut_down = False
        self._admit = asyncio.Event()
        self._admit.set()
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    # --- the websocket endpoint -------------------------------------------------------------------

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
        conn = _Connection(self, ws, request, compress == "zlib-stream")
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

    async def _read_loop(self, conn: _Connection) -> None:
        while True:
            msg = await conn.ws.receive()
            if msg.type is WSMsgType.CLOSE:
                conn.client_close_code = int(msg.data)
                return
            if msg.type is not WSMsgType.TEXT:
                if msg.type is WSMsgType.BINARY:
                    await conn.close(CloseCode.DECODE_ERROR)
                return  # CLOSING (we closed), CLOSED or ERROR (the TCP connection went away)
            payload = _decode(msg.data)
            if payload is None:
                await conn.close(CloseCode.DECODE_ERROR)
                return
            if self._over_send_limit(conn):
                await conn.close(CloseCode.RATE_LIMITED)
                return
            op = payload.get("op")
            self.record("in", op if isinstance(op, int) else -1, None, None, conn.session)
            await self._on_payload(conn, payload)
            self._notify()

    async def _on_payload(self, conn: _Connection, payload: dict[str, Any]) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == Op.HEARTBEAT:
            self.heartbeats += 1
            if self._ack_heartbeats:
                conn.send({"op": Op.HEARTBEAT_ACK.value})
        elif op in (Op.IDENTIFY, Op.RESUME):
            if conn.session is not None:
                await conn.close(CloseCode.ALREADY_AUTHENTICATED)
            elif not isinstance(data, dict) or data.get("token") != self.token:
                log.warning("gateway: %s with a wrong token; closing with 4004", Op(op).name)
                await conn.close(CloseCode.AUTHENTICATION_FAILED)
            elif op == Op.IDENTIFY:
                await self._identify(conn, data)
            else:
                self._resume(conn, data)
        elif op in (Op.PRESENCE_UPDATE, Op.VOICE_STATE_UPDATE, Op.REQUEST_GUILD_MEMBERS, Op.REQUEST_SOUNDBOARD_SOUNDS):
            if conn.session is None:
                await conn.close(CloseCode.NOT_AUTHENTICATED)
            elif op == Op.PRESENCE_UPDATE and isinstance(data, dict):
                self.presence = data
            elif op == Op.REQUEST_GUILD_MEMBERS and isinstance(data, dict):
                self._send_member_chunk(conn.session, data)
        elif op in _KNOWN_OPS:
            await conn.close(CloseCode.UNKNOWN_OPCODE if conn.session else CloseCode.NOT_AUTHENTICATED)
        else:
            log.warning("gateway: unknown opcode %r; closing with 4001", op)
            await conn.close(CloseCode.UNKNOWN_OPCODE)

    async def _identify(self, conn: _Connection, data: dict[str, Any]) -> None:
        intents = data.get("intents")
        if not isinstance(intents, int) or isinstance(intents, bool) or intents < 0 or intents >= 1 << 26:
            await conn.close(CloseCode.INVALID_INTENTS)
            return
        shard = _parse_shard(data.get("shard"))
        if shard is False:
            await conn.close(CloseCode.INVALID_SHARD)
            return
        ready = dict(self._ready_data())
        session = GatewaySession(
            id=secrets.token_hex(16), intents=intents, shard=shard or None, user_id=str(ready["user"]["id"])
        )
        self.sessions[session.id] = session
        self.identifies += 1
        self.intents = intents
        if isinstance(data.get("presence"), dict):
            self.presence = data["presence"]
        self._attach(conn, session)

        guilds = [g for g in ready.get("guilds", []) if session.holds(g["id"])]
        ready.update(
            v=GATEWAY_VERSION,
            session_id=session.id,
            session_type="normal",
            resume_gateway_url=self.public_url,
            guilds=guilds,
            private_channels=ready.get("private_channels", []),
        )
        if shard:
            ready["shard"] = list(shard)
        session.emit("READY", ready)
        for guild in self._guild_payloads():
            if session.wants("GUILD_CREATE", guild):
                session.emit("GUILD_CREATE", guild)
        conn.then(self._mark_ready)

    def _resume(self, conn: _Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
        if session is None or not session.can_resume_from(seq):
            log.info("gateway: RESUME of an unknown or stale session; answering op 9 d=false")
            if session is not None:
                self.sessions.pop(session.id, None)
            conn.send({"op": Op.INVALID_SESSION.value, "d": False})
            return
        old = session.connection
        if old is not None and old is not conn:
            session.connection = None
            old.session = None
            old.close(CloseCode.UNKNOWN_ERROR)
        for frame in session.history:
            if frame.seq > seq:
                conn.send(frame)
        self._attach(conn, session)
        session.emit("RESUMED", {}, keep=False)
        self.resumes += 1
        self._notify()

    def _send_member_chunk(self, session: GatewaySession, data: dict[str, Any]) -> None:
        """Answer REQUEST_GUILD_MEMBERS from the guild's members, so chunking clients do not hang."""
        guild_id = str(data.get("guild_id"))
        guild = next((g for g in self._guild_payloads() if str(g.get("id")) == guild_id), None)
        members: list[dict[str, Any]] = list(guild.get("members", [])) if guild else []
        user_ids = data.get("user_ids")
        not_found: list[str] = []
        if user_ids:
            wanted = [str(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])]
            members = [m for m in members if str(m["user"]["id"]) in wanted]
            found = {str(m["user"]["id"]) for m in members}
            not_found = [u for u in wanted if u not in found]
        elif data.get("query"):
            query = str(data["query"]).lower()
            members = [m for m in members if str(m["user"].get("username", "")).lower().startswith(query)]
        limit = data.get("limit")
        if isinstance(limit, int) and limit > 0:
            members = members[:limit]
        chunk: dict[str, Any] = {"guild_id": guild_id, "members": members, "chunk_index": 0, "chunk_count": 1}
        if not_found:
            chunk["not_found"] = not_found
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        session.emit("GUILD_MEMBERS_CHUNK", chunk)

    # --- what the rest of fakediscord calls -------------------------------------------------------

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

    @property
    def connected(self) -> int:
        """Sessions that currently have a live websocket."""
        return sum(1 for s in self.sessions.values() if s.connection is not None)

    # --- faults -----------------------------------------------------------------------------------

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

    async def shutdown(self) -> None:
        """Close every socket (1001, going away), forget every session and refuse new connections."""
        self._shut_down = True
        self._admit.set()
        await asyncio.gather(*(conn.close(1001) for conn in list(self._live)))
        self.sessions.clear()
        for _, done in self._waiters:
            if not done.done():
                done.cancel()

    # --- bookkeeping ------------------------------------------------------------------------------

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

    def _attach(self, conn: _Connection, session: GatewaySession) -> None:
        conn.session = session
        session.connection = conn

    def _detach(self, conn: _Connection) -> None:
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

    def _over_send_limit(self, conn: _Connection) -> bool:
        now = time.monotonic()
        conn.received.append(now)
        while conn.received and conn.received[0] < now - SEND_WINDOW:
            conn.received.popleft()
        return len(conn.received) > SEND_LIMIT


async def _nothing() -> None:
    """A no-op queued behind frames, to wait until they have been written."""


def _decode(text: str) -> dict[str, Any] | None:
    try:
        payload = json.loads(text)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _parse_shard(value: object) -> tuple[int, int] | Literal[False] | None:
    """``None`` when no shard was asked for, ``False`` when the pair is invalid."""
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] < value[1]
    ):
        return (value[0], value[1])
    return False


def zlib_frames(frames: Iterable[bytes]) -> list[str]:
    """Inflate a zlib-stream the way discord.py does; for tests that read the wire directly."""
    inflater = zlib.decompressobj()
    messages: list[str] = []
    buffer = bytearray()
    for frame in frames:
        buffer.extend(frame)
        if frame.endswith(ZLIB_SUFFIX):
            messages.append(inflater.decompress(bytes(buffer)).decode())
            buffer.clear()
    return messages
