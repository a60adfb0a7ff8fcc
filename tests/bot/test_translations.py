"""Korean-speaking fans see every command, option and description in Korean."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp
import discord

from bot.bot import Marquee
from bot.extensions import walk_extensions
from bot.settings import Settings
from bot.show import load_show
from bot.translations import MarqueeTranslator
from db import Database

NAME = re.compile(r"^[-_\w]{1,32}$")


def strings(payload: dict[str, Any]) -> list[tuple[str, str, dict[str, str] | None]]:
    """(kind, English, localizations) for the command and every nested option and choice."""
    found = [
        ("name", payload["name"], payload.get("name_localizations")),
        ("description", payload.get("description", ""), payload.get("description_localizations")),
    ]
    for option in payload.get("options", []):
        found += strings(option)
    for choice in payload.get("choices", []):
        found.append(("choice", choice["name"], choice.get("name_localizations")))
    return [f for f in found if f[1]]


async def test_every_command_string_has_a_korean_translation(tmp_path: Path) -> None:
    """No command, option, description or choice is left untranslated, and names are valid for Discord."""
    settings = Settings.from_env({"DATABASE_PATH": str(tmp_path / "x.db")}, require_token=False)
    async with aiohttp.ClientSession() as session, await Database.open(settings.database_path) as database:
        bot = Marquee(settings=settings, db=database, http_session=session, show=load_show(settings.show))
        await bot.tree.set_translator(MarqueeTranslator())
        for name in walk_extensions():
            await bot.load_extension(name)
        missing: list[str] = []
        translator = bot.tree.translator
        assert translator is not None
        for command in bot.tree.get_commands():
            payload = await command.get_translated_payload(bot.tree, translator)
            for kind, english, localized in strings(payload):
                korean = (localized or {}).get(discord.Locale.korean.value)
                if not korean:
                    missing.append(f"{kind} {english!r}")
                elif kind == "name" and (not NAME.match(korean) or korean != korean.lower()):
                    missing.append(f"invalid Korean name {korean!r} for {english!r}")
        await bot.close()
    assert not missing, "untranslated: " + ", ".join(missing)
