"""fakediscord's gateway protocol seen from a raw socket: frames, close codes, intents, shards and limits."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from fakediscord.gateway import zlib_frames
from fakediscord.world import User
from tests.helpers.gateway_rig import (
    BOT_USER,
    FAN_ID,
    GUILD_ID,
    OTHER_GUILD_ID,
    TOKEN,
    Rig,
    channel_payload,
)


async def _recv(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    msg = await ws.receive(timeout=5)
    assert msg.type is aiohttp.WSMsgType.TEXT, msg
    payload: dict[str, Any] = json.loads(msg.data)
    return payload


async def _close_code(ws: aiohttp.ClientWebSocketResponse) -> int | None:
    while True:
        msg = await ws.receive(timeout=5)
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return ws.close_code


def _identify(token: str = TOKEN, intents: int = 1) -> str:
    return json.dumps({"op": 2, "d": {"token": token, "intents": intents, "properties": {}}})


async def test_hello_ready_sequence_and_ack(rig: Rig) -> None:
    """HELLO carries the interval; READY and GUILD_CREATEs are numbered from 1; a heartbeat is acked."""
    ws = await rig.raw()
    hello = await _recv(ws)
    assert hello == {"op": 10, "d": {"heartbeat_interval": 41250}}
    await ws.send_str(_identify())
    ready = await _recv(ws)
    assert (ready["t"], ready["s"]) == ("READY", 1)
    assert ready["d"]["resume_gateway_url"] == rig.hub.public_url
    assert ready["d"]["v"] == 10
    creates = [await _recv(ws), await _recv(ws)]
    assert [(p["t"], p["s"]) for p in creates] == [("GUILD_CREATE", 2), ("GUILD_CREATE", 3)]
    await ws.send_str(json.dumps({"op": 1, "d": 3}))
    assert await _recv(ws) == {"op": 11}


async def test_zlib_stream_frames_end_with_sync_flush(rig: Rig) -> None:
    """Every zlib-stream frame ends with 00 00 ff ff and one shared stream inflates to HELLO then READY."""
    ws = await rig.raw("v=10&encoding=json&compress=zlib-stream")
    frames = [(await ws.receive(timeout=5)).data]
    await ws.send_str(_identify())
    frames.append((await ws.receive(timeout=5)).data)
    assert all(isinstance(f, bytes) and f.endswith(b"\x00\x00\xff\xff") for f in frames)
    hello, ready = (json.loads(m) for m in zlib_frames(frames))
    assert hello["op"] == 10
    assert ready["t"] == "READY"


async def test_zstd_stream_is_refused_clearly(rig: Rig) -> None:
    """A client asking for zstd-stream is refused at the handshake rather than sent frames it cannot read."""
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await rig.raw("v=10&encoding=json&compress=zstd-stream")
    assert refused.value.status == 400


@pytest.mark.parametrize(
    ("first", "then", "code"),
    [
        ({"op": 3, "d": {"status": "online"}}, None, 4003),
        ({"op": 99, "d": None}, None, 4001),
        (None, {"op": 2, "d": {"token": TOKEN, "intents": 1, "properties": {}}}, 4005),
        ({"op": 2, "d": {"token": "wrong", "intents": 1, "properties": {}}}, None, 4004),
        ({"op": 2, "d": {"token": TOKEN, "properties": {}}}, None, 4013),
        ({"op": 2, "d": {"token": TOKEN, "intents": 1, "properties": {}, "shard": [2, 2]}}, None, 4010),
    ],
    ids=["before-identify", "unknown-op", "second-identify", "bad-token", "no-intents", "bad-shard"],
)
async def test_protocol_errors_close_with_discords_codes(
    rig: Rig, first: dict[str, Any] | None, then: dict[str, Any] | None, code: int
) -> None:
    """Payloads Discord refuses close the socket with Discord's close code."""
    ws = await rig.raw()
    await _recv(ws)
    if first is None:
        await ws.send_str(_identify())
        await _recv(ws)
    await ws.send_str(json.dumps(first if first is not None else then))
    assert await _close_code(ws) == code


async def test_wrong_api_version_is_closed_4012(rig: Rig) -> None:
    """A client speaking another gateway version is told so with 4012."""
    ws = await rig.raw("v=9&encoding=json")
    assert await _close_code(ws) == 4012


async def test_resume_of_unknown_session_is_invalid(rig: Rig) -> None:
    """RESUME with a session the gateway never issued answers op 9 d=false."""
    ws = await rig.raw()
    await _recv(ws)
    await ws.send_str(json.dumps({"op": 6, "d": {"token": TOKEN, "session_id": "nope", "seq": 3}}))
    assert await _recv(ws) == {"op": 9, "d": False}


async def test_events_without_their_intent_are_withheld(rig: Rig) -> None:
    """A bot without the guild messages intent is not sent MESSAGE_CREATE, as on Discord."""
    ws = await rig.raw()
    await _recv(ws)
    await ws.send_str(_identify(intents=1))
    for _ in range(3):
        await _recv(ws)
    rig.hub.dispatch("MESSAGE_CREATE", {"id": "1", "channel_id": "2", "guild_id": str(GUILD_ID)})
    rig.hub.dispatch("CHANNEL_CREATE", channel_payload(8))
    event = await _recv(ws)
    assert (event["t"], event["s"]) == ("CHANNEL_CREATE", 4)


@pytest.mark.parametrize(("close_code", "answer"), [(1000, "op 9"), (4000, "RESUMED")])
async def test_a_client_close_1000_ends_its_session(rig: Rig, close_code: int, answer: str) -> None:
    """A client leaving with 1000 cannot resume afterwards; one that closed with 4000 can."""
    ws = await rig.raw()
    await _recv(ws)
    await ws.send_str(_identify())
    session_id = (await _recv(ws))["d"]["session_id"]
    await _recv(ws)
    await _recv(ws)
    await ws.close(code=close_code)
    await rig.hub.wait_until(lambda: rig.hub.connected == 0)
    again = await rig.raw()
    await _recv(again)
    await again.send_str(json.dumps({"op": 6, "d": {"token": TOKEN, "session_id": session_id, "seq": 3}}))
    reply = await _recv(again)
    assert ("op 9" if reply["op"] == 9 else reply["t"]) == answer


async def test_a_shard_gets_only_its_guilds(rig: Rig) -> None:
    """A bot identifying as shard 1 of 2 is told about, and sent events for, its own guilds only."""
    ws = await rig.raw()
    await _recv(ws)
    await ws.send_str(json.dumps({"op": 2, "d": {"token": TOKEN, "intents": 1, "properties": {}, "shard": [1, 2]}}))
    ready = await _recv(ws)
    assert ready["d"]["shard"] == [1, 2]
    assert [g["id"] for g in ready["d"]["guilds"]] == [str(GUILD_ID)]
    assert (await _recv(ws))["d"]["id"] == str(GUILD_ID)
    rig.hub.dispatch("CHANNEL_CREATE", channel_payload(31, OTHER_GUILD_ID))
    rig.hub.dispatch("CHANNEL_CREATE", channel_payload(32, GUILD_ID))
    event = await _recv(ws)
    assert (event["d"]["id"], event["s"]) == ("32", 3)


async def test_too_many_payloads_close_4008(rig: Rig) -> None:
    """A client sending more than 120 payloads a minute is closed with 4008, as Discord does."""
    ws = await rig.raw()
    await _recv(ws)
    for _ in range(121):
        await ws.send_str(json.dumps({"op": 1, "d": None}))
    assert await _close_code(ws) == 4008


async def test_member_request_is_answered_with_a_chunk(rig: Rig) -> None:
    """REQUEST_GUILD_MEMBERS gets the matching members and names the ids that are not in the guild."""
    ws = await rig.raw()
    await _recv(ws)
    await ws.send_str(_identify())
    for _ in range(3):
        await _recv(ws)
    request = {"guild_id": str(GUILD_ID), "user_ids": [str(FAN_ID), "42"], "limit": 0, "nonce": "n1"}
    await ws.send_str(json.dumps({"op": 8, "d": request}))
    chunk = await _recv(ws)
    assert chunk["t"] == "GUILD_MEMBERS_CHUNK"
    assert [m["user"]["id"] for m in chunk["d"]["members"]] == [str(FAN_ID)]
    assert (chunk["d"]["not_found"], chunk["d"]["nonce"]) == (["42"], "n1")


@pytest.mark.parametrize(
    ("intents", "mentions", "content"),
    [(1 | 1 << 9, [], ""), (1 | 1 << 9 | 1 << 15, [], "Nam-ra is back"), (1 | 1 << 9, [BOT_USER], "Nam-ra is back")],
    ids=["no-content-intent", "content-intent", "mentioned"],
)
async def test_message_content_needs_its_intent(
    rig: Rig, intents: int, mentions: list[dict[str, Any]], content: str
) -> None:
    """Without the message content intent a guild message arrives blank unless it mentions the bot."""
    ws = await rig.raw()
    await _recv(ws)
    await ws.send_str(_identify(intents=intents))
    for _ in range(3):
        await _recv(ws)
    message = {
        "id": "77",
        "channel_id": str(GUILD_ID + 10),
        "guild_id": str(GUILD_ID),
        "author": User(FAN_ID, "namra_fan").payload(),
        "content": "Nam-ra is back",
        "embeds": [{"type": "rich", "title": "Season 2"}],
        "mentions": mentions,
        "mention_roles": [],
        "mention_everyone": False,
        "attachments": [],
        "components": [],
        "timestamp": "2026-01-03T00:00:00+00:00",
        "edited_timestamp": None,
        "flags": 0,
        "pinned": False,
        "tts": False,
        "type": 0,
    }
    rig.hub.dispatch("MESSAGE_CREATE", message)
    event = await _recv(ws)
    assert event["d"]["content"] == content
    assert bool(event["d"]["embeds"]) == bool(content)
