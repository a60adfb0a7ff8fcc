"""Cluster mode's gateway half: each Marquee process connects the shards SHARD_COUNT/SHARD_IDS name and answers
the servers on them, end to end through the real discord.py client and fakediscord (which shards as Discord does)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path

import discord
import pytest

import db.feeds as store
from bot.bot import Marquee, ShardedMarquee
from bot.runner import running_bot
from db import Database
from fakediscord.server import FakeDiscord
from tests.helpers.listeners import handled
from tests.helpers.marquee import Server, fan_server, marquee_settings
from tests.helpers.shards import guilds_on_shards


async def test_each_process_answers_only_the_servers_on_its_shard(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """With SHARD_COUNT=2, the process running shard 1 answers /about in a server on shard 1 and the process
    running shard 0 never sees it; each process holds only its own shard's servers."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = 2  # two identify buckets: neither process waits 5 s
    by_shard = guilds_on_shards(fd, 2, at_least=2)
    fan = fd.add_user("namra_fan")
    for guilds in by_shard.values():
        fd.add_member(guilds[0], fan)
    caplog.set_level(logging.INFO, logger="bot")
    heard: dict[int, list[int]] = {0: [], 1: []}
    async with contextlib.AsyncExitStack() as stack:
        bots = []
        for shard in (0, 1):
            settings = marquee_settings(fd, tmp_path, SHARD_COUNT="2", SHARD_IDS=str(shard))
            bot = await stack.enter_async_context(running_bot(settings, guild_ready_timeout=0.05))

            async def record(interaction: discord.Interaction, shard: int = shard) -> None:
                heard[shard].append(interaction.id)

            bot.add_listener(record, "on_interaction")
            bots.append(bot)
        for shard, bot in enumerate(bots):
            assert isinstance(bot, ShardedMarquee)
            assert sorted(bot.shards) == [shard] and bot.shard_count == 2
            assert sorted(g.id for g in bot.guilds) == sorted(g.id for g in by_shard[shard])

        handle = await fd.invoke("about", user=fan, in_channel=fd.general(by_shard[1][0]))
        reply = await handle.response()
        assert reply.embeds[0]["title"] == "Marquee"
        assert heard == {0: [], 1: [handle.id]}

        handle = await fd.invoke("about", user=fan, in_channel=fd.general(by_shard[0][0]))
        await handle.response()
        assert heard[0] == [handle.id] and len(heard[1]) == 1
        assert sorted(s.shard for s in fd.hub.sessions.values() if s.shard) == [(0, 2), (1, 2)]
    assert len(fd.requests("POST", "/interactions/*/callback")) == 2
    assert fd.ratelimits.session_starts.refused == 0
    assert "Connecting shard 0 of 2" in caplog.text and "Connecting shard 1 of 2" in caplog.text
    assert fd.token not in caplog.text


async def test_a_server_on_another_process_shard_keeps_its_setup(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """The process for shard 0 starting alone does not take the servers of shard 1, absent from its READY, for
    servers that removed Marquee: their setup is not paused or counted down to deletion."""
    fd = fake_discord
    by_shard = guilds_on_shards(fd, 2)
    settings = marquee_settings(fd, tmp_path, SHARD_COUNT="2", SHARD_IDS="0")
    async with await Database.open(settings.database_path) as database:
        for guilds in by_shard.values():
            await store.save_guild_settings(
                database, store.GuildFeedSettings(guilds[0].id, ("piracy.example",), (), 0, None)
            )
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        await handled("ready")
        assert sorted(g.id for g in bot.guilds) == sorted(g.id for g in by_shard[0])
        assert await bot.services.housekeeping.departures() == []
    fd.remove_bot(by_shard[0][0])
    fd.clock.advance(5)  # Discord's identify window for shard 0, which this restart would otherwise wait out
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        await handled("ready")
        assert [d.guild_id for d in await bot.services.housekeeping.departures()] == [by_shard[0][0].id]


async def test_one_process_runs_several_shards_as_fast_as_discord_allows(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SHARD_IDS=0-1,3 of 4 connects those three shards and their servers only, identifying shards of different
    buckets together without a refusal, and says so at start-up."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = 4
    by_shard = guilds_on_shards(fd, 4)
    caplog.set_level(logging.INFO, logger="bot")
    settings = marquee_settings(fd, tmp_path, SHARD_COUNT="4", SHARD_IDS="0-1,3")
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert sorted(bot.shards) == [0, 1, 3]
        assert sorted(g.id for g in bot.guilds) == sorted(g.id for s in (0, 1, 3) for g in by_shard[s])
        assert bot.identify_pacer.max_concurrency == 4
        assert sorted(s.shard for s in fd.hub.sessions.values() if s.shard) == [(0, 4), (1, 4), (3, 4)]
    assert fd.ratelimits.session_starts.refused == 0
    assert "Connecting shards 0, 1, 3 of 4" in caplog.text


async def test_a_single_server_install_connects_one_unsharded_session(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    """Without SHARD_COUNT, Marquee is the plain bot it always was: one session, identified without a shard."""
    assert type(server.bot) is Marquee
    assert [s.shard for s in server.fd.hub.sessions.values()] == [None]
    assert server.fd.requests("GET", "*/gateway/bot") == []
    reply = await (await server.fd.invoke("about", user=server.fan, in_channel=server.channel)).response()
    assert reply.embeds[0]["title"] == "Marquee"


async def test_shard_count_one_is_one_shard_holding_every_server(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """SHARD_COUNT=1 connects shard [0, 1], which holds every server and answers in each."""
    guild, fan, _ = fan_server(fake_discord)
    other = fake_discord.add_guild("K-drama club")
    settings = marquee_settings(fake_discord, tmp_path, SHARD_COUNT="1")
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert sorted(g.id for g in bot.guilds) == sorted([guild.id, other.id])
        reply = await (await fake_discord.invoke("about", user=fan, in_channel=fake_discord.general(guild))).response()
        assert reply.embeds[0]["title"] == "Marquee"
        assert [s.shard for s in fake_discord.hub.sessions.values()] == [(0, 1)]


async def test_a_bot_outgrowing_its_shards_stops_saying_to_raise_shard_count(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """When Discord says a shard holds too many servers (close 4011), `python -m bot` exits 2 with one line telling
    the operator to set SHARD_COUNT, instead of a traceback; with SHARD_COUNT=2 the same servers connect."""
    fd = fake_discord
    by_shard = guilds_on_shards(fd, 2)
    fd.ratelimits.session_starts.guilds_per_shard = max(len(guilds) for guilds in by_shard.values())
    fd.ratelimits.session_starts.max_concurrency = 2
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "SHARD_"))},
        "DISCORD_TOKEN": fd.token,
        "DISCORD_API_URL": fd.api_url,
        "DISCORD_GATEWAY_URL": fd.gateway_url,
        "DATABASE_PATH": str(tmp_path / "marquee.db"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 2
    last = stderr.decode().strip().splitlines()[-1]
    assert last.startswith("marquee: error: SHARD_COUNT: Discord requires more shards"), stderr.decode()[-2000:]
    assert "Set SHARD_COUNT" in last and "Traceback" not in stderr.decode()
    settings = marquee_settings(fd, tmp_path, SHARD_COUNT="2")
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert len(bot.guilds) == sum(len(guilds) for guilds in by_shard.values())
