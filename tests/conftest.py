"""Shared fixtures: a local Discord per test (the fakediscord plugin), the real Marquee running against it, a
local feed server, an HTTP session, an empty database, and a throwaway PostgreSQL server for the session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import asyncpg
import pytest
import pytest_asyncio

from bot.runner import running_bot
from bot.transport import point_discord_at
from db import Database
from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord
from tests.helpers.marquee import Server, fan_server, marquee_settings
from tests.helpers.postgres import PostgresServer, require_bindir, throwaway_postgres
from tests.helpers.stores import STORE_VARIABLE, PostgresStores, chosen_store, migrated_template

pytest_plugins = ["fakediscord.pytest_plugin", "fakediscord.spec_plugin"]

STORE = chosen_store()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: the test is about the SQLite file itself; skipped when the suite runs on PostgreSQL"
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"store: {STORE} ({STORE_VARIABLE}=sqlite|postgresql)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if STORE == "sqlite":
        return
    skip = pytest.mark.skip(reason=f"about the SQLite file; this run's store is {STORE}")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """The session's migrated template database (the PostgreSQL run copies one per test from it)."""
    return migrated_template(postgres_server)


@pytest.fixture(autouse=True)
def test_store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """On the PostgreSQL run, every database the test opens by path is a PostgreSQL database of its own
    (tests.helpers.stores); on the SQLite run nothing changes."""
    if STORE != "postgresql":
        yield STORE
        return
    server, template = request.getfixturevalue("postgres_server"), request.getfixturevalue("postgres_template")
    with PostgresStores(server, template) as stores:
        monkeypatch.setattr(Database, "open", staticmethod(stores.open))
        yield STORE


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


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where two ``Database``s meet as two processes would: one SQLite file, or one PostgreSQL database (skipped
    without PostgreSQL installed). Each ``Database.open`` of it is one process's own connections."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_database")
        return url
    return tmp_path / "shared.db"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of the session's own (tests.helpers.postgres), started on first use and stopped, its folder
    removed, at the end; without PostgreSQL installed the test is skipped, or failed under CI, naming the fix."""
    with throwaway_postgres(require_bindir()) as started:
        yield started


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """A ``postgresql://`` URL to a fresh database on the session's server, shared by the whole session."""
    return postgres_server.create_database("marquee")


@pytest_asyncio.fixture
async def postgres_database(postgres_server: PostgresServer) -> AsyncIterator[str]:
    """A ``postgresql://`` URL to a database of the test's own (copied from ``template1``), dropped after it, so no
    test sees another's rows."""
    name = postgres_server.next_database_name()
    admin = await asyncpg.connect(postgres_server.url())
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template1')
    finally:
        await admin.close()
    try:
        yield postgres_server.url(name)
    finally:
        admin = await asyncpg.connect(postgres_server.url())
        try:
            # FORCE: a connection the test forgot to close must not keep its database alive into the next test.
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
