"""How the fake answers what a client sends on a gateway socket: heartbeats, IDENTIFY, RESUME and the rest.

Each answer follows Discord's rules for the opcode, including the close codes Discord uses when a client
gets the order, the token, the intents or the shard wrong, so a bot's mistakes fail here as they would in
production instead of being quietly accepted.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any, Final, Literal

from aiohttp import WSMsgType

from fakediscord.gateway_protocol import GATEWAY_VERSION, CloseCode, Op, shard_for
from fakediscord.gateway_session import GatewaySession
from fakediscord.gateway_state import GatewayState
from fakediscord.gateway_transport import Connection

log = logging.getLogger(__name__)

_KNOWN_OPS: Final = frozenset(Op)


class ClientOpcodes(GatewayState):
    """The gateway's side of the conversation: reads a socket's payloads and answers each by its opcode."""

    async def _read_loop(self, conn: Connection) -> None:
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
            if conn.over_send_limit():
                await conn.close(CloseCode.RATE_LIMITED)
                return
            op = payload.get("op")
            self.record("in", op if isinstance(op, int) else -1, None, None, conn.session)
            await self._on_payload(conn, payload)
            self._notify()

    async def _on_payload(self, conn: Connection, payload: dict[str, Any]) -> None:
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

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        intents = data.get("intents")
        if not isinstance(intents, int) or isinstance(intents, bool) or intents < 0 or intents >= 1 << 26:
            await conn.close(CloseCode.INVALID_INTENTS)
            return
        shard = _parse_shard(data.get("shard"))
        if shard is False:
            await conn.close(CloseCode.INVALID_SHARD)
            return
        starts = self.session_starts
        if starts.exhausted():
            # Discord resets the token of a bot that spends its daily session starts; the old one fails.
            log.warning("gateway: IDENTIFY with no session starts left; closing with 4004")
            await conn.close(CloseCode.AUTHENTICATION_FAILED)
            return
        ready = dict(self._ready_data())
        held = [g for g in ready.get("guilds", []) if _holds(shard, g["id"])]
        if starts.too_many(len(held)):
            log.warning("gateway: shard %s would hold %d guilds; closing with 4011", shard, len(held))
            await conn.close(CloseCode.SHARDING_REQUIRED)
            return
        if not starts.admit(shard[0] if shard else 0):
            log.info("gateway: IDENTIFY beyond max_concurrency for shard %s; answering op 9 d=false", shard)
            conn.send({"op": Op.INVALID_SESSION.value, "d": False})
            return
        starts.start()
        session = GatewaySession(
            id=secrets.token_hex(16), intents=intents, shard=shard or None, user_id=str(ready["user"]["id"])
        )
        self.sessions[session.id] = session
        self.identifies += 1
        self.intents = intents
        if isinstance(data.get("presence"), dict):
            self.presence = data["presence"]
        self._attach(conn, session)

        ready.update(
            v=GATEWAY_VERSION,
            session_id=session.id,
            session_type="normal",
            resume_gateway_url=self.public_url,
            guilds=held,
            private_channels=ready.get("private_channels", []),
        )
        if shard:
            ready["shard"] = list(shard)
        session.emit("READY", ready)
        for guild in self._guild_payloads():
            if session.wants("GUILD_CREATE", guild):
                session.emit("GUILD_CREATE", guild)
        conn.then(self._mark_ready)

    def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
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


def _decode(text: str) -> dict[str, Any] | None:
    try:
        payload = json.loads(text)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _holds(shard: tuple[int, int] | None, guild_id: int | str) -> bool:
    return shard is None or shard_for(guild_id, shard[1]) == shard[0]


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
