"""fakediscord's gateway driven by the real discord.py client: READY, resumes, replays and reconnects."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from discord.gateway import DiscordWebSocket

from tests.helpers.gateway_rig import (
    BOT_ID,
    GUILD_ID,
    OTHER_GUILD_ID,
    Rig,
    channel_payload,
    fault_then_resume,
)


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
    client = await fault_then_resume(rig, lambda: rig.hub.close(4000))
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
    client = await fault_then_resume(rig, rig.hub.drop)
    assert client.channels_seen == [1, 2, 3, 4, 5]
    assert (rig.hub.identifies, rig.hub.resumes) == (1, 1)


async def test_op7_reconnect_resumes(rig: Rig) -> None:
    """RECONNECT makes the bot come back on the resume URL with the same session."""
    client = await fault_then_resume(rig, rig.hub.reconnect)
    assert client.channels_seen == [1, 2, 3, 4, 5]
    assert (rig.hub.identifies, rig.hub.resumes) == (1, 1)


async def test_resumable_invalid_session_resumes(rig: Rig) -> None:
    """op 9 with d=true is followed by a RESUME that replays the missed events."""
    client = await fault_then_resume(rig, lambda: rig.hub.invalidate(True))
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
