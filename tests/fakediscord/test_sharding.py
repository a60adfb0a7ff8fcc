"""Sharding against fakediscord: who gets which guild, /gateway/bot, and the close codes and pacing of IDENTIFY."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest

from fakediscord.gateway import shard_for
from fakediscord.gateway_protocol import DIRECT_MESSAGES, GUILDS
from fakediscord.server import FakeDiscord
from fakediscord.world import Guild, Message
from tests.helpers.rawapi import call

SHARDS = 4


class ShardBot(discord.AutoShardedClient):
    """A sharded bot that records the messages it hears, and identifies its shards as fast as its
    ``max_concurrency`` allows (the fake gives every shard its own bucket), instead of discord.py's 5 s apart."""

    def __init__(self, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents, guild_ready_timeout=0.05, **options)
        self.heard: list[str] = []
        self._heard = asyncio.Event()
        self.tree = discord.app_commands.CommandTree(self)

        @self.tree.command(name="whoami", description="Which process answers")
        async def whoami(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"process for shards {self.shard_ids}")

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Every shard is in its own identify bucket here, so none waits for another."""

    async def on_message(self, message: discord.Message) -> None:
        self.heard.append(message.content)
        self._heard.set()

    async def hear(self, content: str) -> None:
        async with asyncio.timeout(10):
            while content not in self.heard:
                self._heard.clear()
                await self._heard.wait()


@contextlib.asynccontextmanager
async def connected(fd: FakeDiscord, **options: Any) -> AsyncIterator[ShardBot]:
    """A ShardBot logged in and ready against the fake; closed after."""
    bot = ShardBot(**options)
    await bot.login(fd.token)
    task = asyncio.create_task(bot.connect(reconnect=False))
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        await asyncio.wait({ready, task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
        assert ready.done(), "the sharded bot never became ready"
        yield bot
    finally:
        ready.cancel()
        await bot.close()
        with contextlib.suppress(Exception):
            await task


def guilds_over_shards(fd: FakeDiscord, shards: int, at_least: int) -> dict[int, list[Guild]]:
    """Guilds until every shard holds ``at_least`` (ids carry their creation millisecond, so they spread)."""
    by_shard: dict[int, list[Guild]] = {s: [] for s in range(shards)}
    while min(len(g) for g in by_shard.values()) < at_least:
        guild = fd.add_guild(f"Fan club {sum(len(g) for g in by_shard.values())}")
        by_shard[shard_for(guild.id, shards)].append(guild)
        assert sum(len(g) for g in by_shard.values()) < 5000, "guild ids did not spread over the shards"
    return by_shard


async def identify(
    fd: FakeDiscord, session: aiohttp.ClientSession, shard: list[int] | None
) -> tuple[aiohttp.ClientWebSocketResponse, dict[str, Any]]:
    """Open a raw gateway socket, IDENTIFY (as ``shard`` when given) and return the first answer or close."""
    ws = await session.ws_connect(f"{fd.gateway_url}?v=10&encoding=json")
    hello = await ws.receive_json(timeout=5)
    assert hello["op"] == 10
    data: dict[str, Any] = {"token": fd.token, "intents": GUILDS | DIRECT_MESSAGES, "properties": {}}
    if shard is not None:
        data["shard"] = shard
    await ws.send_str(json.dumps({"op": 2, "d": data}))
    msg = await ws.receive(timeout=5)
    if msg.type is aiohttp.WSMsgType.TEXT:
        answer: dict[str, Any] = json.loads(msg.data)
        return ws, answer
    return ws, {"close": ws.close_code}


async def test_four_shards_each_get_exactly_their_guilds_and_messages(fake_discord: FakeDiscord) -> None:
    """Four bot processes running one shard each see only their own servers, and a message reaches only the
    process whose shard holds its server."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = SHARDS
    by_shard = guilds_over_shards(fd, SHARDS, at_least=2)
    fan = fd.add_user("namra_fan")
    async with contextlib.AsyncExitStack() as stack:
        bots = [
            await stack.enter_async_context(connected(fd, shard_ids=[s], shard_count=SHARDS)) for s in range(SHARDS)
        ]
        for shard, bot in enumerate(bots):
            assert sorted(g.id for g in bot.guilds) == sorted(g.id for g in by_shard[shard])
        for shard in range(SHARDS):
            fd.post(fd.general(by_shard[shard][0]), fan, f"hello shard {shard}")
        for shard, bot in enumerate(bots):
            await bot.hear(f"hello shard {shard}")
        assert [bot.heard for bot in bots] == [[f"hello shard {s}"] for s in range(SHARDS)]
    assert fd.hub.identifies == SHARDS


async def test_a_servers_command_is_answered_by_the_process_holding_its_shard(fake_discord: FakeDiscord) -> None:
    """With two processes of one shard each, a slash command in a server is answered by the process whose
    shard holds that server, and by it alone."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = 2
    by_shard = guilds_over_shards(fd, 2, at_least=1)
    fan = fd.add_user("namra_fan")
    for shard in (0, 1):
        fd.add_member(by_shard[shard][0], fan)
    async with connected(fd, shard_ids=[0], shard_count=2) as first, connected(fd, shard_ids=[1], shard_count=2):
        await first.tree.sync()
        for shard in (0, 1):
            handle = await fd.invoke("whoami", user=fan, in_channel=fd.general(by_shard[shard][0]))
            assert (await handle.response()).content == f"process for shards [{shard}]"
    assert len(fd.requests("POST", "/interactions/*/callback")) == 2


async def test_auto_sharded_client_connects_the_recommended_shards(fake_discord: FakeDiscord) -> None:
    """An AutoShardedClient asks /gateway/bot how many shards to run, connects that many, and knows every server."""
    fd = fake_discord
    starts = fd.ratelimits.session_starts
    starts.guilds_per_recommended_shard = 3
    starts.max_concurrency = SHARDS
    every = [fd.add_guild(f"Fan club {n}").id for n in range(10)]
    gateway = await call(fd, "GET", "/gateway/bot")
    assert gateway.body["shards"] == SHARDS
    async with connected(fd) as bot:
        assert bot.shard_count == SHARDS
        assert sorted(bot.shards) == list(range(SHARDS))
        assert sorted(g.id for g in bot.guilds) == sorted(every)
        assert sorted(s.shard[0] for s in fd.hub.sessions.values() if s.shard) == list(range(SHARDS))


async def test_gateway_bot_counts_down_session_starts(
    fake_discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    """/gateway/bot recommends one shard for a small bot and shows one fewer session start after each IDENTIFY."""
    fd = fake_discord
    fd.add_guild("AOUAD Fans")
    before = (await call(fd, "GET", "/gateway/bot")).body
    assert before["shards"] == 1
    assert before["session_start_limit"] == {
        "total": 1000,
        "remaining": 1000,
        "reset_after": 86_400_000,
        "max_concurrency": 1,
    }
    _, ready = await identify(fd, session, None)
    assert ready["t"] == "READY" and "shard" not in ready["d"]
    after = (await call(fd, "GET", "/gateway/bot")).body["session_start_limit"]
    assert after["remaining"] == 999 and 0 < after["reset_after"] <= 86_400_000


@pytest.mark.parametrize("shard", [[2, 2], [0, 0], [-1, 2]], ids=["id-past-count", "no-shards", "negative"])
async def test_invalid_shard_closes_4010(
    fake_discord: FakeDiscord, session: aiohttp.ClientSession, shard: list[int]
) -> None:
    """A bot identifying with a shard that cannot exist is disconnected with 4010 (invalid shard)."""
    _, answer = await identify(fake_discord, session, shard)
    assert answer == {"close": 4010}


async def test_invalid_shard_stops_a_discord_py_bot(fake_discord: FakeDiscord) -> None:
    """discord.py given a shard id past its shard count stops with 4010 instead of retrying forever."""
    client = discord.Client(intents=discord.Intents.none(), shard_id=3, shard_count=2)
    await client.login(fake_discord.token)
    try:
        with pytest.raises(discord.ConnectionClosed) as closed:
            async with asyncio.timeout(10):
                await client.connect(reconnect=True)
        assert closed.value.code == 4010
    finally:
        await client.close()


async def test_too_many_guilds_on_one_shard_closes_4011(fake_discord: FakeDiscord) -> None:
    """A bot in more servers than one shard may hold is told sharding is required (4011) and stops; under the
    ceiling the same servers connect."""
    fd = fake_discord
    fd.ratelimits.session_starts.guilds_per_shard = 2
    for name in ("AOUAD Fans", "K-drama club", "Hyosan High"):
        fd.add_guild(name)
    client = discord.Client(intents=discord.Intents.none())
    await client.login(fd.token)
    try:
        with pytest.raises(discord.ConnectionClosed) as closed:
            async with asyncio.timeout(10):
                await client.connect(reconnect=True)
        assert closed.value.code == 4011
    finally:
        await client.close()
    fd.ratelimits.session_starts.guilds_per_shard = 3
    async with connected(fd, shard_count=1) as bot:
        assert len(bot.guilds) == 3


async def test_identify_beyond_max_concurrency_is_invalidated(
    fake_discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    """With max_concurrency 2, shards 0 and 1 start together, while 2 and 3 (the same buckets) get op 9 (invalid
    session) and no READY until 5 s have passed."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = 2
    fd.add_guild("AOUAD Fans")
    answers = [(await identify(fd, session, [s, 4]))[1] for s in range(4)]
    assert [a.get("t") for a in answers[:2]] == ["READY", "READY"]
    assert answers[2:] == [{"op": 9, "d": False}] * 2
    fd.clock.advance(5)
    retried = [(await identify(fd, session, [s, 4]))[1] for s in (2, 3)]
    assert [(a["t"], a["d"]["shard"]) for a in retried] == [("READY", [2, 4]), ("READY", [3, 4])]
    assert (await call(fd, "GET", "/gateway/bot")).body["session_start_limit"]["remaining"] == 1000 - 4


async def test_direct_messages_reach_shard_zero_only(fake_discord: FakeDiscord, session: aiohttp.ClientSession) -> None:
    """A direct message to a sharded bot arrives on shard 0 and on no other shard."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = 2
    zero, _ = await identify(fd, session, [0, 2])
    one, _ = await identify(fd, session, [1, 2])
    dm = fd.world.message_payload(Message(91, 90, None, fd.add_user("fan"), content="hi"))  # as Discord sends it
    fd.dispatch("MESSAGE_CREATE", dm)
    fd.dispatch("USER_UPDATE", {"id": str(fd.bot_user.id), "username": "Marquee"})
    assert (await zero.receive_json(timeout=5))["t"] == "MESSAGE_CREATE"
    assert (await zero.receive_json(timeout=5))["t"] == "USER_UPDATE"
    assert (await one.receive_json(timeout=5))["t"] == "USER_UPDATE"


async def test_spent_session_starts_fail_the_next_identify(
    fake_discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    """A bot that has spent its session starts for the day cannot connect again: its IDENTIFY closes with 4004, as
    Discord resets the token of a bot that does."""
    fd = fake_discord
    fd.ratelimits.session_starts.total = 1
    assert (await identify(fd, session, None))[1]["t"] == "READY"
    fd.clock.advance(5)
    assert (await identify(fd, session, None))[1] == {"close": 4004}
    assert (await call(fd, "GET", "/gateway/bot")).body["session_start_limit"]["remaining"] == 0
