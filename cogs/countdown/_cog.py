"""The ``/countdown`` commands and the Discord events the countdown follows; the rules are in the service.

``bot.countdown.service.CountdownService`` decides and stores; this module turns interactions and events into
one call of it, hands it Discord as ``DiscordCountdowns``, and runs its timer loop.
"""

from __future__ import annotations

import logging
from datetime import datetime

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.countdown import claim_in_words
from bot.countdown.service import LONGEST_SLEEP, CountdownService
from bot.errors import UserFacingError
from bot.feeds.news import News
from bot.loops import BackgroundLoop
from bot.release import Status
from cogs._embeds import to_embed
from cogs._loops import background
from cogs._places import ANY_INSTALL, ANYWHERE, OUTSIDE_SERVERS, in_marquee_server, refuse_outside_marquee_servers
from cogs._replies import locale_of, reply_text
from cogs.countdown._channel import DiscordCountdowns

log = logging.getLogger(__name__)


class CountdownCommands(commands.Cog):
    """One pinned message per server saying when the next season arrives, as sure as the news is."""

    countdown = app_commands.Group(
        name=_("countdown"),
        description=_("When the next season arrives: one pinned message that follows the news"),
        # A fan can look the date up anywhere (`/countdown show`); the rest refuse outside a Marquee server.
        allowed_contexts=ANYWHERE,
        allowed_installs=ANY_INSTALL,
    )

    def __init__(self, bot: commands.Bot, service: CountdownService) -> None:
        self.bot = bot
        self.service = service
        self.discord = DiscordCountdowns(bot)
        self.timers: BackgroundLoop | None = None

    async def cog_load(self) -> None:
        self.timers = background(
            self.bot,
            "countdown timers",
            self.run_due,
            every=LONGEST_SLEEP.total_seconds(),
            wake=self.service.changed,
            delay=self.service.seconds_to_next,
        )

    async def cog_unload(self) -> None:
        if self.timers is not None:
            await self.timers.stop()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Outside a server that has Marquee only `/countdown show` answers; the rest say where they work.

        Runs before each command's own checks, so a fan in a DM is not told about a permission they could
        not have there.
        """
        refuse_outside_marquee_servers(interaction)
        return True

    # -- /countdown setup ---------------------------------------------------------------------------------------

    @countdown.command(name=_("setup"), description=_("Post and pin the countdown in a channel (Manage Server)"))
    @app_commands.describe(
        channel=_("Where to pin it (default: this channel)"),
        ping_role=_("A role to ping when the date changes (leave empty for no ping)"),
        event=_("Add the premiere to the server's events once the day is confirmed (needs Create Events)"),
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def setup(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        ping_role: discord.Role | None = None,
        event: bool | None = None,
    ) -> None:
        guild = interaction.guild
        target = channel or interaction.channel
        if guild is None or not isinstance(target, discord.TextChannel):
            raise UserFacingError("Pick a text channel in this server for the countdown.")
        problem = self.service.setup_problem(self.discord, guild.id, target.id)
        if problem:
            raise UserFacingError(problem)
        if ping_role is not None and ping_role.is_default():
            raise UserFacingError("Pick a role to ping, not @everyone.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        row = await self.service.setup(
            self.discord,
            guild.id,
            target.id,
            ping_role_id=ping_role.id if ping_role is not None else None,
            by_user=interaction.user.id,
            event=event,
        )
        if row.problem:
            await interaction.followup.send(row.problem, ephemeral=True)
            return
        if event and not self.service.may_schedule(self.discord, guild.id):
            await interaction.followup.send(self._event_missing_permission(interaction), ephemeral=True)
            return
        if ping_role is not None:
            text = reply_text(
                interaction,
                "The countdown is pinned in {channel} and follows the news by itself. "
                "I will ping {role} when the date changes. "
                "`/countdown lock` keeps it as it is; `/countdown set` sets it by hand.",
                channel=target.mention,
                role=ping_role.mention,
            )
        else:
            text = reply_text(
                interaction,
                "The countdown is pinned in {channel} and follows the news by itself. "
                "`/countdown lock` keeps it as it is; `/countdown set` sets it by hand.",
                channel=target.mention,
            )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())

    # -- /countdown show ----------------------------------------------------------------------------------------

    @countdown.command(
        name=_("show"),
        description=_("What is known about the release, how sure, and recent changes"),
        extras={OUTSIDE_SERVERS: True},
    )
    async def show(self, interaction: discord.Interaction) -> None:
        if not in_marquee_server(interaction):  # a DM, a group DM, a server without Marquee: no countdown to show
            card = self.service.pack_card(locale=locale_of(interaction))
            await interaction.response.send_message(embed=to_embed(card), ephemeral=True)
            return
        card = await self.service.card(
            interaction.guild_id or 0, with_problem=interaction.permissions.manage_guild, locale=locale_of(interaction)
        )
        await interaction.response.send_message(embed=to_embed(card), ephemeral=True)

    # -- /countdown set -----------------------------------------------------------------------------------------

    @countdown.command(name=_("set"), description=_("Set the date or window by hand (Manage Server)"))
    @app_commands.describe(
        when=_("A date or a window in words, like December 4, 2026 or early December 2026"),
        status=_("How sure it is"),
        source_url=_("A link to where it was said"),
        outlet=_("Who said it (default: the link's site)"),
    )
    @app_commands.choices(
        status=[
            app_commands.Choice(name=_("confirmed"), value=Status.CONFIRMED.value),
            app_commands.Choice(name=_("reported"), value=Status.REPORTED.value),
            app_commands.Choice(name=_("rumoured"), value=Status.RUMOURED.value),
        ]
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def set_(
        self,
        interaction: discord.Interaction,
        when: app_commands.Range[str, 1, 100],
        status: app_commands.Choice[str],
        source_url: app_commands.Range[str, 8, 500],
        outlet: app_commands.Range[str, 1, 80] | None = None,
    ) -> None:
        claim = await self.service.set_by_hand(
            interaction.guild_id or 0,
            when=when,
            status=status.value,
            source_url=source_url,
            outlet=outlet,
            user_name=interaction.user.display_name,
            user_id=interaction.user.id,
        )
        await interaction.response.send_message(
            reply_text(
                interaction,
                "The countdown now says: {claim}. The pinned message follows within a minute.",
                claim=claim_in_words(claim),
            ),
            ephemeral=True,
        )

    # -- /countdown event ---------------------------------------------------------------------------------------

    @countdown.command(
        name=_("event"), description=_("Add the confirmed premiere to the server's events, or stop (Manage Server)")
    )
    @app_commands.describe(enabled=_("True: keep a scheduled event for the confirmed premiere; False: no event"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def event(self, interaction: discord.Interaction, enabled: bool) -> None:
        guild_id = interaction.guild_id or 0
        changed = await self.service.set_event(guild_id, enabled=enabled)
        if enabled and not self.service.may_schedule(self.discord, guild_id):
            text = self._event_missing_permission(interaction)
        elif enabled:
            text = reply_text(
                interaction,
                "The premiere event is on: once the countdown has a confirmed day, it is in the server's events, "
                "and it moves or is cancelled with the news."
                if changed
                else "The premiere event was already on.",
            )
        else:
            text = reply_text(
                interaction,
                "The premiere event is off; an event already made is cancelled."
                if changed
                else "The premiere event was already off.",
            )
        await interaction.response.send_message(text, ephemeral=True)

    def _event_missing_permission(self, interaction: discord.Interaction) -> str:
        return reply_text(
            interaction,
            "The premiere event is on, but I am missing the Create Events permission, so the countdown works "
            "without it. A server admin can grant it in Server Settings → Roles → Marquee; "
            "`/countdown show` says when it is still missing.",
        )

    # -- /countdown lock, unlock, history -----------------------------------------------------------------------

    @countdown.command(name=_("lock"), description=_("Stop automatic updates from the news (Manage Server)"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def lock(self, interaction: discord.Interaction) -> None:
        await self._set_lock(interaction, locked=True)

    @countdown.command(name=_("unlock"), description=_("Resume automatic updates from the news (Manage Server)"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def unlock(self, interaction: discord.Interaction) -> None:
        await self._set_lock(interaction, locked=False)

    @countdown.command(
        name=_("history"), description=_("Every claim considered, accepted or kept out, and why (Manage Server)")
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def history(self, interaction: discord.Interaction) -> None:
        card = await self.service.history_card(interaction.guild_id or 0, locale=locale_of(interaction))
        await interaction.response.send_message(embed=to_embed(card), ephemeral=True)

    # -- news and Discord events --------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_news_items(self, news: News) -> None:
        """New articles are weighed for the countdowns of the servers whose feeds brought them."""
        await self.service.consider_news(news)

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.service.message_deleted(payload.message_id)

    @commands.Cog.listener()
    async def on_guild_channel_pins_update(
        self, channel: discord.abc.GuildChannel | discord.Thread, last_pin: datetime | None
    ) -> None:
        """A pin went away: if it was the countdown's message and the message is gone, post it again.

        Deleting a pinned message always changes the pins, and pin changes reach Marquee with the guilds
        intent alone, so this catches deletions even without message events.
        """
        if isinstance(channel, discord.TextChannel):
            await self.service.pins_changed(self.discord, channel.guild.id, channel.id)

    @commands.Cog.listener()
    async def on_scheduled_event_delete(self, event: discord.ScheduledEvent) -> None:
        """Someone deleted the premiere event: it stays deleted until the confirmed day changes."""
        await self.service.event_deleted(event.guild_id, event.id)

    async def _set_lock(self, interaction: discord.Interaction, *, locked: bool) -> None:
        changed = await self.service.set_locked(interaction.guild_id or 0, locked=locked)
        if locked:
            text = reply_text(
                interaction,
                "Locked: news no longer changes the countdown." if changed else "The countdown was already locked.",
            )
        else:
            text = reply_text(
                interaction,
                "Unlocked: the countdown follows the news again, starting with what came in while it was locked."
                if changed
                else "The countdown was not locked.",
            )
        await interaction.response.send_message(text, ephemeral=True)

    async def run_due(self) -> None:
        """Bring every due countdown up to date now; the timer loop calls this, tests may too."""
        await self.service.run_due(self.discord)
