"""``/cast`` and ``/recap``: who plays whom and what happened, from the server's show pack."""

from __future__ import annotations

from bot.bot import Marquee
from cogs.show._cog import ShowCommands
from cogs.show._paging import PageButton, PageLabel


async def setup(bot: Marquee) -> None:
    bot.add_dynamic_items(PageButton, PageLabel)
    await bot.add_cog(ShowCommands(bot))
