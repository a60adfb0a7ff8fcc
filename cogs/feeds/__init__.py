"""``/feeds …`` and ``/news``: news from RSS and Atom feeds, posted once to every channel that asked for it."""

from __future__ import annotations

from discord.ext import commands

from bot.services import services_of
from cogs.feeds._cog import FeedCommands


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(FeedCommands(bot, services_of(bot).feeds))
