"""``/about``: what Marquee is and what it can do in this server."""

from __future__ import annotations

from bot.bot import Marquee
from cogs.about._cog import About


async def setup(bot: Marquee) -> None:
    await bot.add_cog(About(bot))
