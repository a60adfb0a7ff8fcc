"""fakediscord's gateway, driven by the real discord.py client (and, for protocol errors, by a raw socket)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
import pytest
from aiohttp import web
from discord.gateway import DiscordWebSocket

from bot.transport import point_discord_at
from fakediscord.gateway import GatewayHub, zlib_frames

TOKEN = "fake.bot.token"
BOT_ID = 1_100_000_000_000_000_001
APP_ID = BOT_ID
OWNER_ID = 1_100_000_000_000_000_002
GUILD_ID = 1_200_000_000_000_000_001
OTHER_GUILD_ID = GUILD_ID + (1 << 22)  # on the other shard when there are two
FAN_ID = 1_300_000_000_000_000_001

BOT_USER = {
    "id": str(BOT_ID),
    "username": "marquee",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}


def guild_payload(guild_id: int, name: str) -> dict[str, Any]:
    """A GUILD_CREATE object as Discord sends it to a bot with only the guilds intent."""
    return {
        "id": str(guild_id),
        "name": name,
        "icon": None,
        "owner_id": str(OWNER_ID),
        "unavailable": False,
        "large": False,
        "member_count": 2,
        "joined_at": "2026-01-01T00:00:00+00:00",
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": [
            {
                "id": str(guild_id),
                "name": "@everyone",
                "permissions": "1071698660929",
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
            }
        ],
        "channels": [channel_payload(guild_id + 10, guild_id, "general")],
        "threads": [],
        "members": [
            {
                "user": {"id": str(FAN_ID), "username": "namra_fan", "discriminator": "0", "avatar": None},
                "roles": [],
                "joined_at": "2026-01-02T00:00:00+00:00",
                "deaf": False,
                "flags": 0,
                "mute": False,
            }
        ],
        "voice_states": [],
        "presences": [],
        "premium_tier": 0,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
        "preferred_locale": "en-US",
        "afk_timeout": 300,
    }


def channel_payload(channel_id: int, guild_id: int = GUILD_ID, name: str = "news") -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


class RecordingClient(discord.Client):
    """The real client with only the guilds intent, remembering the channels it was told about."""

    def __init__(self, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, guild_ready_timeout=0.05, **options)
        self.channels_seen: list[int] = []
        self.resumed_count = 0
        self._seen = asyncio.Event()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each re-IDENTIFY to spare Discord; a local gateway needs no pause."""

    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        self.channels_seen.append(channel.id)
        self._seen.set()

    async def on_resumed(self) -> None:
        self.resumed_count += 1

    async def wait_for_channel(self, channel_id: int) -> None:
        """Until the client has parsed CHANNEL_CREATE for ``channel_id``."""
        async with asyncio.timeout(10):
            while channel_id not in self.channels_seen:
                self._seen.clear()
                await self._seen.wait()


@dataclass
class Rig:
    """fakediscord's gateway plus just enough REST for discord.py to log in, on one loopback port."""

    hub: GatewayHub
    base: str
    guilds: list[dict[str, Any]]
    clients: list[discord.Client] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    sessions: list[aiohttp.ClientSession] = field(default_factory=list)

    async def start(self, token: str = TOKEN, **options: Any) -> tuple[RecordingClient, asyncio.Task[None]]:
        client = RecordingClient(**options)
        self.clients.append(client)
        await client.login(token)
        task = asyncio.create_task(client.connect(reconnect=True))
        self.tasks.append(task)
        return client, task

    async def ready(self, **options: Any) -> RecordingClient:
        client, task = await self.start(**options)
        ready = asyncio.create_task(client.wait_until_ready())
        await asyncio.wait({ready, task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # the client stopped: show why
        assert ready.done(), "the client never became ready"
        return client

    async def channel_round_trip(self, client: RecordingClient, channel_id: int) -> None:
        """Dispatch a CHANNEL_CREATE and wait for the client to parse it: everything before it arrived too."""
        self.hub.dispatch("CHANNEL_CREATE", channel_payload(channel_id))
        await client.wait_for_channel(channel_id)

    async def raw(self, query: str = "v=10&encoding=json") -> aiohttp.ClientWebSocketResponse:
        session = aiohttp.ClientSession()
        self.sessions.append(session)
        return await session.ws_connect(f"{self.base}/gateway?{query}")


def _json(data: dict[str, Any]) -> web.Response:
    """discord.py only parses bodies whose Content-Type is exactly application/json, as Discord sends."""
    return web.Response(body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})


async def _users_me(_: web.Request) -> web.Response:
    return _json(BOT_USER)


async def _application(_: web.Request) -> web.Response:
    return _json(
        {
            "id": str(APP_ID),
            "name": "Marquee",
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": {**BOT_USER, "id": str(OWNER_ID), "username": "owner", "bot": False},
            "verify_key": "00",
            "flags": 0,
        }
    )


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    guilds = [guild_payload(GUILD_ID, "Hyosan High fans"), guild_payload(OTHER_GUILD_ID, "K-drama club")]
    hub = GatewayHub(
        token=TOKEN,
        ready_data=lambda: {
            "user": BOT_USER,
            "application": {"id": str(APP_ID), "flags": 0},
            "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
        },
        guild_payloads=lambda: guilds,
    )
    app = web.Application()
    app.router.add_get("/api/v10/users/@me", _users_me)
    app.router.add_get("/api/v10/oauth2/applications/@me", _application)
    app.router.add_get("/gateway", hub.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    base = f"http://127.0.0.1:{port}"
    hub.public_url = f"ws://127.0.0.1:{port}/gateway"
    point_discord_at(f"{base}/api/v10", hub.public_url)
    rig = Rig(hub=hub, base=base, guilds=guilds)
    try:
        yield rig
    finally:
        for client in rig.clients:
            await client.close()
        for task in rig.tasks:
            with contextlib.suppress(Exception):
                await task
        for session in rig.sessions:
            await session.close()
        await hub.shutdown()
        await runner.cleanup()
        point_discord_at()


async def _fault_then_resume(rig: Rig, fault: Callable[[], Awaitable[None]]) -> RecordingClient:
    """Run a fault while the bot is kept off the gateway, dispatch events meanwhile, then let it back in."""
    client = await rig.ready()
    await rig.channel_round_trip(client, 1)
    rig.hub.hold_connections()
    await fault()
    for channel_id in (2, 3, 4):
        rig.hub.dispatch("CHANNEL_CREATE", channel_payload(channel_id))
    rig.hub.release_connections()
    await rig.hub.wait_for_resume(1)
    await rig.channel_round_trip(client, 5)
    return client


# --- the real client ----------------------------------------------------------------------------------


async def test_ready_and_guild_creates_fill_the_clients_guilds(rig: Rig) -> None:
    """After connecting, the bot knows both guilds, their names and channels, and its own user."""
    client = await rig.ready()
    assert sorted(g.id for g in client.guilds) == [GUILD_ID, OTHER_GUILD_ID]
    guild = client.get_guild(GUILD_ID)
    assert guild is not None and guild.name == "Hyosan High fans"
    assert [c.name for c in guild.text_channels] == ["general"]
    assert client.user is not None and client.user.id == BOT_ID
    assert rig.hub.identifies == 1
    assert rig.hub.intents == discord.Intents(guilds=True).value


async def test_client_uses_zlib_stream_by_default(rig: Rig) -> None:
    """discord.py asks for zlib-stream and parses the compressed frames it gets back."""
    client = await rig.ready()
    await rig.channel_round_trip(client, 7)
    assert rig.hub.compressions == ["zlib-stream"]


async def test_plain_json_frames_work(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a compress parameter the gateway answers in plain text frames the client parses."""
    original = DiscordWebSocket.from_client.__func__  # type: ignore[attr-defined]

    async def uncompressed(cls: type[DiscordWebSocket], client: discord.Client, **kwargs: Any) -> Any:
        return await original(cls, client, **kwargs, compress=False)

    monkeypatch.setattr(DiscordWebSocket, "from_client", classmethod(uncompressed))
    client = await rig.ready()
    await rig.channel_round_trip(client, 7)
    assert rig.hub.compressions == [None]
    assert len(client.guilds) == 2


async def test_close_4000_resumes_and_replays_missed_events(rig: Rig) -> None:
    """After a 4000 close the bot resumes and sees every event sent while it was away, exactly once."""
    client = await _fault_then_resume(rig, lambda: rig.hub.close(4000))
    assert client.channels_seen == [1, 2, 3, 4, 5]
    assert (rig.hub.identifies, rig.hub.resumes) == (1, 1)
    assert client.resumed_count == 1
    assert [e.op for e in rig.hub.log if e.direction == "in" and e.op in (2, 6)] == [2, 6]


async def test_a_replayed_event_is_the_event_as_it_happened(rig: Rig) -> None:
    """What the bot gets on RESUME is the event as dispatched, even if the world changed it since."""
    client = await rig.ready()
    rig.hub.hold_connections()
    await rig.hub.drop()
    created = channel_payload(21, name="episode-1")
    rig.hub.dispatch("CHANNEL_CREATE", created)
    created["name"] = "renamed-later"
    rig.hub.release_connections()
    await client.wait_for_channel(21)
    channel = client.get_channel(21)
    assert isinstance(channel, discord.TextChannel) and channel.name == "episode-1"


async def test_dropped_tcp_resumes_and_replays_missed_events(rig: Rig) -> None:
    """A connection cut with no close frame is resumed with nothing missed and nothing doubled."""
    client = await _fault_then_resume(rig, rig.hub.drop)
    assert client.channels_seen == [1, 2, 3, 4, 5]
    assert (rig.hub.identifies, rig.hub.resumes) == (1, 1)


async def test_op7_reconnect_resumes(rig: Rig) -> None:
    """RECONNECT makes the bot come back on the resume URL with the same session."""
    client = await _fault_then_resume(rig, rig.hub.reconnect)
    assert client.channels_seen == [1, 2, 3, 4, 5]
    assert (rig.hub.identifies, rig.hub.resumes) == (1, 1)


async def test_resumable_invalid_session_resumes(rig: Rig) -> None:
    """op 9 with d=true is followed by a RESUME that replays the missed events."""
    client = await _fault_then_resume(rig, lambda: rig.hub.invalidate(True))
    assert client.channels_seen == [1, 2, 3, 4, 5]
    assert (rig.hub.identifies, rig.hub.resumes) == (1, 1)


async def test_non_resumable_invalid_session_reidentifies(rig: Rig) -> None:
    """op 9 with d=false makes the bot IDENTIFY afresh; the guilds come back in the new READY."""
    client = await rig.ready()
    await rig.hub.invalidate(False)
    await rig.hub.wait_for_identify(2)
    await rig.channel_round_trip(client, 9)
    assert rig.hub.resumes == 0
    assert sorted(g.id for g in client.guilds) == [GUILD_ID, OTHER_GUILD_ID]


async def test_expired_session_events_are_not_replayed(rig: Rig) -> None:
    """Events kept for a session that expired are lost: the RESUME gets op 9 and the bot re-identifies."""
    client = await rig.ready()
    await rig.channel_round_trip(client, 1)
    rig.hub.hold_connections()
    await rig.hub.close(4000)
    rig.hub.dispatch("CHANNEL_CREATE", channel_payload(2))
    rig.hub.expire_sessions()
    rig.hub.release_connections()
    await rig.hub.wait_for_identify(2)
    await rig.channel_round_trip(client, 3)
    assert client.channels_seen == [1, 3]
    assert rig.hub.resumes == 0


async def test_session_timed_out_close_reidentifies(rig: Rig) -> None:
    """A 4009 close ends the session on the server, so the bot's RESUME fails and it re-identifies."""
    client = await rig.ready()
    await rig.hub.close(4009)
    await rig.hub.wait_for_identify(2)
    await rig.channel_round_trip(client, 3)
    assert rig.hub.resumes == 0


async def test_unacknowledged_heartbeats_make_the_client_reconnect(rig: Rig) -> None:
    """When heartbeats go unanswered the bot treats the connection as dead and resumes on a new one."""
    rig.hub.heartbeat_interval = 0.05
    client = await rig.ready(heartbeat_timeout=0.5)
    rig.hub.set_ack_heartbeats(False)
    await rig.hub.wait_for_resume(1)
    rig.hub.set_ack_heartbeats(True)
    await rig.channel_round_trip(client, 11)
    assert rig.hub.identifies == 1
    assert rig.hub.connections >= 2


async def test_server_requested_heartbeat_is_answered(rig: Rig) -> None:
    """An op 1 from the gateway gets an immediate heartbeat back from the bot."""
    await rig.ready()
    before = rig.hub.heartbeats
    await rig.hub.request_heartbeat()
    await rig.hub.wait_until(lambda: rig.hub.heartbeats > before)
    assert rig.hub.connections == 1


async def test_bad_token_is_fatal(rig: Rig) -> None:
    """A wrong token is closed with 4004 and the client gives up instead of reconnecting forever."""
    _, task = await rig.start(token="not.the.token")
    with pytest.raises(discord.ConnectionClosed) as closed:
        await asyncio.wait_for(task, timeout=10)
    assert closed.value.code == 4004
    assert rig.hub.identifies == 0
    assert rig.hub.connections == 1


# --- the protocol, seen from a raw socket --------------------------------------------------------------


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
        "author": {"id": str(FAN_ID), "username": "namra_fan"},
        "content": "Nam-ra is back",
        "embeds": [{"title": "Season 2"}],
        "mentions": mentions,
    }
    rig.hub.dispatch("MESSAGE_CREATE", message)
    event = await _recv(ws)
    assert event["d"]["content"] == content
    assert bool(event["d"]["embeds"]) == bool(content)
