"""Korean (and any further) translations of command names, descriptions and choices.

Discord shows each user the command in their client's language; the strings are data in the same locale
tables as the replies (``bot.i18n``, English text → translation), so a community can add a language without
touching code.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n import lookup


class MarqueeTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        return lookup(string.message, locale.value)
