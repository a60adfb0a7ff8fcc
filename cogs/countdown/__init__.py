"""``/countdown``: one pinned message per server that follows the release news."""

from __future__ import annotations

from discord.ext import commands

from bot.services import services_of
from cogs.countdown._cog import CountdownCommands


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(CountdownCommands(bot, services_of(bot).countdown))
