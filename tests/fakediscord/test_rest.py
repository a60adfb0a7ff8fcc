"""REST routes and Discord's rules, checked with raw requests where the exact answer matters."""

from __future__ import annotations

import aiohttp
import discord
import pytest

from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call, send


async def test_wrong_token_is_unauthorized(fake_discord: FakeDiscord) -> None:
    """A bot with the wrong token gets Discord's 401 body, and the request counts as invalid."""
    answer = await call(fake_discord, "GET", "/users/@me", auth="Bot nope")
    assert answer.status == 401
    assert answer.body == {"message": "401: Unauthorized", "code": 0}
    assert fake_discord.ratelimits.invalid_requests() == 1


async def test_unknown_route_is_json_404(fake_discord: FakeDiscord) -> None:
    """An unknown route answers 404 with exactly `Content-Type: application/json`."""
    answer = await call(fake_discord, "GET", "/guilds/1/nonsense")
    assert answer.status == 404
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.body == {"message": "404: Not Found", "code": 0}


async def test_login_routes_describe_the_bot(fake_discord: FakeDiscord) -> None:
    """/users/@me and /oauth2/applications/@me describe the bot user and its application."""
    me = await call(fake_discord, "GET", "/users/@me")
    app = await call(fake_discord, "GET", "/oauth2/applications/@me")
    gateway = await call(fake_discord, "GET", "/gateway/bot")
    assert me.body["id"] == str(fake_discord.bot_user.id) and me.body["bot"] is True
    assert app.body["id"] == str(fake_discord.application_id)
    assert gateway.body["url"] == fake_discord.gateway_url


async def test_send_fetch_edit_delete_message(fake_discord: FakeDiscord) -> None:
    """The bot posts, fetches, edits and deletes its own message, and the channel shows each step."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    sent = await send(fd, channel.id, {"content": "Hello"})
    assert sent.status == 200
    mid = sent.body["id"]
    fetched = await call(fd, "GET", f"/channels/{channel.id}/messages/{mid}")
    assert fetched.body["content"] == "Hello"
    edited = await call(fd, "PATCH", f"/channels/{channel.id}/messages/{mid}", json={"content": "Hi"})
    assert edited.body["content"] == "Hi" and edited.body["edited_timestamp"] is not None
    listed = await call(fd, "GET", f"/channels/{channel.id}/messages", params={"limit": "10"})
    assert [m["content"] for m in listed.body] == ["Hi"]
    deleted = await call(fd, "DELETE", f"/channels/{channel.id}/messages/{mid}")
    assert deleted.status == 204
    assert fd.messages(channel) == []
    gone = await call(fd, "GET", f"/channels/{channel.id}/messages/{mid}")
    assert gone.body == {"message": "Unknown Message", "code": 10008}


async def test_multipart_payload_json_with_a_file(fake_discord: FakeDiscord) -> None:
    """A multipart send (payload_json plus a file) posts the content with the attachment."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("payload_json", '{"content": "poster"}', content_type="application/json")
    form.add_field("files[0]", b"PNGDATA", filename="poster.png", content_type="image/png")
    answer = await call(fd, "POST", f"/channels/{channel.id}/messages", data=form)
    assert answer.status == 200
    assert answer.body["attachments"][0]["filename"] == "poster.png"
    assert fd.messages(channel)[0].content == "poster"


async def test_unknown_channel(fake_discord: FakeDiscord) -> None:
    """Sending to a channel that does not exist answers 404 code 10003."""
    answer = await send(fake_discord, 123456789, {"content": "x"})
    assert (answer.status, answer.body["code"]) == (404, 10003)


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        ({"content": "x" * 2001}, ["content"], "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [{"title": "t" * 257}]}, ["embeds", "0", "title"], "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [{"description": "d" * 4097}]}, ["embeds", "0", "description"], "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, ["embeds", "0", "fields"],
         "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]}, ["embeds", "0", "fields", "0", "name"],
         "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, ["embeds", "0", "fields", "0", "value"],
         "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, ["embeds", "0", "footer", "text"], "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, ["embeds"],
         "MAX_EMBED_SIZE_EXCEEDED"),
        ({"embeds": [{"title": "t"}] * 11}, ["embeds"], "BASE_TYPE_MAX_LENGTH"),
        ({"components": [{"type": 1, "components": []}] * 6}, ["components"], "BASE_TYPE_MAX_LENGTH"),
        ({"content": "x", "components": [{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "l" * 81, "custom_id": "c"}]}]},
         ["components", "0", "components", "0", "label"], "BASE_TYPE_MAX_LENGTH"),
    ],
)  # fmt: skip
async def test_message_limits_are_invalid_form_body(
    fake_discord: FakeDiscord, body: dict[str, object], path: list[str], code: str
) -> None:
    """A message over any of Discord's limits is refused with 50035 naming the field."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    answer = await send(fd, channel.id, body)
    assert answer.status == 400
    assert answer.body["code"] == 50035 and answer.body["message"] == "Invalid Form Body"
    node = answer.body["errors"]
    for part in path:
        node = node[part]
    assert node["_errors"][0]["code"] == code
    assert fd.messages(channel) == []


async def test_limits_are_inclusive(fake_discord: FakeDiscord) -> None:
    """Exactly 2000 characters and a 6000-character embed set are accepted."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    embeds = [{"description": "d" * 4000}, {"description": "d" * 2000}]
    answer = await send(fd, channel.id, {"content": "x" * 2000, "embeds": embeds})
    assert answer.status == 200


async def test_empty_message_is_refused(fake_discord: FakeDiscord) -> None:
    """A message with nothing in it answers 400 code 50006."""
    fd = fake_discord
    answer = await send(fd, fd.general(fd.add_guild("G")).id, {"content": ""})
    assert (answer.status, answer.body["code"]) == (400, 50006)


async def test_missing_send_permission(fake_discord: FakeDiscord) -> None:
    """A channel that denies @everyone send_messages refuses the bot with 403 code 50013."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    news = fd.add_channel(guild, "news")
    fd.set_overwrite(news, fd.bot_role(guild), deny=discord.Permissions(send_messages=True))
    answer = await send(fd, news.id, {"content": "x"})
    assert answer.status == 403 and answer.body == {"message": "Missing Permissions", "code": 50013}
    assert fd.ratelimits.invalid_requests() == 1


async def test_hidden_channel_is_missing_access(fake_discord: FakeDiscord) -> None:
    """A channel the bot cannot view answers 403 code 50001, for sends and fetches alike."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    mods = fd.add_channel(guild, "mods")
    fd.set_overwrite(mods, guild.everyone, deny=discord.Permissions(view_channel=True))
    fd.set_overwrite(mods, fd.bot_role(guild), deny=discord.Permissions(view_channel=True))
    assert (await send(fd, mods.id, {"content": "x"})).body["code"] == 50001
    assert (await call(fd, "GET", f"/channels/{mods.id}")).body["code"] == 50001


async def test_embeds_need_embed_links(fake_discord: FakeDiscord) -> None:
    """Without embed_links an embed is refused with 50013 while plain text still goes through."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans", bot_permissions=discord.Permissions(view_channel=True, send_messages=True))
    fd.edit_role(guild.everyone, permissions=discord.Permissions(view_channel=True))
    channel = fd.general(guild)
    assert (await send(fd, channel.id, {"embeds": [{"title": "t"}]})).body["code"] == 50013
    assert (await send(fd, channel.id, {"content": "plain"})).status == 200


async def test_cannot_edit_someone_elses_message(fake_discord: FakeDiscord) -> None:
    """Editing a fan's message answers 403 code 50005; deleting it needs manage_messages (50013)."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    msg = fd.post(fd.general(guild), fan, "hello")
    path = f"/channels/{msg.channel_id}/messages/{msg.id}"
    assert (await call(fd, "PATCH", path, json={"content": "x"})).body["code"] == 50005
    assert (await call(fd, "DELETE", path)).body["code"] == 50013
    assert fd.messages(fd.general(guild))[0].content == "hello"


async def test_enforced_nonce_returns_the_existing_message(fake_discord: FakeDiscord) -> None:
    """A resend with the same nonce and enforce_nonce returns the first message instead of posting twice."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    body = {"content": "Episode 3 is out", "nonce": "item-42", "enforce_nonce": True}
    first = await send(fd, channel.id, body)
    second = await send(fd, channel.id, body)
    assert first.body["id"] == second.body["id"]
    assert len(fd.messages(channel)) == 1


async def test_nonce_without_enforcement_posts_again(fake_discord: FakeDiscord) -> None:
    """Without enforce_nonce, or after the nonce window, the same nonce posts a new message."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    await send(fd, channel.id, {"content": "a", "nonce": "n1"})
    await send(fd, channel.id, {"content": "a", "nonce": "n1"})
    await send(fd, channel.id, {"content": "b", "nonce": "n2", "enforce_nonce": True})
    fd.clock.advance(600)
    await send(fd, channel.id, {"content": "b", "nonce": "n2", "enforce_nonce": True})
    assert len(fd.messages(channel)) == 4


async def test_allowed_mentions_decide_who_is_pinged(fake_discord: FakeDiscord) -> None:
    """Mentions ping by default, and `allowed_mentions` with an empty parse list pings nobody."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    mods = fd.add_role(guild, "Moderators")
    text = f"{fan.mention} {mods.mention} @everyone look"
    channel = fd.general(guild)
    await send(fd, channel.id, {"content": text})
    await send(fd, channel.id, {"content": text, "allowed_mentions": {"parse": []}})
    await send(fd, channel.id, {"content": text, "allowed_mentions": {"parse": [], "users": [str(fan.id)]}})
    loud, quiet, only_fan = (fd.pings(m) for m in fd.messages(channel))
    assert loud.users == {fan.id} and loud.roles == {mods.id} and loud.everyone
    assert not quiet
    assert only_fan.users == {fan.id} and not only_fan.roles and not only_fan.everyone
    assert fd.messages(channel)[1].allowed_mentions == {"parse": []}


async def test_pins_new_and_legacy_routes(fake_discord: FakeDiscord) -> None:
    """Pinning through either route shows the message in both pin listings, newest pin first."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    a = (await send(fd, channel.id, {"content": "a"})).body["id"]
    b = (await send(fd, channel.id, {"content": "b"})).body["id"]
    assert (await call(fd, "PUT", f"/channels/{channel.id}/messages/pins/{a}")).status == 204
    assert (await call(fd, "PUT", f"/channels/{channel.id}/pins/{b}")).status == 204
    new = await call(fd, "GET", f"/channels/{channel.id}/messages/pins")
    legacy = await call(fd, "GET", f"/channels/{channel.id}/pins")
    assert [i["message"]["id"] for i in new.body["items"]] == [b, a] and new.body["has_more"] is False
    assert [m["id"] for m in legacy.body] == [b, a]
    assert [m.content for m in fd.pins(channel)] == ["a", "b"]
    await call(fd, "DELETE", f"/channels/{channel.id}/messages/pins/{a}")
    assert [m.content for m in fd.pins(channel)] == ["b"]


async def test_pin_limit(fake_discord: FakeDiscord) -> None:
    """Past the channel's pin limit Discord answers 400 code 30003."""
    fd = fake_discord
    fd.max_pins = 2
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    ids = [(await send(fd, channel.id, {"content": str(i)})).body["id"] for i in range(3)]
    for mid in ids[:2]:
        await call(fd, "PUT", f"/channels/{channel.id}/messages/pins/{mid}")
    third = await call(fd, "PUT", f"/channels/{channel.id}/messages/pins/{ids[2]}")
    assert third.status == 400 and third.body["code"] == 30003


async def test_pinning_needs_pin_messages(fake_discord: FakeDiscord) -> None:
    """manage_messages alone no longer pins: without pin_messages the bot gets 50013."""
    fd = fake_discord
    perms = discord.Permissions(view_channel=True, send_messages=True, manage_messages=True)
    guild = fd.add_guild("AOUAD Fans", bot_permissions=perms)
    channel = fd.general(guild)
    mid = (await send(fd, channel.id, {"content": "x"})).body["id"]
    answer = await call(fd, "PUT", f"/channels/{channel.id}/messages/pins/{mid}")
    assert answer.status == 403 and answer.body["code"] == 50013
    assert fd.pins(channel) == []


async def test_typing_and_channel_fetch(fake_discord: FakeDiscord) -> None:
    """Typing answers 204 and a channel fetch returns its name and overwrites."""
    fd = fake_discord
    channel = fd.add_channel(fd.add_guild("AOUAD Fans"), "news", topic="Announcements")
    assert (await call(fd, "POST", f"/channels/{channel.id}/typing")).status == 204
    got = await call(fd, "GET", f"/channels/{channel.id}")
    assert got.body["name"] == "news" and got.body["topic"] == "Announcements"


async def test_ledger_records_requests_without_the_token(fake_discord: FakeDiscord) -> None:
    """Every request is in the ledger with its status and body, and the token is never stored."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    await send(fd, channel.id, {"content": "logged"})
    [entry] = fd.requests("POST", "/channels/*/messages")
    assert entry.status == 200 and entry.json == {"content": "logged"}
    assert all(k.lower() != "authorization" for k in entry.headers)
    assert fd.token not in repr(fd.ledger)


def test_fake_token_passes_marquee_settings_and_names_the_application() -> None:
    """The fake's token is accepted by Marquee's settings check and carries the application id, like Discord's."""
    from bot.invite import client_id_from_token
    from bot.settings import Settings
    from fakediscord.server import FakeDiscord

    fd = FakeDiscord()
    assert Settings.from_env({"DISCORD_TOKEN": fd.token}).token == fd.token
    assert client_id_from_token(fd.token) == fd.application_id
