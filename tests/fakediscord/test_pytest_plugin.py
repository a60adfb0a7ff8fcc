"""The plugin hands each test its own started fake; our conftest points discord.py at it."""

from __future__ import annotations

import discord.http
from discord.gateway import DiscordWebSocket

from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call


async def test_plugin_fixture_serves_without_touching_the_client(fake_discord_server: FakeDiscord) -> None:
    """The plugin only starts the fake: which client to redirect, and how, is the project's business."""
    assert fake_discord_server.started
    assert fake_discord_server.api_url.startswith("http://127.0.0.1:")
    assert fake_discord_server.api_url != discord.http.Route.BASE
    assert (await call(fake_discord_server, "GET", "/users/@me")).status == 200


async def test_fixture_is_started_and_redirects_the_client(fake_discord: FakeDiscord) -> None:
    """During the test the fake answers on loopback and discord.py's REST and gateway point at it."""
    assert fake_discord.api_url.startswith("http://127.0.0.1:")
    assert fake_discord.api_url == discord.http.Route.BASE
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == fake_discord.gateway_url
    assert (await call(fake_discord, "GET", "/users/@me")).status == 200
    assert fake_discord.world.guilds == {}
