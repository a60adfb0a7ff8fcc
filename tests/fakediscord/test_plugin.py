"""The pytest fixture hands each test its own started fake, with discord.py pointed at it."""

from __future__ import annotations

import discord.http
from discord.gateway import DiscordWebSocket

from fakediscord.server import FakeDiscord
from tests.fakediscord.rawapi import call


async def test_fixture_is_started_and_redirects_the_client(fake_discord: FakeDiscord) -> None:
    """During the test the fake answers on loopback and discord.py's REST and gateway point at it."""
    assert fake_discord.api_url.startswith("http://127.0.0.1:")
    assert fake_discord.api_url == discord.http.Route.BASE
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == fake_discord.gateway_url
    assert (await call(fake_discord, "GET", "/users/@me")).status == 200
    assert fake_discord.world.guilds == {}
