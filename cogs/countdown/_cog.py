"""The ``/countdown`` commands, the news listener and the timer loop that keeps every pin current."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

import db.countdown
from bot.bot import Marquee
from bot.cards import Card, CardField, truncate
from bot.countdown import HistoryLine, claim_in_words, countdown_card, history_line, read_item, seed_claim
from bot.countdown.render import LOCKED
from bot.errors import UserFacingError
from bot.feeds.normalise import NewsItem
from bot.feeds.urls import host_of
from bot.release import ReleaseClaim, Source, Status, decide, parse_window
from cogs._embeds import to_embed
from cogs.countdown._keeper import Keeper, missing_permissions, missing_sentence

log = logging.getLogger(__name__)

# The sleeper never sleeps longer than this, so a clock jump or a lost wake-up costs at most this delay.
LONGEST_SLEEP = timedelta(hours=1)
RECENT_CHANGES = 5
HISTORY_LINES = 15
RECORD_ATTEMPTS = 3


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CountdownCommands(commands.Cog):
    """One pinned message per server saying when the next season arrives, as sure as the news is."""

    countdown = app_commands.Group(
        name=_("countdown"),
        description=_("When the next season arrives: one pinned message that follows the news"),
        guild_only=True,
    )

    def __init__(self, bot: Marquee) -> None:
        self.bot = bot
        self.now: Callable[[], datetime] = _utc_now  # tests move time by replacing this
        self.keeper = Keeper(bot, lambda: self.now())
        self._lock = asyncio.Lock()  # one writer of countdown messages at a time
        self._wake = asyncio.Event()
        self._sleeper: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._sleeper = asyncio.create_task(self._run_timers(), name="countdown-timers")

    async def cog_unload(self) -> None:
        if self._sleeper is not None:
            self._sleeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sleeper

    # -- /countdown setup ---------------------------------------------------------------------------------------

    @countdown.command(name=_("setup"), description=_("Post and pin the countdown in a channel (Manage Server)"))
    @app_commands.describe(
        channel=_("Where to pin it (default: this channel)"),
        ping_role=_("A role to ping when the date changes (leave empty for no ping)"),
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def setup(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        ping_role: discord.Role | None = None,
    ) -> None:
        guild = interaction.guild
        target = channel or interaction.channel
        if guild is None or not isinstance(target, discord.TextChannel):
            raise UserFacingError("Pick a text channel in this server for the countdown.")
        missing = missing_permissions(target)
        if missing:
            raise UserFacingError(missing_sentence(target, missing))
        if ping_role is not None and ping_role.is_default():
            raise UserFacingError("Pick a role to ping, not @everyone.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        role_id = ping_role.id if ping_role is not None else None
        async with self._lock:
            row = await db.countdown.get(self.bot.db, guild.id)
            if row is None:
                await db.countdown.create(
                    self.bot.db,
                    guild_id=guild.id,
                    channel_id=target.id,
                    ping_role_id=role_id,
                    claim=seed_claim(self.bot.show),
                    by_user=interaction.user.id,
                    now=self.now(),
                )
                await self._catch_up(guild.id)
            elif row.channel_id == target.id and await self._still_there(target, row.message_id):
                assert row.message_id is not None
                await db.countdown.set_ping_role(self.bot.db, guild.id, role_id)
                await self.keeper.pin(guild.id, target.get_partial_message(row.message_id))
            else:
                await db.countdown.move(self.bot.db, guild.id, channel_id=target.id, ping_role_id=role_id)
                if row.message_id is not None and row.channel_id != target.id:
                    await self._retire(row.channel_id, row.message_id)
            await self.keeper.sync(guild.id)
            row = await db.countdown.get(self.bot.db, guild.id)
        assert row is not None
        if row.problem:
            await interaction.followup.send(row.problem, ephemeral=True)
            return
        role_note = f" I will ping {ping_role.mention} when the date changes." if ping_role else ""
        await interaction.followup.send(
            f"The countdown is pinned in {target.mention} and follows the news by itself.{role_note} "
            "`/countdown lock` keeps it as it is; `/countdown set` sets it by hand.",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    # -- /countdown show ----------------------------------------------------------------------------------------

    @countdown.command(name=_("show"), description=_("What is known about the release, how sure, and recent changes"))
    async def show(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id or 0
        row = await db.countdown.get(self.bot.db, guild_id)
        now = self.now()
        if row is None:
            pack = self.bot.show.next_season
            card = countdown_card(
                seed_claim(self.bot.show),
                show_title=self.bot.show.title,
                season=self._season(),
                changed_at=datetime.combine(pack.as_of, time(0, tzinfo=UTC)) if pack is not None else now,
                locked=False,
                now=now,
            )
            card = dataclasses.replace(
                card, footer="No countdown is pinned in this server yet; a moderator can run /countdown setup."
            )
        else:
            card = self.keeper.card(row, now)
            changes = await db.countdown.history(self.bot.db, guild_id, limit=RECENT_CHANGES, accepted_only=True)
            lines = [history_line(self._line(entry)) for entry in changes] or ["No changes yet."]
            extra = [CardField("Last changes", truncate("\n".join(lines), 1024))]
            if row.problem and interaction.permissions.manage_guild:
                extra.append(CardField("Problem", truncate(row.problem, 1024)))
            card = dataclasses.replace(card, fields=(*card.fields, *extra)).check()
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
        guild_id = interaction.guild_id or 0
        if await db.countdown.get(self.bot.db, guild_id) is None:
            raise UserFacingError("There is no countdown here yet: run `/countdown setup` first.")
        today = self.now().date()
        window = parse_window(when, today)
        if window is None:
            raise UserFacingError(
                f"I could not read “{when}” as one date or window. Try “December 4, 2026”, "
                "“early December 2026”, “Q1 2027” or “late 2026”."
            )
        url = source_url.strip()
        if not url.startswith(("https://", "http://")) or not host_of(url):
            raise UserFacingError("The source must be a web address starting with https://.")
        claim = ReleaseClaim(
            start=window.start,
            end=window.end,
            precision=window.precision,
            status=Status(status.value),
            source=Source(
                title=f"Set by {interaction.user.display_name}",
                outlet=(outlet or "").strip() or host_of(url),
                url=url,
                published=today,
            ),
            show=self.bot.show.title,
        )
        await self._consider(guild_id, claim, by_user=interaction.user.id)
        self._wake.set()
        await interaction.response.send_message(
            f"The countdown now says: {claim_in_words(claim)}. The pinned message follows within a minute.",
            ephemeral=True,
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
        guild_id = interaction.guild_id or 0
        if await db.countdown.get(self.bot.db, guild_id) is None:
            raise UserFacingError("There is no countdown here yet: run `/countdown setup` first.")
        entries = await db.countdown.history(self.bot.db, guild_id, limit=HISTORY_LINES)
        lines = [history_line(self._line(entry)) for entry in entries] or ["Nothing considered yet."]
        card = Card(
            title=f"Countdown history (newest first, last {HISTORY_LINES})",
            description=truncate("\n".join(lines), 4096),
            footer="✅ changed the countdown · ✗ kept out, with the reason",
        ).check()
        embed = to_embed(card)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # -- news and Discord events --------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_news_items(self, items: list[NewsItem]) -> None:
        """Every new article goes through the reader; its claim is weighed for every server's countdown."""
        for item in items:
            try:
                claim = read_item(item, self.bot.show)
                if claim is None:
                    continue
                log.info("News %s says %s", item.link, claim_in_words(claim))
                await db.countdown.remember_news(self.bot.db, claim, self.now())
                for row in await db.countdown.all_countdowns(self.bot.db):
                    await self._consider(row.guild_id, claim, by_user=None)
            except Exception:
                log.exception("Could not weigh news item %s for the countdown", item.link)
        self._wake.set()

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        row = await db.countdown.by_message(self.bot.db, payload.message_id)
        if row is None:
            return
        if await db.countdown.forget_message(self.bot.db, row.guild_id, payload.message_id, self.now()):
            log.info("Countdown message %s in guild %s was deleted", payload.message_id, row.guild_id)
            self._wake.set()

    @commands.Cog.listener()
    async def on_guild_channel_pins_update(
        self, channel: discord.abc.GuildChannel | discord.Thread, last_pin: datetime | None
    ) -> None:
        """A pin went away: if it was the countdown's message and the message is gone, post it again.

        Deleting a pinned message always changes the pins, and pin changes reach Marquee with the guilds
        intent alone, so this catches deletions even without message events.
        """
        row = await db.countdown.get(self.bot.db, channel.guild.id)
        if row is None or row.channel_id != channel.id or row.message_id is None:
            return
        if not isinstance(channel, discord.TextChannel):
            return
        try:
            await channel.fetch_message(row.message_id)
        except discord.NotFound:
            if await db.countdown.forget_message(self.bot.db, row.guild_id, row.message_id, self.now()):
                log.info("Countdown message %s in guild %s is gone from the pins", row.message_id, row.guild_id)
                self._wake.set()
        except discord.HTTPException as exc:
            log.info("Could not check the countdown message in guild %s: %s", row.guild_id, exc)

    # -- helpers ------------------------------------------------------------------------------------------------

    def wake(self) -> None:
        """Let the timer loop look at the database now (after the clock moved or a row changed)."""
        self._wake.set()

    def _season(self) -> int:
        return self.bot.show.next_season.season if self.bot.show.next_season is not None else 2

    @staticmethod
    def _line(entry: db.countdown.HistoryEntry) -> HistoryLine:
        return HistoryLine(claim=entry.claim, accepted=entry.accepted, reason=entry.reason, at=entry.created_at)

    async def _consider(self, guild_id: int, claim: ReleaseClaim, *, by_user: int | None, quiet: bool = False) -> None:
        """Weigh ``claim`` for one server and store the verdict with its reason; locked servers keep theirs."""
        for _attempt in range(RECORD_ATTEMPTS):
            row = await db.countdown.get(self.bot.db, guild_id)
            if row is None:
                return
            if row.locked and by_user is None:
                accepted, reason = False, LOCKED
            else:
                decision = decide(row.claim, claim, by_moderator=by_user is not None)
                accepted, reason = decision.accepted, decision.reason.value
            current = row.claim
            changed = accepted and (
                current is None or not current.same_window(claim) or current.status != claim.status
            )
            if await db.countdown.record(
                self.bot.db,
                guild_id,
                claim,
                expected=current,
                accepted=accepted,
                reason=reason,
                by_user=by_user,
                announce=changed and not quiet,
                now=self.now(),
            ):
                return
        log.warning("Countdown in guild %s kept changing; claim from %s not recorded", guild_id, claim.source.url)

    async def _catch_up(self, guild_id: int, *, since: datetime | None = None, quiet: bool = True) -> None:
        """Weigh the news already read (all of it, or what came in ``since``) for one server's countdown.

        A new countdown starts from the pack and hears everything quietly; an unlocked one hears what it
        missed while locked, and announces what that changes.
        """
        for claim in await db.countdown.news(self.bot.db, seen_since=since):
            await self._consider(guild_id, claim, by_user=None, quiet=quiet)

    @staticmethod
    async def _still_there(channel: discord.TextChannel, message_id: int | None) -> bool:
        """Whether the stored message exists; when Discord will not say, assume it does (never post twice)."""
        if message_id is None:
            return False
        try:
            await channel.fetch_message(message_id)
        except discord.NotFound:
            return False
        except discord.HTTPException as exc:
            log.info("Could not check countdown message %s: %s", message_id, exc)
        return True

    async def _retire(self, channel_id: int, message_id: int) -> None:
        """Delete the message a moved countdown leaves behind, so only one countdown stays pinned."""
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        try:
            await channel.get_partial_message(message_id).delete()
        except discord.HTTPException as exc:
            log.info("Could not remove the old countdown message %s: %s", message_id, exc)

    async def _set_lock(self, interaction: discord.Interaction, *, locked: bool) -> None:
        guild_id = interaction.guild_id or 0
        row = await db.countdown.get(self.bot.db, guild_id)
        if row is None:
            raise UserFacingError("There is no countdown here yet: run `/countdown setup` first.")
        async with self._lock:  # the message must not show "unlocked" before the missed news is weighed
            changed = await db.countdown.set_locked(self.bot.db, guild_id, locked, self.now())
            if changed and not locked and row.locked_at is not None:
                await self._catch_up(guild_id, since=row.locked_at, quiet=False)
        self._wake.set()
        if locked:
            text = "Locked: news no longer changes the countdown." if changed else "The countdown was already locked."
        else:
            text = (
                "Unlocked: the countdown follows the news again, starting with what came in while it was locked."
                if changed
                else "The countdown was not locked."
            )
        await interaction.response.send_message(text, ephemeral=True)

    # -- the timer loop -----------------------------------------------------------------------------------------

    async def _run_timers(self) -> None:
        """Wake for the next due countdown (milestone, held edit, announcement), or when told to."""
        await self.bot.wait_until_ready()
        while True:
            self._wake.clear()
            await self.run_due()
            await self._sleep()

    async def run_due(self) -> None:
        """Bring every due countdown up to date now; one server's failure only postpones that server."""
        try:
            due = await db.countdown.due(self.bot.db, self.now())
        except Exception:
            log.exception("Could not read the due countdowns")
            return
        for guild_id in due:
            try:
                async with self._lock:
                    await self.keeper.sync(guild_id)
            except Exception:
                log.exception("Countdown upkeep failed in guild %s", guild_id)
                await self._postpone(guild_id)

    async def _postpone(self, guild_id: int) -> None:
        try:
            await db.countdown.set_due(self.bot.db, guild_id, self.now() + timedelta(minutes=5))
        except Exception:
            log.exception("Could not postpone the countdown in guild %s", guild_id)

    async def _sleep(self) -> None:
        try:
            upcoming = await db.countdown.next_due(self.bot.db)
        except Exception:
            log.exception("Could not read the next due countdown")
            upcoming = None
        wait = LONGEST_SLEEP if upcoming is None else min(LONGEST_SLEEP, max(upcoming - self.now(), timedelta(0)))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait.total_seconds()):
                await self._wake.wait()
