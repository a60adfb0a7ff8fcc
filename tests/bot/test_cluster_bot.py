"""Two Marquee processes on one PostgreSQL database, end to end through fakediscord: they see each other, exactly one
syncs the commands, and when it stops the other takes the lead without syncing again."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import pytest

import db.cluster
from bot.runner import running_bot
from fakediscord.server import FakeDiscord
from tests.helpers.marquee import Server, marquee_settings
from tests.helpers.membership import until
from tests.helpers.shards import guilds_on_shards

COMMANDS_PUT = ("PUT", "*/applications/*/commands")


async def test_two_processes_sync_the_commands_once_and_hand_the_lead_over(
    fake_discord: FakeDiscord, tmp_path: Path, postgres_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Started on one database with a shard each, both processes count two members, only the first (the leader)
    puts the global commands and the second logs that it left the sync to the leader; once the first stops, the
    second leads within a lease period, finds the commands unchanged and puts nothing."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = 2
    guilds_on_shards(fd, 2)
    caplog.set_level(logging.INFO, logger="bot")
    env = {"DATABASE_URL": postgres_database, "SHARD_COUNT": "2", "LEASE_SECONDS": "5"}
    async with contextlib.AsyncExitStack() as outer:
        second = None
        async with contextlib.AsyncExitStack() as stack:
            first = await stack.enter_async_context(
                running_bot(marquee_settings(fd, tmp_path, SHARD_IDS="0", **env), guild_ready_timeout=0.05)
            )
            second = await outer.enter_async_context(
                running_bot(marquee_settings(fd, tmp_path, SHARD_IDS="1", **env), guild_ready_timeout=0.05)
            )
            assert (first.synced, second.synced) == ("global", "leader's")
            assert len(fd.requests(*COMMANDS_PUT)) == 1
            assert "Command sync left to the leader" in caplog.text
            for bot in (first, second):
                await until(bot.services.cluster, lambda bot=bot: bot.services.cluster.live_members() == 2, "2 live")
                # the sender paces at twice the global gap: the token's budget is halved between the two
                assert bot.services.feeds.sender.members() == 2
                assert bot.services.feeds.node is bot.services.cluster.node is bot.services.countdown.node
            members = {member.shard_ids: member for member in await db.cluster.members(first.db)}
            assert sorted(members) == [(0,), (1,)]
            assert members[(0,)].node_id == first.services.cluster.node.id
            assert members[(0,)].shards_connected == (0,)  # its heartbeat after the second joined saw it connected
            assert members[(0,)].leader_since is not None and members[(1,)].leader_since is None
        cluster = second.services.cluster
        await until(cluster, cluster.is_leader, "the lead taken over", timeout=2 * 5)
        await until(cluster, lambda: cluster.live_members() == 1, "the stopped process uncounted")
        assert second.synced == "unchanged"
        assert len(fd.requests(*COMMANDS_PUT)) == 1
        assert [member.node_id for member in await db.cluster.members(second.db)] == [cluster.node.id]


async def test_a_single_server_install_leads_alone(server: Server) -> None:
    """One Marquee on its SQLite file is a cluster of one: it leads, so it synced the commands, and it counts
    itself only."""
    cluster = server.bot.services.cluster
    assert cluster.is_leader() and cluster.live_members() == 1
    assert server.bot.synced == "global"
    [member] = await db.cluster.members(server.bot.db)
    assert (member.node_id, member.shard_count) == (cluster.node.id, 0)
