"""Shared fixtures: a local Discord per test (the fakediscord plugin), the real Marquee running against it, a
local feed server, an HTTP session and an empty database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio

from bot.runner import running_bot
from bot.transport import point_discord_at
from db import Database
from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord
from tests.helpers.marquee import Server, fan_server, marquee_settings

pytest_plugins = ["fakediscord.pytest_plugin", "fakediscord.spec_plugin"]


@pytest_asyncio.fixture
async def fake_discord(fake_discord_server: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    """The plugin's fake, with discord.py pointed at it for the test and back at Discord afterwards, so
    one test's port never leaks into the next."""
    point_discord_at(fake_discord_server.api_url, fake_discord_server.gateway_url)
    try:
        yield fake_discord_server
    finally:
        point_discord_at()


@pytest_asyncio.fixture
async def server(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[Server]:
    """Marquee started against a fresh fakediscord with one fan server, torn down cleanly."""
    guild, fan, mod = fan_server(fake_discord)
    settings = marquee_settings(fake_discord, tmp_path)
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        yield Server(fake_discord, bot, guild, fake_discord.general(guild), fan, mod)


@pytest_asyncio.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    """A started loopback feed server (fakediscord.feeds) with the bundled samples and hostile feeds."""
    async with FeedServer() as fs:
        yield fs


@pytest_asyncio.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session, closed after the test."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """An empty, migrated Marquee database in the test's own directory."""
    async with await Database.open(tmp_path / "test.db") as opened:
        yield opened
