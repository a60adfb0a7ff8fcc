"""``/feeds …`` and ``/news``: news from RSS and Atom feeds, posted once to every channel that asked for it."""

from __future__ import annotations

from bot.bot import Marquee
from cogs.feeds._cog import FeedCommands


async def setup(bot: Marquee) -> None:
    await bot.add_cog(FeedCommands(bot))
