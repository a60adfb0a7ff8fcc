"""Background loops started before the bot logs in wait for it, and then do their work."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import aiohttp

import db.countdown
from bot.bot import Marquee
from bot.countdown import seed_claim
from bot.release.claims import claim_to_json
from bot.settings import Settings
from bot.show import load_show
from cogs._loops import LOGIN_CHECK
from cogs.countdown._cog import CountdownCommands
from db import Database
from fakediscord.server import FakeDiscord


async def test_countdown_timer_survives_a_bot_not_logged_in_and_fires_once_it_is(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """Loaded before login, the timer keeps waiting (it used to die silently); after login it pins the due countdown."""
    fd = fake_discord
    guild = fd.add_guild("Early Birds")
    channel = fd.general(guild)
    settings = Settings.from_env(
        {
            "DISCORD_TOKEN": fd.token,
            "DATABASE_PATH": str(tmp_path / "marquee.db"),
            "DISCORD_API_URL": fd.api_url,
            "DISCORD_GATEWAY_URL": fd.gateway_url,
        }
    )
    show = load_show(settings.show)
    seed = seed_claim(show)
    assert seed is not None
    now = datetime.now(UTC)
    async with aiohttp.ClientSession() as session, await Database.open(settings.database_path) as database:
        await db.countdown.create(
            database,
            guild_id=guild.id,
            channel_id=channel.id,
            ping_role_id=None,
            claim=claim_to_json(seed),
            by_user=1,
            now=now,
        )
        await db.countdown.set_due(database, guild.id, now)
        bot = Marquee(
            settings=settings, db=database, http_session=session, show=show, extensions=[], guild_ready_timeout=0.05
        )
        await bot.load_extension("cogs.countdown")
        cog = bot.get_cog("CountdownCommands")
        assert type(cog).__name__ == "CountdownCommands"
        timers = cast(CountdownCommands, cog).timers
        assert timers is not None
        await asyncio.sleep(3 * LOGIN_CHECK)  # the time before login is what is under test
        assert timers.running and timers.rounds == 0
        assert fd.messages(channel) == []

        started = asyncio.create_task(bot.start(fd.token))
        try:
            pins = await fd.wait_until(lambda: fd.pins(channel) or None, 10, "the countdown pinned after login")
        finally:
            await bot.close()
            await started
        assert len(pins) == 1 and "All of Us Are Dead" in str(pins[0].embeds[0].get("title", ""))
