"""The ``/feeds`` group, ``/news`` and the two background loops (poll feeds, send the outbox; pruning it is one of
the cluster leader's chores, run by ``cogs.housekeeping``).

Every rule and storage call is in ``bot.feeds.service.FeedService``; this module only turns commands into
one call of it and its results into Discord answers. Discord is handed to the service as
``DiscordNewsChannels`` wherever it posts.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.cards import link_url, plain, truncate
from bot.errors import UserFacingError
from bot.feeds.pings import PingRole
from bot.feeds.post import discord_timestamp, news_card
from bot.feeds.refresh import Held
from bot.feeds.service import NO_FEEDS, FeedService
from bot.feeds.watcher import PollOutcome, Preview
from bot.loops import BackgroundLoop
from cogs._embeds import to_embed
from cogs._loops import background
from cogs._permissions import missing_in
from cogs._replies import reply_text
from cogs.feeds._channels import DiscordNewsChannels
from cogs.feeds._render import news_embed, outcome_line, status_embed
from cogs.feeds._threads import NewsChannel, post_style, style_line, tag_choices

log = logging.getLogger(__name__)

POLL_TICK = 5.0  # how often the watcher looks for due feeds; each feed keeps its own slot in the interval
SEND_TICK = 1.0
MAX_BACKFILL = 10
MAX_NEWS = 10
# Read Message History lets the sender check a channel before re-posting after a crash.
NEEDED_IN_CHANNEL = ("view_channel", "send_messages", "embed_links", "read_message_history")
# A forum post is a thread: opening one takes Send Messages on the forum, its first message Send Messages in Threads.
NEEDED_IN_FORUM = (*NEEDED_IN_CHANNEL, "send_messages_in_threads")

Interaction = discord.Interaction[commands.Bot]


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
        thread=_("Start a discussion thread on each post (text channels)"),
        tag=_("The tag each post gets (forum channels)"),
        ping_role=_("A role to ping when fresh news is posted (leave empty for no ping)"),
        ping_words=_("Ping only for posts mentioning one of these words (comma-separated)"),
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self,
        interaction: Interaction,
        url: str,
        channel: app_commands.Transform[discord.TextChannel | discord.ForumChannel, NewsChannel] | None = None,
        include: str | None = None,
        exclude: str | None = None,
        backfill: app_commands.Range[int, 0, MAX_BACKFILL] = 0,
        thread: bool = False,
        tag: str | None = None,
        ping_role: discord.Role | None = None,
        ping_words: str | None = None,
    ) -> None:
        guild = interaction.guild
        assert guild is not None  # guild_only
        self.service.take_fetch_turn(guild.id, interaction.user.id)
        await self.service.check_room_for_feed(guild.id)
        target = channel or interaction.channel
        if not isinstance(target, discord.TextChannel | discord.ForumChannel):
            raise UserFacingError("Pick a text channel for the news.")
        style = post_style(target, thread=thread, tag=tag)
        self._check_can_post(target)
        include_words, exclude_words = self.service.keywords(include, exclude)
        ping_role_id, ping_match = self._ping_choice(target, ping_role, ping_words)
        preview = await self._preview(interaction, url)
        subscribed = await self.service.subscribe(
            preview,
            guild_id=guild.id,
            channel_id=target.id,
            include=include_words,
            exclude=exclude_words,
            created_by=interaction.user.id,
            backfill=backfill,
            style=style,
            ping_role_id=ping_role_id,
            ping_words=ping_match,
        )
        if subscribed is None:
            raise UserFacingError(
                "{channel} already follows {feed}; "
                "`/feeds status` shows how it is doing and `/feeds resume` retries a paused one.",
                channel=target.mention,
                feed=plain(preview.feed.title),
            )
        if subscribed.fresh:
            self.bot.dispatch("news_items", subscribed.news)
        lines = [
            reply_text(
                interaction,
                "{channel} now follows **{feed}** (subscription `{id}`).",
                channel=target.mention,
                feed=plain(preview.feed.title),
                id=subscribed.subscription.id,
            ),
            reply_text(
                interaction,
                "The {count} item(s) already in the feed count as seen; {queued} of them will be posted now."
                if backfill
                else "The {count} item(s) already in the feed count as seen; only new ones will be posted.",
                count=len(preview.feed.items),
                queued=subscribed.queued,
            ),
        ]
        if (looks := style_line(interaction, target, style)) is not None:
            lines.append(looks)
        if ping_role_id is not None:
            lines.append(
                self._ping_line(interaction, preview.feed.title or preview.url, target.id, ping_role_id, ping_match)
            )
        if include_words or exclude_words:
            lines.append(
                reply_text(
                    interaction,
                    "Filters: include `{include}`, exclude `{exclude}`.",
                    include=include_words or "-",
                    exclude=exclude_words or "-",
                )
            )
        await self._answer_with_preview(interaction, "\n".join(lines), preview)

    @feeds.command(name=_("test"), description=_("Preview a feed without following it"))
    @app_commands.describe(url=_("The feed's address (RSS or Atom, starting with https://)"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def test(self, interaction: Interaction, url: str) -> None:
        assert interaction.guild is not None  # guild_only
        self.service.take_fetch_turn(interaction.guild.id, interaction.user.id)
        preview = await self._preview(interaction, url)
        text = reply_text(
            interaction,
            "**{feed}** is a usable feed with {count} item(s).",
            feed=plain(preview.feed.title),
            count=len(preview.feed.items),
        )
        await self._answer_with_preview(interaction, text, preview)

    async def _preview(self, interaction: Interaction, url: str) -> Preview:
        url = self.service.checked_url(url)
        await interaction.response.defer(ephemeral=True, thinking=True)  # DNS and the fetch can take a while
        return await self.service.preview(url)

    async def _answer_with_preview(self, interaction: Interaction, text: str, preview: Preview) -> None:
        newest = preview.newest
        if newest is None:
            await interaction.followup.send(
                text + "\n" + reply_text(interaction, "The feed has no items yet."), ephemeral=True
            )
            return
        card = news_card(newest, feed_title=preview.feed.title)  # the card as the channel would see it: English
        await interaction.followup.send(
            text + "\n" + reply_text(interaction, "Its newest item:"), embed=to_embed(card), ephemeral=True
        )

    def _check_can_post(self, channel: discord.TextChannel | discord.ForumChannel) -> None:
        """Refuse, naming each missing permission, a channel Marquee could not post news in."""
        missing = missing_in(
            channel, NEEDED_IN_FORUM if isinstance(channel, discord.ForumChannel) else NEEDED_IN_CHANNEL
        )
        if missing:
            raise UserFacingError(
                "I cannot post news in {channel}: I am missing {missing} there. "
                "A server admin can grant it in the channel's permissions.",
                channel=channel.mention,
                missing=", ".join(missing),
            )

    @add.autocomplete("tag")
    async def add_tag_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return tag_choices(interaction, current)

    # -- /feeds list, /feeds remove -------------------------------------------------------------------------

    @feeds.command(name=_("list"), description=_("The feeds this server follows"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_(self, interaction: Interaction) -> None:
        assert interaction.guild is not None
        subscriptions = await self.service.subscriptions(interaction.guild.id)
        if not subscriptions:
            await interaction.response.send_message(reply_text(interaction, NO_FEEDS), ephemeral=True)
            return
        lines = []
        for s in subscriptions:
            name = plain(s.feed_title or s.feed_url)
            parts = [f"`{s.id}` **{name}** → <#{s.channel_id}>", f"<{link_url(s.feed_url)}>"]
            if s.include_words:
                parts.append(reply_text(interaction, "include: {words}", words=s.include_words))
            if s.exclude_words:
                parts.append(reply_text(interaction, "exclude: {words}", words=s.exclude_words))
            if s.ping_role_id is not None and s.ping_words:
                parts.append(
                    reply_text(interaction, "pings <@&{role}> for: {words}", role=s.ping_role_id, words=s.ping_words)
                )
            elif s.ping_role_id is not None:
                parts.append(reply_text(interaction, "pings <@&{role}>", role=s.ping_role_id))
            lines.append(" · ".join(parts))
        await interaction.response.send_message(truncate("\n".join(lines), 2000), ephemeral=True)

    @feeds.command(name=_("remove"), description=_("Stop posting a feed in a channel"))
    @app_commands.describe(subscription=_("The subscription to remove"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(self, interaction: Interaction, subscription: int) -> None:
        assert interaction.guild is not None
        removed = await self.service.remove(interaction.guild.id, subscription)
        await interaction.response.send_message(
            reply_text(
                interaction,
                "{channel} no longer follows **{feed}**.",
                channel=f"<#{removed.channel_id}>",
                feed=plain(removed.feed_title or removed.feed_url),
            ),
            ephemeral=True,
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
        refresh = await self.service.claim_refresh(guild.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcomes = self.service.own_outcomes(await self.poll_once(), refresh.due)
        lines = [outcome_line(interaction, o) for o in outcomes] + [held_line(interaction, h) for h in refresh.held]
        if not lines:
            lines = [reply_text(interaction, "Nothing was due (paused feeds are not checked).")]
        await interaction.followup.send(truncate("\n".join(lines), 2000), ephemeral=True)

    @feeds.command(name=_("status"), description=_("How each feed is doing: last check, errors, posts, pauses"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: Interaction) -> None:
        guild = interaction.guild
        assert guild is not None
        found = await self.service.status(guild.id)
        if not found.entries:
            await interaction.response.send_message(reply_text(interaction, NO_FEEDS), ephemeral=True)
            return
        embed = status_embed(interaction, found)
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
            resumed.append(reply_text(interaction, "**{feed}** will be checked again shortly", feed=plain(done.feed)))
        if done.channel:
            resumed.append(
                reply_text(
                    interaction, "posting in {channel} resumes with the news that waited", channel=channel.mention
                )
            )
        await interaction.response.send_message(
            reply_text(interaction, "Resumed: {what}.", what="; ".join(resumed)), ephemeral=True
        )

    resume.autocomplete("subscription")(remove_autocomplete)

    # -- /feeds ping --------------------------------------------------------------------------------------------

    @feeds.command(name=_("ping"), description=_("Ping a role when a subscription posts fresh news (no role: stop)"))
    @app_commands.describe(
        subscription=_("The subscription whose news pings"),
        role=_("The role to ping (leave out to stop pinging)"),
        words=_("Ping only for posts mentioning one of these words (comma-separated)"),
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def ping(
        self, interaction: Interaction, subscription: int, role: discord.Role | None = None, words: str | None = None
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        chosen = await self.service.subscription(guild.id, subscription)
        channel = guild.get_channel(chosen.channel_id)
        if channel is None:
            raise UserFacingError("That subscription's channel no longer exists; remove it with `/feeds remove`.")
        role_id, match = self._ping_choice(channel, role, words)
        changed = await self.service.set_ping(guild.id, chosen.id, role_id, match)
        await interaction.response.send_message(
            self._ping_line(
                interaction,
                changed.feed_title or changed.feed_url,
                changed.channel_id,
                changed.ping_role_id,
                changed.ping_words,
            ),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    ping.autocomplete("subscription")(remove_autocomplete)

    def _ping_choice(
        self, channel: discord.abc.GuildChannel, role: discord.Role | None, words: str | None
    ) -> tuple[int | None, str]:
        """The role news in ``channel`` pings and the words it needs, checked before anything changes; (None, "")
        for no ping. Whether Marquee may mention the role there is Discord's to say, the rule is the service's."""
        if role is None:
            if words and words.strip():
                raise UserFacingError("Pick the role to ping as well: the words only say which posts ping it.")
            return None, ""
        if not isinstance(channel, discord.TextChannel):
            raise UserFacingError(
                "News pings a role only in text channels; leave out the role for {channel}.", channel=channel.mention
            )
        self.service.check_ping(
            PingRole(role.id, role.name, everyone=role.is_default(), mentionable=role.mentionable),
            can_mention_everyone=channel.permissions_for(channel.guild.me).mention_everyone,
            channel=channel.mention,
        )
        return role.id, self.service.ping_words(words)

    def _ping_line(self, interaction: Interaction, feed: str, channel_id: int, role: int | None, words: str) -> str:
        """What a subscription's pings are now, as ``/feeds add`` and ``/feeds ping`` confirm them."""
        feed, channel = plain(feed), f"<#{channel_id}>"
        if role is None:
            return reply_text(
                interaction, "News from **{feed}** in {channel} no longer pings anyone.", feed=feed, channel=channel
            )
        minutes = max(1, round(self.service.limits.ping_window_seconds / 60))
        if words:
            return reply_text(
                interaction,
                "Fresh news from **{feed}** in {channel} pings <@&{role}> when it mentions {words}, at most once "
                "every {minutes} minutes; backfill and news caught up after an outage are posted without a ping.",
                feed=feed,
                channel=channel,
                role=role,
                words=words,
                minutes=minutes,
            )
        return reply_text(
            interaction,
            "Fresh news from **{feed}** in {channel} pings <@&{role}>, at most once every {minutes} minutes; "
            "backfill and news caught up after an outage are posted without a ping.",
            feed=feed,
            channel=channel,
            role=role,
            minutes=minutes,
        )

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
        always = reply_text(
            interaction,
            "Always blocked: {count} known fake or pirate sites and 'watch online', "
            "'free download' and account-giveaway headlines.",
            count=blocked.built_in,
        )
        if own:
            here = reply_text(interaction, "Blocked in this server: {entries}", entries=", ".join(own))
        else:
            here = reply_text(interaction, "This server blocks nothing else yet.")
        text = always + "\n" + here
        await interaction.response.send_message(truncate(text, 2000), ephemeral=True)

    @feeds.command(name=_("unblock"), description=_("Remove an entry from this server's blocklist"))
    @app_commands.describe(entry=_("The site or phrase to unblock"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def unblock(self, interaction: Interaction, entry: str) -> None:
        guild = interaction.guild
        assert guild is not None
        await self.service.unblock(guild.id, entry)
        await interaction.response.send_message(
            reply_text(interaction, "“{entry}” is no longer blocked here.", entry=entry), ephemeral=True
        )

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
                reply_text(interaction, "The spoiler guard is off: headlines are shown plainly."), ephemeral=True
            )
            return
        await interaction.response.send_message(
            reply_text(
                interaction,
                "From {start} until {end}, news headlines and summaries are posted inside spoiler tags, "
                "without images.",
                start=discord_timestamp(guard.start, "D"),
                end=discord_timestamp(guard.end, "D"),
            ),
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
            await interaction.response.send_message(
                reply_text(interaction, "No news has been posted in this server yet."), ephemeral=True
            )
            return
        embed = news_embed(interaction, posts)
        await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())

    # -- the background work ----------------------------------------------------------------------------------

    async def poll_once(self, *, everything: bool = False) -> list[PollOutcome]:
        """Poll the due feeds (all followed, unpaused feeds with ``everything``), then tell who needs to know.

        The loop calls this every few seconds; tests and the demo call it to run a cycle now.
        """
        outcomes = await self.service.poll_once(everything=everything)
        for outcome in outcomes:
            if outcome.fresh:
                self.bot.dispatch("news_items", outcome.news)
        await self.service.announce_pauses(self.channels)
        return outcomes

    async def send_due(self) -> int:
        """Send what the outbox holds that is due now; the sender loop calls this, tests may too."""
        return await self.service.send_due(self.channels)


def held_line(interaction: Interaction, waiting: Held) -> str:
    """A feed ``/feeds refresh`` did not fetch, and when the watcher will."""
    when = discord_timestamp(waiting.until, "R")
    if waiting.site_asked:
        return reply_text(
            interaction,
            "⏳ <{url}>: next check {when} (the site asked us to wait)",
            url=link_url(waiting.url),
            when=when,
        )
    return reply_text(
        interaction,
        "⏳ <{url}>: next check {when} (waiting after {count} failed check(s) in a row)",
        url=link_url(waiting.url),
        when=when,
        count=waiting.failures,
    )
