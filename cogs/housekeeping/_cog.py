"""The Discord events that start and end a departure, the hourly cleanup and the pruning of old posts; the rules
(who does them: the cluster's leader) are in the service.

discord.py calls ``on_guild_remove`` only when Marquee really left a server (``GUILD_DELETE`` without
``unavailable``); a server in an outage arrives as ``on_guild_unavailable``, which Marquee ignores, and when it is
back as ``on_guild_available``. ``on_guild_join`` (invited back) and ``on_guild_available`` (there after a
restart or an outage) both mean Marquee is in the server, so both end a departure; a server missing from READY
removed Marquee while it was offline.
"""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.housekeeping.service import HousekeepingService
from bot.loops import BackgroundLoop
from cogs._loops import background

# Seconds between cleanups: the grace period is counted in days, so an hour late is nothing.
CLEANUP_TICK = 3600.0
# Old posts and items are forgotten a few times a day; the first pass runs at start-up.
PRUNE_TICK = 6 * 3600.0


class Housekeeping(commands.Cog):
    """No work for servers and channels that no longer want Marquee."""

    def __init__(self, bot: commands.Bot, service: HousekeepingService) -> None:
        self.bot = bot
        self.service = service
        self.loops: list[BackgroundLoop] = []

    async def cog_load(self) -> None:
        self.loops = [
            background(self.bot, "housekeeping", self.run_once, every=CLEANUP_TICK),
            background(self.bot, "pruning", self.service.prune_once, every=PRUNE_TICK),
        ]

    async def cog_unload(self) -> None:
        for loop in self.loops:
            await loop.stop()
        self.loops = []

    async def run_once(self) -> None:
        await self.service.run_once()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """READY lists every server Marquee is in (available or not): any other server was left while offline."""
        await self.service.servers_present(guild.id for guild in self.bot.guilds)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.service.server_removed(guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.service.server_returned(guild.id)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self.service.server_returned(guild.id)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self.service.channel_deleted(channel.guild.id, channel.id)
