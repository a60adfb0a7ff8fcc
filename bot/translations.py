"""Korean (and any further) translations of command names, descriptions and choices.

Discord shows each user the command in their client's language; the strings are data (one TOML table per
locale, English text → translation) so a community can add a language without touching code.
"""

from __future__ import annotations

import logging
import tomllib
from functools import cache
from importlib import resources

import discord
from discord import app_commands

log = logging.getLogger(__name__)

LOCALE_FILES: dict[discord.Locale, str] = {discord.Locale.korean: "ko.toml"}


@cache
def table(locale: discord.Locale) -> dict[str, str]:
    """English string → translation for ``locale`` (empty when the locale has no file)."""
    name = LOCALE_FILES.get(locale)
    if name is None:
        return {}
    data = tomllib.loads(resources.files("bot.locales").joinpath(name).read_text(encoding="utf-8"))
    strings = data.get("strings", {})
    return {str(k): str(v) for k, v in strings.items()}


class MarqueeTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        return table(locale).get(string.message)
