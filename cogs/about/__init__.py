"""``/about``: what Marquee is and what it can do where it is asked (a server, or a fan's DM)."""

from __future__ import annotations

from discord.ext import commands

from cogs.about._cog import About


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(About(bot))
