"""The ``/feeds`` group, ``/news`` and the two background loops (poll feeds, send the outbox).

The rules live in ``bot.feeds`` (what a feed is, what is new, what is blocked) and the outbox in ``db.feeds``;
this module only turns commands into calls to them and their results into Discord answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

import db.feeds as store
from bot.bot import Marquee
from bot.cards import truncate
from bot.errors import UserFacingError
from bot.feeds.fetch import Fetcher
from bot.feeds.filters import DEFAULT_BLOCKED_DOMAINS, FilterError, Keyword, normalise_domain, parse_keywords
from bot.feeds.parse import FeedParser
from bot.feeds.post import discord_timestamp, news_card
from bot.feeds.urls import check_public, validate_feed_url
from bot.feeds.watcher import KEEP_POSTS, FeedWatcher, PollOutcome, Preview
from bot.runner import USER_AGENT
from cogs._embeds import to_embed
from cogs._permissions import missing_in
from cogs.feeds._sender import OutboxSender, premiere_of

log = logging.getLogger(__name__)

POLL_TICK = 5.0  # how often the watcher looks for due feeds; each feed keeps its own slot in the interval
SEND_TICK = 1.0
PRUNE_TICK = 6 * 3600.0  # old deliveries are forgotten a few times a day; the first pass runs at start-up
REFRESH_EVERY = timedelta(minutes=1)
MAX_BACKFILL = 10
MAX_NEWS = 10
MAX_STATUS_FIELDS = 25  # Discord's limit per embed
STATUS_BUDGET = 6000 - 1024 - 256 - 200  # an embed holds 6000 characters; leave room for one more field
# Read Message History lets the sender check a channel before re-posting after a crash.
NEEDED_IN_CHANNEL = ("view_channel", "send_messages", "embed_links", "read_message_history")

Interaction = discord.Interaction[Marquee]


def _keywords(text: str | None, what: str) -> str:
    """The keyword list as typed, after checking it parses; ``UserFacingError`` saying what is wrong."""
    try:
        parse_keywords(text)
    except FilterError as exc:
        raise UserFacingError(f"The {what} keywords cannot be used: {exc}") from None
    return ", ".join(part.strip() for part in (text or "").split(",") if part.strip())


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

    def __init__(self, bot: Marquee) -> None:
        self.bot = bot
        self.parser = FeedParser(workers=2, timeout=10.0)
        self.watcher: FeedWatcher | None = None
        self.sender = OutboxSender(bot)
        self._poll_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def cog_load(self) -> None:
        allow_private = self.bot.settings.feeds_allow_private_networks
        await self.parser.start()
        # The bot's session comes from start-up, already refusing private addresses unless they are allowed.
        fetcher = Fetcher(self.bot.http_session, allow_private=allow_private, user_agent=USER_AGENT)
        interval = timedelta(seconds=self.bot.settings.feed_poll_interval)
        self.watcher = FeedWatcher(self.bot.db, fetcher, self.parser, interval=interval)
        self._tasks = [
            asyncio.create_task(self._every(POLL_TICK, self.poll_once, "feed poll"), name="feeds-poll"),
            asyncio.create_task(self._sender_loop(), name="feeds-sender"),
            asyncio.create_task(self._every(PRUNE_TICK, self.prune_once, "outbox pruning"), name="feeds-prune"),
        ]

    async def cog_unload(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self.parser.close()

    @property
    def running(self) -> FeedWatcher:
        if self.watcher is None:
            raise RuntimeError("the feeds cog is not loaded")
        return self.watcher

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
        include_words, exclude_words = _keywords(include, "include"), _keywords(exclude, "exclude")
        preview = await self._preview(interaction, url)
        subscribed = await self.running.subscribe(
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
        self._wake.set()
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
        url = validate_feed_url(url)
        await interaction.response.defer(ephemeral=True, thinking=True)  # DNS and the fetch can take a while
        await check_public(url, allow_private=self.bot.settings.feeds_allow_private_networks)
        return await self.running.preview(url)

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
        subscriptions = await store.guild_subscriptions(self.bot.db, interaction.guild.id)
        if not subscriptions:
            await interaction.response.send_message(
                "This server follows no feeds yet: try `/feeds add`.", ephemeral=True
            )
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
        removed = await store.unsubscribe(self.bot.db, interaction.guild.id, subscription)
        if removed is None:
            raise UserFacingError("This server has no such subscription; `/feeds list` shows them.")
        await interaction.response.send_message(
            f"<#{removed.channel_id}> no longer follows **{removed.feed_title or removed.feed_url}**.", ephemeral=True
        )

    @remove.autocomplete("subscription")
    async def remove_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild is None:
            return []
        typed = current.casefold().strip()
        choices: list[app_commands.Choice[int]] = []
        for s in await store.guild_subscriptions(self.bot.db, interaction.guild.id):
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
        watcher = self.running
        ours = {f.id for f in await store.guild_feeds(self.bot.db, guild.id)}
        if not ours:
            raise UserFacingError("This server follows no feeds yet: try `/feeds add`.")
        again = await store.claim_refresh(self.bot.db, guild.id, watcher.now(), REFRESH_EVERY)
        if again is not None:
            raise UserFacingError(f"Feeds were just checked; you can refresh again {discord_timestamp(again, 'R')}.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcomes = [o for o in await self.poll_once() if o.feed_id in ours]
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
        statuses = await store.guild_status(self.bot.db, guild.id, since=self.running.now() - KEEP_POSTS)
        if not statuses:
            await interaction.response.send_message(
                "This server follows no feeds yet: try `/feeds add`.", ephemeral=True
            )
            return
        paused_channels = await store.paused_channels(self.bot.db, guild.id)
        now = self.running.now()
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
            lines.append(f"Posted here in the last {KEEP_POSTS.days} days: {entry.posted_here}")
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
        chosen = next((s for s in await store.guild_subscriptions(self.bot.db, guild.id) if s.id == subscription), None)
        if chosen is None:
            raise UserFacingError("This server has no such subscription; `/feeds list` shows them.")
        channel = guild.get_channel(chosen.channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise UserFacingError("That subscription's channel no longer exists; remove it with `/feeds remove`.")
        self._check_can_post(channel)
        now = self.running.now()
        feed = await store.get_feed(self.bot.db, chosen.feed_id)
        resumed = []
        if feed is not None and feed.paused_reason:
            await store.resume_feed(self.bot.db, feed.id, now)
            resumed.append(f"**{feed.title or feed.url}** will be checked again shortly")
        if chosen.channel_id in await store.paused_channels(self.bot.db, guild.id):
            await store.resume_channel(self.bot.db, chosen.channel_id, now)
            resumed.append(f"posting in {channel.mention} resumes with the news that waited")
            self._wake.set()
        if not resumed:
            raise UserFacingError("Nothing about that subscription is paused.")
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
        settings = await store.guild_settings(self.bot.db, guild.id)
        domains, phrases = list(settings.blocked_domains), list(settings.blocked_patterns)
        try:
            if domain:
                domains.append(normalise_domain(domain))
            if phrase:
                phrases.append(Keyword.compile(phrase).text)
        except FilterError as exc:
            raise UserFacingError(str(exc)) from None
        if domain or phrase:
            changed = replace(
                settings, blocked_domains=tuple(dict.fromkeys(domains)), blocked_patterns=tuple(dict.fromkeys(phrases))
            )
            await store.save_guild_settings(self.bot.db, changed)
            settings = changed
        own = [f"`{d}`" for d in settings.blocked_domains] + [f"“{p}”" for p in settings.blocked_patterns]
        text = (
            f"Always blocked: {len(DEFAULT_BLOCKED_DOMAINS)} known fake or pirate sites and 'watch online', "
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
        settings = await store.guild_settings(self.bot.db, guild.id)
        domains = tuple(d for d in settings.blocked_domains if d != entry.strip().lower())
        phrases = tuple(p for p in settings.blocked_patterns if p.casefold() != entry.strip().casefold())
        if (domains, phrases) == (settings.blocked_domains, settings.blocked_patterns):
            raise UserFacingError(f"“{entry}” is not on this server's blocklist; `/feeds block` shows it.")
        await store.save_guild_settings(
            self.bot.db, replace(settings, blocked_domains=domains, blocked_patterns=phrases)
        )
        await interaction.response.send_message(f"“{entry}” is no longer blocked here.", ephemeral=True)

    @unblock.autocomplete("entry")
    async def unblock_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        settings = await store.guild_settings(self.bot.db, interaction.guild.id)
        entries = [*settings.blocked_domains, *settings.blocked_patterns]
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
        settings = await store.guild_settings(self.bot.db, guild.id)
        date_text = settings.premiere_date
        if premiere is not None:
            try:
                date_text = date.fromisoformat(premiere.strip()).isoformat()
            except ValueError:
                raise UserFacingError("Give the premiere as year-month-day, like 2027-01-29.") from None
        if days and date_text is None:
            raise UserFacingError("Tell me the premiere date too, like `premiere:2027-01-29`.")
        await store.save_guild_settings(self.bot.db, replace(settings, spoiler_days=days, premiere_date=date_text))
        if not days:
            await interaction.response.send_message(
                "The spoiler guard is off: headlines are shown plainly.", ephemeral=True
            )
            return
        start = premiere_of(date_text)
        assert start is not None
        await interaction.response.send_message(
            f"From {discord_timestamp(start, 'D')} until {discord_timestamp(start + timedelta(days=days), 'D')}, "
            "news headlines and summaries are posted inside spoiler tags, without images.",
            ephemeral=True,
        )

    # -- /news ----------------------------------------------------------------------------------------------

    @app_commands.command(name=_("news"), description=_("The latest articles Marquee posted in this server"))
    @app_commands.describe(count=_("How many articles to show"))
    @app_commands.guild_only()
    async def news(self, interaction: Interaction, count: app_commands.Range[int, 1, MAX_NEWS] = 5) -> None:
        assert interaction.guild is not None
        posts = await store.recent_posts(self.bot.db, interaction.guild.id, count)
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
        watcher = self.running
        async with self._poll_lock:
            if everything:
                await store.make_all_due(self.bot.db, watcher.now())
            outcomes = await watcher.poll_due()
        for outcome in outcomes:
            if outcome.fresh:
                self.bot.dispatch("news_items", outcome.fresh)
        if any(o.queued for o in outcomes):
            self._wake.set()
        await self.announce_pauses()
        return outcomes

    async def send_due(self) -> int:
        """Send what the outbox holds that is due now; the sender loop calls this, tests may too."""
        return await self.sender.drain()

    async def announce_pauses(self) -> None:
        """Tell each channel of a newly paused feed, once, why its news stopped."""
        for feed, subscriptions in await store.unannounced_pauses(self.bot.db):
            for sub in subscriptions:
                channel = self.bot.get_partial_messageable(sub.channel_id, guild_id=sub.guild_id)
                try:
                    await channel.send(
                        f"I stopped checking **{discord.utils.escape_markdown(feed.title or feed.url)}**: "
                        f"{feed.paused_reason}. A moderator can see `/feeds status` and retry with `/feeds resume`.",
                        allowed_mentions=discord.AllowedMentions.none(),
                    )
                except discord.HTTPException as exc:
                    log.warning("could not tell channel %s that feed %s paused: %s", sub.channel_id, feed.id, exc)
            await store.mark_pause_announced(self.bot.db, feed.id)

    async def prune_once(self) -> None:
        forgotten = await self.running.forget_old_posts()
        if forgotten:
            log.info("forgot %d deliveries older than %d days", forgotten, KEEP_POSTS.days)

    async def _ready(self) -> bool:
        try:
            await self.bot.wait_until_ready()
        except RuntimeError:  # loaded without ever logging in (extension checks): nothing to run
            return False
        return True

    async def _every(self, seconds: float, work: Callable[[], Awaitable[object]], what: str) -> None:
        if not await self._ready():
            return
        while True:
            try:
                await work()
            except Exception:
                log.exception("%s failed; trying again in %.0f s", what, seconds)
            await asyncio.sleep(seconds)

    async def _sender_loop(self) -> None:
        if not await self._ready():
            return
        while True:
            self._wake.clear()
            try:
                await self.send_due()
            except Exception:
                log.exception("the news sender failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SEND_TICK):
                    await self._wake.wait()
