"""Command registration rules, and invocations built only from what the bot synced."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from fakediscord.interactions import InvocationError
from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call


def cmd(name: str = "cast", description: str = "Look up a character", **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": description, "type": 1, **extra}


def opt(name: str, kind: int = 3, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "an option", "type": kind, **extra}


async def put(fd: FakeDiscord, commands: list[dict[str, Any]], guild_id: int | None = None) -> Any:
    scope = f"/guilds/{guild_id}" if guild_id else ""
    return await call(fd, "PUT", f"/applications/{fd.application_id}{scope}/commands", json=commands)


@pytest.mark.parametrize(
    ("command", "path"),
    [
        (cmd(name="Cast"), ["0", "name"]),
        (cmd(name="cast list"), ["0", "name"]),
        (cmd(name="c" * 33), ["0", "name"]),
        (cmd(name=""), ["0", "name"]),
        (cmd(description=""), ["0", "description"]),
        (cmd(description="d" * 101), ["0", "description"]),
        (cmd(options=[opt(f"o{i}") for i in range(26)]), ["0", "options"]),
        (cmd(options=[opt("a", choices=[{"name": str(i), "value": str(i)} for i in range(26)])]),
         ["0", "options", "0", "choices"]),
        (cmd(options=[opt("a"), opt("a")]), ["0", "options", "1", "name"]),
        (cmd(options=[opt("a"), opt("b", required=True)]), ["0", "options", "1", "required"]),
        (cmd(name_localizations={"xx-YY": "cast"}), ["0", "name_localizations", "xx-YY"]),
        (cmd(description_localizations={"fr": "d" * 101}), ["0", "description_localizations", "fr"]),
        (cmd(options=[opt("Name")]), ["0", "options", "0", "name"]),
    ],
)  # fmt: skip
async def test_registration_rules(fake_discord: FakeDiscord, command: dict[str, Any], path: list[str]) -> None:
    """A command that breaks a registration rule is refused with 50035 at the offending field."""
    answer = await put(fake_discord, [command])
    assert answer.status == 400 and answer.body["code"] == 50035
    node = answer.body["errors"]
    for part in path:
        node = node[part]
    assert node["_errors"]
    assert fake_discord.commands.get(None) == []


async def test_valid_names_include_other_scripts(fake_discord: FakeDiscord) -> None:
    """Hangul, Devanagari, digits, dashes and underscores are valid lowercase command names."""
    commands = [cmd(name="출연진"), cmd(name="कलाकार"), cmd(name="season-2_recap"), cmd(name="ep10")]
    answer = await put(fake_discord, commands)
    assert answer.status == 200
    assert [c["name"] for c in answer.body] == ["출연진", "कलाकार", "season-2_recap", "ep10"]


async def test_resync_keeps_command_ids(fake_discord: FakeDiscord) -> None:
    """Re-syncing the same command keeps its id, as Discord does, and GET returns the stored set."""
    first = await put(fake_discord, [cmd()])
    second = await put(fake_discord, [cmd(description="Who is who")])
    fetched = await call(fake_discord, "GET", f"/applications/{fake_discord.application_id}/commands")
    assert first.body[0]["id"] == second.body[0]["id"]
    assert fetched.body[0]["description"] == "Who is who"


async def test_guild_commands_need_the_bot_in_the_guild(fake_discord: FakeDiscord) -> None:
    """Syncing to a guild the bot is not in answers 403 code 50001."""
    answer = await put(fake_discord, [cmd()], guild_id=42)
    assert answer.status == 403 and answer.body["code"] == 50001


async def test_invoking_an_unsynced_command_fails_the_test(fake_discord: FakeDiscord) -> None:
    """invoke() of a command the bot never synced raises, naming what was synced."""
    fd = fake_discord
    guild = fd.add_guild("G")
    await put(fd, [cmd(name="recap")])
    with pytest.raises(InvocationError, match="recap"):
        await fd.invoke("cast", user=fd.owner, in_channel=fd.general(guild), name="Nam-ra")


async def test_invoke_checks_options_against_the_synced_definition(fake_discord: FakeDiscord) -> None:
    """Unknown options, missing required ones, wrong types and out-of-range values all fail the test."""
    fd = fake_discord
    guild = fd.add_guild("G")
    channel = fd.general(guild)
    options = [opt("name", required=True), opt("episode", 4, min_value=1, max_value=12)]
    await put(fd, [cmd(options=options)])
    with pytest.raises(InvocationError, match="no option"):
        await fd.invoke("cast", user=fd.owner, in_channel=channel, name="x", actor="y")
    with pytest.raises(InvocationError, match="required"):
        await fd.invoke("cast", user=fd.owner, in_channel=channel, episode=2)
    with pytest.raises(InvocationError, match="number"):
        await fd.invoke("cast", user=fd.owner, in_channel=channel, name="x", episode="two")
    with pytest.raises(InvocationError, match="within"):
        await fd.invoke("cast", user=fd.owner, in_channel=channel, name="x", episode=13)


async def test_invoke_builds_subcommand_options_with_resolved_objects(fake_discord: FakeDiscord) -> None:
    """A subcommand invocation nests its options and resolves channel, role and user values."""
    fd = fake_discord
    guild = fd.add_guild("G")
    news = fd.add_channel(guild, "news")
    mods = fd.add_role(guild, "Moderators")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    sub = {
        "name": "add",
        "description": "Add a feed",
        "type": 1,
        "options": [opt("channel", 7, required=True), opt("ping", 8), opt("who", 6), opt("loud", 5)],
    }
    await put(fd, [cmd(name="feeds", options=[sub])], guild_id=guild.id)
    handle = await fd.invoke("feeds add", user=fd.owner, in_channel=fd.general(guild),
                             channel=news, ping=mods, who=fan, loud=True)  # fmt: skip
    data = handle.interaction.payload["data"]
    [add] = data["options"]
    assert add["name"] == "add" and add["type"] == 1
    assert {o["name"]: o["value"] for o in add["options"]} == {
        "channel": str(news.id), "ping": str(mods.id), "who": str(fan.id), "loud": True
    }  # fmt: skip
    assert data["resolved"]["channels"][str(news.id)]["name"] == "news"
    assert data["resolved"]["roles"][str(mods.id)]["name"] == "Moderators"
    assert data["resolved"]["members"][str(fan.id)]["permissions"]


async def test_default_member_permissions_hide_admin_commands(fake_discord: FakeDiscord) -> None:
    """A fan cannot run a command that needs manage_guild; the owner can."""
    fd = fake_discord
    guild = fd.add_guild("G")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    needs = str(discord.Permissions(manage_guild=True).value)
    await put(fd, [cmd(name="setup", default_member_permissions=needs)])
    with pytest.raises(InvocationError, match="cannot see"):
        await fd.invoke("setup", user=fan, in_channel=fd.general(guild))
    handle = await fd.invoke("setup", user=fd.owner, in_channel=fd.general(guild))
    assert handle.interaction.payload["member"]["user"]["id"] == str(fd.owner.id)


async def test_member_permissions_are_computed_for_the_channel(fake_discord: FakeDiscord) -> None:
    """An @everyone deny in a channel shows in both the member's and the bot's interaction permissions."""
    fd = fake_discord
    guild = fd.add_guild("G")
    news = fd.add_channel(guild, "news")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    fd.set_overwrite(news, guild.everyone, deny=discord.Permissions(send_messages=True))
    await put(fd, [cmd(name="ping")])
    payload = (await fd.invoke("ping", user=fan, in_channel=news)).interaction.payload
    member_perms = discord.Permissions(int(payload["member"]["permissions"]))
    app_perms = discord.Permissions(int(payload["app_permissions"]))
    assert member_perms.view_channel and not member_perms.send_messages and not member_perms.embed_links
    assert app_perms.pin_messages and not app_perms.send_messages  # role grants do not beat a channel deny
