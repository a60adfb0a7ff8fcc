"""``/countdown``: one pinned message per server that follows the release news."""

from __future__ import annotations

from bot.bot import Marquee
from cogs.countdown._cog import CountdownCommands


async def setup(bot: Marquee) -> None:
    await bot.add_cog(CountdownCommands(bot))
