"""Where a command may be used: ``integration_types`` and ``contexts`` stored as synced, commands used from a
user's own installation in a DM or a group DM as Discord sends them, and refused where the command is not offered."""

from __future__ import annotations

from typing import Any

import pytest

from fakediscord.interactions import InvocationError
from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call

ANYWHERE = {"integration_types": [0, 1], "contexts": [0, 1, 2]}


def cmd(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "A command", "type": 1, **extra}


async def put(fd: FakeDiscord, commands: list[dict[str, Any]]) -> Any:
    return await call(fd, "PUT", f"/applications/{fd.application_id}/commands", json=commands)


async def test_contexts_and_integration_types_are_stored_as_synced(fake_discord: FakeDiscord) -> None:
    """A command synced for every install and context comes back with them; one without says server install only."""
    answer = await put(fake_discord, [cmd("cast", **ANYWHERE), cmd("feeds")])
    fetched = await call(fake_discord, "GET", f"/applications/{fake_discord.application_id}/commands")
    assert answer.status == 200
    by_name = {c["name"]: c for c in fetched.body}
    assert (by_name["cast"]["integration_types"], by_name["cast"]["contexts"]) == ([0, 1], [0, 1, 2])
    assert (by_name["feeds"]["integration_types"], by_name["feeds"]["contexts"]) == ([0], None)


@pytest.mark.parametrize(
    ("field", "value", "bad"), [("contexts", [0, 3], 1), ("integration_types", [0, 2], 1), ("contexts", ["dm"], 0)]
)
async def test_unknown_context_or_install_is_refused(
    fake_discord: FakeDiscord, field: str, value: list[Any], bad: int
) -> None:
    """A context or installation type Discord does not have is refused with 50035 at that item."""
    answer = await put(fake_discord, [cmd("cast", **{field: value})])
    assert answer.status == 400 and answer.body["code"] == 50035
    assert answer.body["errors"]["0"][field][str(bad)]["_errors"][0]["code"] == "ENUM_TYPE_COERCE"
    assert fake_discord.commands.get(None) == []


async def test_a_command_in_the_apps_dm_comes_from_the_users_installation(fake_discord: FakeDiscord) -> None:
    """In the app's DM the interaction has context 1, the user (no member, no guild) and the user as its owner."""
    fd = fake_discord
    fan = fd.add_user("fan")
    await put(fd, [cmd("cast", **ANYWHERE)])
    dm = fd.dm(fan)
    handle = await fd.invoke("cast", user=fan, in_channel=dm)
    payload = handle.interaction.payload
    assert payload["context"] == 1
    assert payload["authorizing_integration_owners"] == {"1": str(fan.id)}
    assert payload["user"]["id"] == str(fan.id)
    assert "member" not in payload and "guild_id" not in payload and "guild_id" not in payload["data"]
    assert payload["channel"]["type"] == 1 and payload["channel"]["recipients"][0]["id"] == str(fan.id)
    assert fd.dm(fan) is dm


async def test_a_command_in_a_group_dm_has_the_private_channel_context(fake_discord: FakeDiscord) -> None:
    """In a group DM the bot is not in, the interaction has context 2 and the group DM's channel."""
    fd = fake_discord
    fan, friend = fd.add_user("fan"), fd.add_user("friend")
    await put(fd, [cmd("cast", **ANYWHERE)])
    group = fd.group_dm(fan, friend, name="watch party")
    payload = (await fd.invoke("cast", user=fan, in_channel=group)).interaction.payload
    assert payload["context"] == 2
    assert payload["channel"]["type"] == 3 and payload["channel"]["name"] == "watch party"
    assert payload["channel"]["owner_id"] == str(fan.id)
    assert payload["authorizing_integration_owners"] == {"1": str(fan.id)}


@pytest.mark.parametrize(
    ("command", "where", "why"),
    [
        (cmd("feeds", contexts=[0]), "dm", "not offered in the app's DM"),
        (cmd("feeds", contexts=[0]), "group", "not offered in a DM or group DM"),
        (cmd("feeds", integration_types=[0], contexts=[0, 1, 2]), "group", "not offered by a user's own installation"),
        (cmd("feeds", integration_types=[1], contexts=[0, 1, 2]), "guild", "not offered by a server's installation"),
        (cmd("feeds", contexts=[1, 2]), "guild", "not offered in a server"),
    ],
)  # fmt: skip
async def test_a_command_is_refused_where_it_is_not_offered(
    fake_discord: FakeDiscord, command: dict[str, Any], where: str, why: str
) -> None:
    """invoke() refuses a command whose contexts or integration types keep it out of that place."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("fan")
    fd.add_member(guild, fan)
    await put(fd, [command])
    place = {"dm": fd.dm(fan), "group": fd.group_dm(fan, fd.add_user("friend")), "guild": fd.general(guild)}[where]
    with pytest.raises(InvocationError, match=why):
        await fd.invoke("feeds", user=fan, in_channel=place)


async def test_server_commands_do_not_reach_a_dm(fake_discord: FakeDiscord) -> None:
    """A command synced to one server only is not there in a DM, whatever its contexts."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("fan")
    scope = f"/applications/{fd.application_id}/guilds/{guild.id}/commands"
    await call(fd, "PUT", scope, json=[cmd("cast", **ANYWHERE)])
    with pytest.raises(InvocationError, match="not a synced global command"):
        await fd.invoke("cast", user=fan, in_channel=fd.dm(fan))
