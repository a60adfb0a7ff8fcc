"""The ``/feeds`` group, ``/news`` and the three background loops (poll feeds, send the outbox, prune it).

Every rule and storage call is in ``bot.feeds.service.FeedService``; this module only turns commands into
one call of it and its results into Discord answers. Discord is handed to the service as
``DiscordNewsChannels`` wherever it posts.
"""

from __future__ import annotations

import logging
from datetime import datetime

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.cards import truncate
from bot.errors import UserFacingError
from bot.feeds.post import discord_timestamp, news_card
from bot.feeds.service import NO_FEEDS, FeedService
from bot.feeds.watcher import PollOutcome, Preview
from bot.loops import BackgroundLoop
from cogs._embeds import to_embed
from cogs._loops import background
from cogs._permissions import missing_in
from cogs.feeds._channels import DiscordNewsChannels

log = logging.getLogger(__name__)

POLL_TICK = 5.0  # how often the watcher looks for due feeds; each feed keeps its own slot in the interval
SEND_TICK = 1.0
PRUNE_TICK = 6 * 3600.0  # old deliveries are forgotten a few times a day; the first pass runs at start-up
MAX_BACKFILL = 10
MAX_NEWS = 10
MAX_STATUS_FIELDS = 25  # Discord's limit per embed
STATUS_BUDGET = 6000 - 1024 - 256 - 200  # an embed holds 6000 characters; leave room for one more field
# Read Message History lets the sender check a channel before re-posting after a crash.
NEEDED_IN_CHANNEL = ("view_channel", "send_messages", "embed_links", "read_message_history")

Interaction = discord.Interaction[commands.Bot]


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else f"{discord_timestamp(moment, 'f')} ({discord_timestamp(moment, 'R')})"


class FeedCommands(commands.Cog):
    """News feeds posted into channels: moderators subscribe, the watcher polls, the sender posts."""

    feeds = app_commands.Group(
        name=_("feeds"),
        description=_("Post news from RSS or Atom feeds into channels"),
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: commands.Bot, service: FeedService) -> None:
        self.bot = bot
        self.service = service
        self.channels = DiscordNewsChannels(bot)
        self.loops: list[BackgroundLoop] = []

    async def cog_load(self) -> None:
        await self.service.start()
        self.loops = [
            background(self.bot, "feed poll", self.poll_once, every=POLL_TICK),
            background(self.bot, "news sender", self.send_due, every=SEND_TICK, wake=self.service.outbox_changed),
            background(self.bot, "outbox pruning", self.service.prune_once, every=PRUNE_TICK),
        ]

    async def cog_unload(self) -> None:
        for loop in self.loops:
            await loop.stop()
        self.loops = []
        await self.service.close()

    # -- /feeds add -----------------------------------------------------------------------------------------

    @feeds.command(name=_("add"), description=_("Follow a feed in a channel (its current items count as seen)"))
    @app_commands.describe(
        url=_("The feed's address (RSS or Atom, starting with https://)"),
        channel=_("Where to post (default: this channel)"),
        include=_("Only post items mentioning one of these words (comma-separated)"),
        exclude=_("Never post items mentioning any of these words (comma-separated)"),
        backfill=_("Also post this many of the newest items right away"),
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self,
        interaction: Interaction,
        url: str,
        channel: discord.TextChannel | None = None,
        include: str | None = None,
        exclude: str | None = None,
        backfill: app_commands.Range[int, 0, MAX_BACKFILL] = 0,
    ) -> None:
        guild = interaction.guild
        assert guild is not None  # guild_only
        target = channel or interaction.channel
        if not isinstance(target, discord.TextChannel):
            raise UserFacingError("Pick a text channel for the news.")
        self._check_can_post(target)
        include_words, exclude_words = self.service.keywords(include, exclude)
        preview = await self._preview(interaction, url)
        subscribed = await self.service.subscribe(
            preview,
            guild_id=guild.id,
            channel_id=target.id,
            include=include_words,
            exclude=exclude_words,
            created_by=interaction.user.id,
            backfill=backfill,
        )
        if subscribed is None:
            raise UserFacingError(
                f"{target.mention} already follows {preview.feed.title}; "
                "`/feeds status` shows how it is doing and `/feeds resume` retries a paused one."
            )
        if subscribed.fresh:
            self.bot.dispatch("news_items", subscribed.fresh)
        lines = [
            f"{target.mention} now follows **{preview.feed.title}** (subscription `{subscribed.subscription.id}`).",
            f"The {len(preview.feed.items)} item(s) already in the feed count as seen",
        ]
        lines[-1] += (
            f"; {subscribed.queued} of them will be posted now." if backfill else "; only new ones will be posted."
        )
        if include_words or exclude_words:
            lines.append(f"Filters: include `{include_words or '-'}`, exclude `{exclude_words or '-'}`.")
        await self._answer_with_preview(interaction, "\n".join(lines), preview)

    @feeds.command(name=_("test"), description=_("Preview a feed without following it"))
    @app_commands.describe(url=_("The feed's address (RSS or Atom, starting with https://)"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def test(self, interaction: Interaction, url: str) -> None:
        preview = await self._preview(interaction, url)
        text = f"**{preview.feed.title}** is a usable feed with {len(preview.feed.items)} item(s)."
        await self._answer_with_preview(interaction, text, preview)

    async def _preview(self, interaction: Interaction, url: str) -> Preview:
        url = self.service.checked_url(url)
        await interaction.response.defer(ephemeral=True, thinking=True)  # DNS and the fetch can take a while
        return await self.service.preview(url)

    async def _answer_with_preview(self, interaction: Interaction, text: str, preview: Preview) -> None:
        newest = preview.newest
        if newest is None:
            await interaction.followup.send(text + "\nThe feed has no items yet.", ephemeral=True)
            return
        card = news_card(newest, feed_title=preview.feed.title)
        await interaction.followup.send(text + "\nIts newest item:", embed=to_embed(card), ephemeral=True)

    def _check_can_post(self, channel: discord.TextChannel) -> None:
        """Refuse, naming each missing permission, a channel Marquee could not post news in."""
        missing = missing_in(channel, NEEDED_IN_CHANNEL)
        if missing:
            raise UserFacingError(
                f"I cannot post news in {channel.mention}: I am missing {', '.join(missing)} there. "
                "A server admin can grant it in the channel's permissions."
            )

    # -- /feeds list, /feeds remove -------------------------------------------------------------------------

    @feeds.command(name=_("list"), description=_("The feeds this server follows"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_(self, interaction: Interaction) -> None:
        assert interaction.guild is not None
        subscriptions = await self.service.subscriptions(interaction.guild.id)
        if not subscriptions:
            await interaction.response.send_message(NO_FEEDS, ephemeral=True)
            return
        lines = []
        for s in subscriptions:
            line = f"`{s.id}` **{s.feed_title or s.feed_url}** → <#{s.channel_id}> · <{s.feed_url}>"
            if s.include_words:
                line += f" · include: {s.include_words}"
            if s.exclude_words:
                line += f" · exclude: {s.exclude_words}"
            lines.append(line)
        await interaction.response.send_message(truncate("\n".join(lines), 2000), ephemeral=True)

    @feeds.command(name=_("remove"), description=_("Stop posting a feed in a channel"))
    @app_commands.describe(subscription=_("The subscription to remove"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(self, interaction: Interaction, subscription: int) -> None:
        assert interaction.guild is not None
        removed = await self.service.remove(interaction.guild.id, subscription)
        await interaction.response.send_message(
            f"<#{removed.channel_id}> no longer follows **{removed.feed_title or removed.feed_url}**.", ephemeral=True
        )

    @remove.autocomplete("subscription")
    async def remove_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild is None:
            return []
        typed = current.casefold().strip()
        choices: list[app_commands.Choice[int]] = []
        for s in await self.service.subscriptions(interaction.guild.id):
            where = getattr(interaction.guild.get_channel(s.channel_id), "name", str(s.channel_id))
            label = truncate(f"{s.feed_title or s.feed_url} → #{where}", 100)
            if not typed or typed in label.casefold() or typed == str(s.id):
                choices.append(app_commands.Choice(name=label, value=s.id))
        return choices[:25]

    # -- /feeds refresh, /feeds status ----------------------------------------------------------------------

    @feeds.command(name=_("refresh"), description=_("Check this server's feeds now (once a minute)"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def refresh(self, interaction: Interaction) -> None:
        guild = interaction.guild
        assert guild is not None
        ours = await self.service.claim_refresh(guild.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcomes = self.service.own_outcomes(await self.poll_once(), ours)
        lines = [self._outcome_line(o) for o in outcomes] or ["Nothing was due (paused feeds are not checked)."]
        await interaction.followup.send(truncate("\n".join(lines), 2000), ephemeral=True)

    @staticmethod
    def _outcome_line(outcome: PollOutcome) -> str:
        if outcome.error is not None:
            return f"✗ <{outcome.url}>: {outcome.error}" + (
                f" — paused: {outcome.paused_reason}" if outcome.paused_reason else ""
            )
        return f"✓ <{outcome.url}>: {len(outcome.fresh)} new, {outcome.queued} post(s) on the way"

    @feeds.command(name=_("status"), description=_("How each feed is doing: last check, errors, posts, pauses"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: Interaction) -> None:
        guild = interaction.guild
        assert guild is not None
        found = await self.service.status(guild.id)
        statuses, paused_channels, now = found.entries, found.paused_channels, found.now
        if not statuses:
            await interaction.response.send_message(NO_FEEDS, ephemeral=True)
            return
        embed = discord.Embed(title="Feed status", colour=0xC0392B)
        for shown, entry in enumerate(statuses):
            if shown == MAX_STATUS_FIELDS or len(embed) > STATUS_BUDGET:
                embed.set_footer(text=f"…and {len(statuses) - shown} more; remove unused feeds with /feeds remove")
                break
            feed, sub = entry.feed, entry.subscription
            http = "none yet" if feed.last_status is None else str(feed.last_status)
            lines = [
                f"<#{sub.channel_id}> · <{feed.url}>",
                f"Last check: {_when(feed.last_fetch_at)} · HTTP {http}",
            ]
            if feed.paused_reason:
                lines.append(f"**Paused:** {feed.paused_reason}")
            else:
                due = feed.next_due_at
                lines.append(f"Next check: {_when(due)}" + (" (due now)" if due <= now else ""))
            if feed.consecutive_failures:
                lines.append(f"Failures in a row: {feed.consecutive_failures} · last error: {feed.last_error}")
            lines.append(f"Posted here in the last {found.keep_days} days: {entry.posted_here}")
            if sub.channel_id in paused_channels:
                lines.append(f"**Channel paused:** {paused_channels[sub.channel_id]}")
            name = truncate(f"{sub.id} · {'⏸ ' if feed.paused_reason else ''}{feed.title or feed.url}", 256)
            embed.add_field(name=name, value=truncate("\n".join(lines), 1024), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @feeds.command(name=_("resume"), description=_("Check a paused feed or channel again"))
    @app_commands.describe(subscription=_("The subscription to resume"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def resume(self, interaction: Interaction, subscription: int) -> None:
        guild = interaction.guild
        assert guild is not None
        chosen = await self.service.subscription(guild.id, subscription)
        channel = guild.get_channel(chosen.channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise UserFacingError("That subscription's channel no longer exists; remove it with `/feeds remove`.")
        self._check_can_post(channel)
        done = await self.service.resume(chosen)
        resumed = []
        if done.feed is not None:
            resumed.append(f"**{done.feed}** will be checked again shortly")
        if done.channel:
            resumed.append(f"posting in {channel.mention} resumes with the news that waited")
        await interaction.response.send_message("Resumed: " + "; ".join(resumed) + ".", ephemeral=True)

    resume.autocomplete("subscription")(remove_autocomplete)

    # -- /feeds block, /feeds unblock, /feeds spoilers --------------------------------------------------------

    @feeds.command(name=_("block"), description=_("Never post a site or a phrase here (no options: show the list)"))
    @app_commands.describe(
        domain=_("A site whose articles are never posted, like example.com"),
        phrase=_("Headlines containing this are never posted"),
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def block(self, interaction: Interaction, domain: str | None = None, phrase: str | None = None) -> None:
        guild = interaction.guild
        assert guild is not None
        blocked = await self.service.blocklist(guild.id, domain=domain, phrase=phrase)
        own = [f"`{d}`" for d in blocked.domains] + [f"“{p}”" for p in blocked.phrases]
        text = (
            f"Always blocked: {blocked.built_in} known fake or pirate sites and 'watch online', "
            "'free download' and account-giveaway headlines.\n"
            + ("Blocked in this server: " + ", ".join(own) if own else "This server blocks nothing else yet.")
        )
        await interaction.response.send_message(truncate(text, 2000), ephemeral=True)

    @feeds.command(name=_("unblock"), description=_("Remove an entry from this server's blocklist"))
    @app_commands.describe(entry=_("The site or phrase to unblock"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def unblock(self, interaction: Interaction, entry: str) -> None:
        guild = interaction.guild
        assert guild is not None
        await self.service.unblock(guild.id, entry)
        await interaction.response.send_message(f"“{entry}” is no longer blocked here.", ephemeral=True)

    @unblock.autocomplete("entry")
    async def unblock_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        blocked = await self.service.blocklist(interaction.guild.id)
        entries = [*blocked.domains, *blocked.phrases]
        typed = current.casefold().strip()
        return [app_commands.Choice(name=e[:100], value=e[:100]) for e in entries if typed in e.casefold()][:25]

    @feeds.command(name=_("spoilers"), description=_("Hide news headlines in spoiler tags for days after a premiere"))
    @app_commands.describe(
        days=_("How many days after the premiere (0 turns the guard off)"),
        premiere=_("The premiere date, like 2027-01-29"),
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def spoilers(
        self, interaction: Interaction, days: app_commands.Range[int, 0, 60], premiere: str | None = None
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        guard = await self.service.spoilers(guild.id, days, premiere)
        if guard.start is None or guard.end is None:
            await interaction.response.send_message(
                "The spoiler guard is off: headlines are shown plainly.", ephemeral=True
            )
            return
        await interaction.response.send_message(
            f"From {discord_timestamp(guard.start, 'D')} until {discord_timestamp(guard.end, 'D')}, "
            "news headlines and summaries are posted inside spoiler tags, without images.",
            ephemeral=True,
        )

    # -- /news ----------------------------------------------------------------------------------------------

    @app_commands.command(name=_("news"), description=_("The latest articles Marquee posted in this server"))
    @app_commands.describe(count=_("How many articles to show"))
    @app_commands.guild_only()
    async def news(self, interaction: Interaction, count: app_commands.Range[int, 1, MAX_NEWS] = 5) -> None:
        assert interaction.guild is not None
        posts = await self.service.recent_posts(interaction.guild.id, count)
        if not posts:
            await interaction.response.send_message("No news has been posted in this server yet.", ephemeral=True)
            return
        lines = []
        for post in posts:
            title = discord.utils.escape_markdown(truncate(post.title, 200))
            headline = f"[{title}]({post.link})" if post.link else title
            outlet = f" · {discord.utils.escape_markdown(post.outlet)}" if post.outlet else ""
            lines.append(f"• {headline}{outlet} · {discord_timestamp(post.published_at, 'R')}")
        embed = discord.Embed(title="Latest news", description=truncate("\n".join(lines), 4096), colour=0xC0392B)
        await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())

    # -- the background work ----------------------------------------------------------------------------------

    async def poll_once(self, *, everything: bool = False) -> list[PollOutcome]:
        """Poll the due feeds (all followed, unpaused feeds with ``everything``), then tell who needs to know.

        The loop calls this every few seconds; tests and the demo call it to run a cycle now.
        """
        outcomes = await self.service.poll_once(everything=everything)
        for outcome in outcomes:
            if outcome.fresh:
                self.bot.dispatch("news_items", outcome.fresh)
        await self.service.announce_pauses(self.channels)
        return outcomes

    async def send_due(self) -> int:
        """Send what the outbox holds that is due now; the sender loop calls this, tests may too."""
        return await self.service.send_due(self.channels)
