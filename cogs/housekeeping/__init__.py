"""Housekeeping: hears Marquee leave servers and channels go, and forgets them after the grace period."""

from __future__ import annotations

from discord.ext import commands

from bot.services import services_of
from cogs.housekeeping._cog import Housekeeping


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Housekeeping(bot, services_of(bot).housekeeping))
