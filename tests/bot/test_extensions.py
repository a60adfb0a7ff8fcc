"""Every extension in cogs/ loads into one bot without a command-name clash."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.bot import Marquee, command_payload_digest
from bot.extensions import walk_extensions
from bot.settings import Settings
from bot.show import load_show
from db import Database


def test_private_modules_are_not_extensions() -> None:
    """Helpers such as cogs/_embeds.py are not loaded as extensions."""
    names = walk_extensions()
    assert names, "no extensions found"
    assert all(not name.rsplit(".", 1)[-1].startswith("_") for name in names)


async def test_all_extensions_load_without_clash(tmp_path: Path) -> None:
    """Loading every extension succeeds (a duplicate command name would raise) and names are unique."""
    settings = Settings.from_env({"DATABASE_PATH": str(tmp_path / "x.db")}, require_token=False)
    async with aiohttp.ClientSession() as session, await Database.open(settings.database_path) as database:
        bot = Marquee(settings=settings, db=database, http_session=session, show=load_show(settings.show))
        for name in walk_extensions():
            await bot.load_extension(name)
        top_level = [c.name for c in bot.tree.get_commands()]
        assert len(top_level) == len(set(top_level))
        assert "about" in top_level
        first = await command_payload_digest(bot.tree)
        assert first == await command_payload_digest(bot.tree)
        await bot.close()
