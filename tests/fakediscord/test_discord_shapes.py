"""What a bot author notices now that the fake answers in the shapes of Discord's published API."""

from __future__ import annotations

import discord

from fakediscord.exchanges import Exchange
from fakediscord.server import FakeDiscord
from fakediscord.spec_check import SpecCheck
from tests.helpers.rawapi import call, send
from tests.helpers.tinybot import TinyBot, running


async def test_a_message_read_over_rest_has_no_member(fake_discord: FakeDiscord) -> None:
    """History and a fetched message carry a plain user as author, no member and no guild_id, as on Discord."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    channel = fd.general(guild)
    fd.post(channel, fd.owner, "Nam-ra is back")
    sent = await send(fd, channel.id, {"content": "Season 2 is dated"})
    fetched = await call(fd, "GET", f"/channels/{channel.id}/messages/{sent.body['id']}")
    history = await call(fd, "GET", f"/channels/{channel.id}/messages")
    for message in [sent.body, fetched.body, *history.body]:
        assert "member" not in message and "guild_id" not in message
        assert message["author"]["primary_guild"] is None and "roles" not in message["author"]


async def test_a_fetched_messages_author_is_a_member_only_from_the_cache(fake_discord: FakeDiscord) -> None:
    """discord.py turns a fetched message's author into a Member only from its member cache, not from the payload."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("hyosan_fan")
    fd.add_member(guild, fan)
    message = fd.post(fd.general(guild), fan, "When is season 2?")
    bot = TinyBot(guild)
    async with running(fd, bot):
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        assert channel.guild.get_member(fan.id) is None  # without the members intent the fan is not cached
        fetched = await channel.fetch_message(message.id)
    assert type(fetched.author) is discord.User and fetched.author.id == fan.id


async def test_default_member_permissions_come_back_as_a_string(fake_discord: FakeDiscord) -> None:
    """A command registered with permissions 32 (integer or string) is listed with "32", as Discord returns it."""
    fd = fake_discord
    commands = [
        {"name": "purge", "description": "Remove feeds", "type": 1, "default_member_permissions": 32},
        {"name": "setup", "description": "Set up", "type": 1, "default_member_permissions": "32"},
        {"name": "ping", "description": "Ping", "type": 1},
    ]
    put = await call(fd, "PUT", f"/applications/{fd.application_id}/commands", json=commands)
    listed = await call(fd, "GET", f"/applications/{fd.application_id}/commands")
    for answer in (put.body, listed.body):
        assert [c["default_member_permissions"] for c in answer] == ["32", "32", None]


async def test_with_response_answers_each_callback_type_as_the_spec_documents(fake_discord: FakeDiscord) -> None:
    """A deferral's callback response names the loading message but has no resource; a reply's carries the message."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    commands = [{"name": "ping", "description": "Ping", "type": 1}]
    await call(fd, "PUT", f"/applications/{fd.application_id}/commands", json=commands)
    one = await fd.invoke("ping", user=fd.owner, in_channel=fd.general(guild))
    two = await fd.invoke("ping", user=fd.owner, in_channel=fd.general(guild))
    answers = []
    for handle, body in ((one, {"type": 5}), (two, {"type": 4, "data": {"content": "pong"}})):
        path = f"/interactions/{handle.id}/{handle.token}/callback"
        answers.append(await call(fd, "POST", path, json=body, params={"with_response": "true"}, auth=None))
    deferred, replied = (a.body for a in answers)
    assert "resource" not in deferred and deferred["interaction"]["response_message_loading"] is True
    assert replied["resource"]["type"] == 4 and replied["resource"]["message"]["content"] == "pong"
    assert "member" not in replied["resource"]["message"]


async def test_the_interactions_channel_has_position_and_flags(fake_discord: FakeDiscord) -> None:
    """The channel in INTERACTION_CREATE is complete enough for discord.py to build it uncached (position, flags)."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    news = fd.add_channel(guild, "news")
    await call(fd, "PUT", f"/applications/{fd.application_id}/commands", json=[{"name": "ping", "description": "P"}])
    handle = await fd.invoke("ping", user=fd.owner, in_channel=news)
    channel = handle.interaction.payload["channel"]
    assert (channel["position"], channel["flags"]) == (news.position, 0)
    assert channel["permissions"] == handle.interaction.payload["member"]["permissions"]


async def test_buttons_come_back_numbered(fake_discord: FakeDiscord) -> None:
    """Components the bot sent without ids come back numbered depth-first from 1, as Discord numbers them."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    button = {"type": 2, "style": 2, "label": "Reveal", "custom_id": "reveal", "emoji": {"id": None, "name": "👀"}}
    sent = await send(fd, channel.id, {"content": "Spoilers", "components": [{"type": 1, "components": [button]}]})
    [row] = sent.body["components"]
    assert (row["id"], row["components"][0]["id"]) == (1, 2)
    assert row["components"][0]["emoji"] == {"name": "👀"}


def test_a_request_refused_on_purpose_is_not_the_clients_violation() -> None:
    """An over-long embed a test sends to see Discord's 400 is not held against the client; accepted, it would be."""
    check = SpecCheck()
    body = {"content": "news", "embeds": [{"title": "t" * 300}]}
    refused = Exchange("rest", "POST", "/channels/{channel_id}/messages", "/channels/1/messages", 400, body,
                       {"message": "Invalid Form Body", "code": 50035})
    accepted = Exchange("rest", "POST", "/channels/{channel_id}/messages", "/channels/1/messages", 200, body, None)
    assert check.check(refused) == []
    assert [v.pointer for v in check.check(accepted) if v.direction == "request"] == ["/embeds/*/title"]


def test_a_button_in_an_update_callback_is_a_known_field() -> None:
    """A disabled button with an emoji in an UPDATE_MESSAGE callback is accepted: every alternative's items count."""
    row = {"type": 1, "components": [{"type": 2, "style": 2, "label": "Next", "custom_id": "n", "disabled": True,
                                      "emoji": {"name": "▶️"}}]}
    body = {"type": 7, "data": {"components": [row]}}
    exchange = Exchange("rest", "POST", "/interactions/{interaction_id}/{token}/callback",
                        "/interactions/1/abc/callback", 204, body, None)
    assert SpecCheck().check(exchange) == []
