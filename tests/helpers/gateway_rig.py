"""A bare fakediscord gateway hub with just enough REST for discord.py to log in: the gateway tests' rig."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord
from aiohttp import web

from bot.transport import point_discord_at
from fakediscord.gateway import GatewayHub
from fakediscord.world import DEFAULT_EVERYONE_PERMISSIONS, Channel, Guild, Member, Role, User

TOKEN = "fake.bot.token"
BOT_ID = 1_100_000_000_000_000_001
APP_ID = BOT_ID
OWNER_ID = 1_100_000_000_000_000_002
GUILD_ID = 1_200_000_000_000_000_001
OTHER_GUILD_ID = GUILD_ID + (1 << 22)  # on the other shard when there are two
FAN_ID = 1_300_000_000_000_000_001

BOT_USER = User(BOT_ID, "marquee", bot=True).payload()


def _guild(guild_id: int, name: str) -> Guild:
    """A guild built by the fake's own world model, so the rig's payloads have Discord's shapes too."""
    guild = Guild(guild_id, name, OWNER_ID)
    guild.roles[guild_id] = Role(guild_id, guild_id, "@everyone", DEFAULT_EVERYONE_PERMISSIONS)
    fan = User(FAN_ID, "namra_fan", global_name="Nam-ra fan")
    guild.members[FAN_ID] = Member(fan, guild_id, joined_at=datetime(2026, 1, 2, tzinfo=UTC))
    return guild


def guild_payload(guild_id: int, name: str) -> dict[str, Any]:
    """A GUILD_CREATE object as Discord sends it to a bot with only the guilds intent."""
    guild = _guild(guild_id, name)
    guild.channels[guild_id + 10] = Channel(guild_id + 10, guild, "general", position=0)
    return {**guild.create_payload(), "member_count": 2, "joined_at": "2026-01-01T00:00:00+00:00"}


def channel_payload(channel_id: int, guild_id: int = GUILD_ID, name: str = "news") -> dict[str, Any]:
    return Channel(channel_id, _guild(guild_id, ""), name, position=0).payload()


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


@contextlib.asynccontextmanager
async def running_rig() -> AsyncIterator[Rig]:
    """A gateway hub and the two REST routes discord.py needs to log in, on loopback; torn down after."""
    guilds = [guild_payload(GUILD_ID, "Hyosan High fans"), guild_payload(OTHER_GUILD_ID, "K-drama club")]
    hub = GatewayHub(
        token=TOKEN,
        ready_data=lambda: {
            "user": {**BOT_USER, "verified": True, "mfa_enabled": False, "locale": "en-US"},
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


async def fault_then_resume(rig: Rig, fault: Callable[[], Awaitable[None]]) -> RecordingClient:
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
