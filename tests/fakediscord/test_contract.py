"""What fakediscord relies on inside discord.py: fails loudly if an upgrade changes any of it."""

from __future__ import annotations

import inspect

import discord
import discord.http
import yarl
from discord.gateway import DiscordWebSocket
from discord.interactions import InteractionCallbackResponse
from discord.webhook import async_ as webhook_async

from bot.transport import point_discord_at
from fakediscord import rules
from fakediscord.server import FakeDiscord
from fakediscord.world import PIN_MESSAGES
from tests.helpers.tinybot import TinyBot, running


def test_redirection_points_exist() -> None:
    """Route.BASE and DiscordWebSocket.DEFAULT_GATEWAY are still the switches that redirect the client."""
    assert discord.http.Route.BASE.endswith("/api/v10")
    assert isinstance(DiscordWebSocket.DEFAULT_GATEWAY, yarl.URL)
    before = (discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    point_discord_at("http://127.0.0.1:1/api/v10", "ws://127.0.0.1:1/gateway")
    try:
        assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
        assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:1/gateway"
    finally:
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = before


def test_client_parses_json_only_on_exact_content_type() -> None:
    """discord.py parses a body as JSON only when Content-Type is exactly application/json."""
    source = inspect.getsource(discord.http.json_or_text)
    assert "== 'application/json'" in source


def test_client_needs_via_on_a_429() -> None:
    """discord.py treats a 429 without a Via header as a Cloudflare ban, so the fake must send Via."""
    source = inspect.getsource(discord.http.HTTPClient.request)
    assert "response.headers.get('Via')" in source
    assert "X-Ratelimit-Bucket" in source and "X-Ratelimit-Remaining" in source


def test_interaction_callback_route_and_parsing() -> None:
    """Callbacks go to /interactions/{id}/{token}/callback with with_response=1 and parse the answer."""
    source = inspect.getsource(webhook_async.AsyncWebhookAdapter.create_interaction_response)
    assert "'/interactions/{webhook_id}/{webhook_token}/callback'" in source
    assert "{'with_response': '1'}" in source
    parse = inspect.getsource(InteractionCallbackResponse._update)
    for key in ("'interaction'", "'response_message_loading'", "'response_message_ephemeral'", "'resource'"):
        assert key in parse


def test_pin_routes_and_nonce_enforcement() -> None:
    """The client pins through /messages/pins and sends enforce_nonce with every nonce."""
    pin_source = inspect.getsource(discord.http.HTTPClient.pin_message)
    assert "'/channels/{channel_id}/messages/pins/{message_id}'" in pin_source
    assert "payload['enforce_nonce'] = True" in inspect.getsource(discord.http.handle_message_parameters)


def test_permission_bits_and_locales() -> None:
    """pin_messages is bit 51 and Discord's locale list matches discord.py's Locale enum."""
    assert PIN_MESSAGES == 1 << 51 == discord.Permissions(pin_messages=True).value
    assert {loc.value for loc in discord.Locale} == rules.LOCALES


async def test_real_client_talks_to_the_fake_only(fake_discord: FakeDiscord) -> None:
    """A full login, gateway session and command sync touch only the fake's routes, all successfully."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)):
        await (await fd.invoke("cast", name="Nam On-jo", user=fd.owner, in_channel=fd.general(guild))).response()
    paths = [(e.method, e.path, e.status) for e in fd.ledger]
    assert ("GET", "/users/@me", 200) in paths
    assert ("GET", "/oauth2/applications/@me", 200) in paths
    assert ("PUT", f"/applications/{fd.application_id}/guilds/{guild.id}/commands", 200) in paths
    [callback] = fd.requests("POST", "/interactions/*/callback")
    assert callback.query == {"with_response": "1"} and callback.status == 200
    assert all(status < 400 for _, _, status in paths)
