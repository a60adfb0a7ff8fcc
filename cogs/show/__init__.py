"""``/cast`` and ``/recap``: who plays whom and what happened, from the server's show pack."""

from __future__ import annotations

from discord.ext import commands

from bot.services import services_of
from cogs.show._cog import ShowCommands
from cogs.show._paging import PageButton, PageLabel


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(PageButton, PageLabel)
    services = services_of(bot)
    await bot.add_cog(ShowCommands(services.show, services.show_index))
