"""The countdown as one service: every rule and storage call behind ``/countdown``, the news and the timers.

The decision step (read the news, ``decide`` against a server's current claim, store the verdict with a
compare-and-swap and decide again if the countdown moved meanwhile) and the timer that brings due pins up to
date live here; ``cogs/countdown`` only translates interactions and Discord events into calls of this service.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta

import db.countdown
from bot.cards import Card, CardField, truncate
from bot.countdown.channel import CountdownDiscord
from bot.countdown.event_keeper import NO_PERMISSION, wanted_premiere
from bot.countdown.keeper import Keeper, claim_of, missing_sentence, season_of
from bot.countdown.render import LOCKED, HistoryLine, claim_in_words, countdown_card, history_line
from bot.countdown.seed import read_item, seed_claim
from bot.errors import UserFacingError
from bot.feeds.news import News
from bot.feeds.normalise import NewsItem
from bot.feeds.urls import host_of
from bot.i18n import Text, translate
from bot.node import Node
from bot.release import ReleaseClaim, Source, Status, decide, parse_window
from bot.release.claims import claim_to_json
from bot.settings import Limits, Shards
from bot.show import Show
from db import Database

log = logging.getLogger(__name__)

# The sleeper never sleeps longer than this, so a clock jump or a lost wake-up costs at most this delay.
LONGEST_SLEEP = timedelta(hours=1)
POSTPONE = timedelta(minutes=5)
RECENT_CHANGES = 5
HISTORY_LINES = 15
RECORD_ATTEMPTS = 3
NO_COUNTDOWN = Text("There is no countdown here yet: run `/countdown setup` first.")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CountdownService:
    """One countdown per server: its claim, its history, its pinned message and when to look at it next.

    ``clock`` is replaceable (tests move time); ``changed`` is set whenever a countdown became due, so the
    timer loop looks at the database at once.
    """

    def __init__(
        self,
        database: Database,
        show: Show,
        *,
        clock: Callable[[], datetime] = _utc_now,
        limits: Limits | None = None,
        node: Node | None = None,
        shards: Shards | None = None,
    ) -> None:
        """``node`` holds this process's leases on countdown rows; ``shards`` are the gateway shards it hosts, the only
        servers whose countdown it keeps (their channels and pins are in its cache); ``None``: all of them."""
        self.db = database
        self.show = show
        self.limits = limits or Limits()
        self.node = node or Node.for_this_process(timedelta(seconds=self.limits.lease_seconds))
        self.shards = shards
        self.clock = clock
        self.keeper = Keeper(database, show, self.now)
        self.changed = asyncio.Event()
        self._lock = asyncio.Lock()  # one writer of countdown messages at a time

    def now(self) -> datetime:
        return self.clock()

    # -- /countdown setup ---------------------------------------------------------------------------------------

    def setup_problem(self, discord: CountdownDiscord, guild_id: int, channel_id: int) -> Text | None:
        """Why the countdown cannot be kept in this channel (missing permissions), before anything is posted."""
        channel = discord.channel(guild_id, channel_id)
        if channel is None:
            return Text("Pick a text channel in this server for the countdown.")
        missing = channel.missing_permissions()
        return missing_sentence(channel.mention, missing) if missing else None

    async def setup(
        self,
        discord: CountdownDiscord,
        guild_id: int,
        channel_id: int,
        *,
        ping_role_id: int | None,
        by_user: int,
        event: bool | None = None,
    ) -> db.countdown.Countdown:
        """Create, re-pin or move the server's countdown and bring its message up to date.

        A new countdown starts from the show pack and hears all news read so far, quietly. Set up again in
        the same channel, the message that is still there is kept and pinned again; in another channel, the
        old message is removed so only one countdown stays pinned.
        """
        async with self._lock:
            row = await db.countdown.get(self.db, guild_id)
            channel = discord.channel(guild_id, channel_id)
            if row is None:
                seed = seed_claim(self.show)
                await db.countdown.create(
                    self.db,
                    guild_id=guild_id,
                    channel_id=channel_id,
                    ping_role_id=ping_role_id,
                    claim=None if seed is None else claim_to_json(seed),
                    by_user=by_user,
                    now=self.now(),
                )
                await self._catch_up(guild_id)
            elif (
                row.channel_id == channel_id
                and row.message_id is not None
                and channel is not None
                and await channel.exists(row.message_id)
            ):
                await db.countdown.set_ping_role(self.db, guild_id, ping_role_id)
                await self.keeper.pin(guild_id, channel, row.message_id)
            else:
                await db.countdown.move(self.db, guild_id, channel_id=channel_id, ping_role_id=ping_role_id)
                if row.message_id is not None and row.channel_id != channel_id:
                    old = discord.channel(guild_id, row.channel_id)
                    if old is not None:
                        await old.delete(row.message_id)
            if event is not None:
                await db.countdown.set_event_enabled(self.db, guild_id, event, self.now())
            if await db.countdown.hold(self.db, guild_id, self.node, self.now()):
                try:
                    await self.keeper.sync(discord, guild_id)
                finally:
                    await db.countdown.release(self.db, [guild_id], self.node)
            else:  # another process is bringing the message up to date; it looks again once due
                await db.countdown.set_due(self.db, guild_id, self.now())
                self.changed.set()
            row = await db.countdown.get(self.db, guild_id)
        assert row is not None
        return row

    # -- /countdown show, history -------------------------------------------------------------------------------

    async def card(self, guild_id: int, *, with_problem: bool, locale: str | None = None) -> Card:
        """What ``/countdown show`` shows: the pinned card and the last changes, or the show pack's start.

        The card itself is the one the whole server sees (English); what is added for the one person asking
        is in ``locale``, their language.
        """
        row = await db.countdown.get(self.db, guild_id)
        now = self.now()
        if row is None:
            return dataclasses.replace(
                self._seed_card(now),
                footer=translate(
                    "No countdown is pinned in this server yet; a moderator can run /countdown setup.", locale
                ),
            )
        card = self.keeper.card(row, now)
        changes = await db.countdown.history(self.db, guild_id, limit=RECENT_CHANGES, accepted_only=True)
        lines = [history_line(_line(entry)) for entry in changes] or [translate("No changes yet.", locale)]
        extra = [CardField(translate("Last changes", locale), truncate("\n".join(lines), 1024))]
        if row.problem and with_problem:
            extra.append(CardField(translate("Problem", locale), truncate(row.problem, 1024)))
        if row.event_enabled and row.event_problem == NO_PERMISSION:
            grant = translate(
                "The date is confirmed, but I can't add the premiere to this server's events: I am missing the "
                "Create Events permission. A server admin can grant it in Server Settings → Roles → Marquee.",
                locale,
            )
            extra.append(CardField(translate("Premiere event", locale), grant))
        return dataclasses.replace(card, fields=(*card.fields, *extra)).check()

    def pack_card(self, *, locale: str | None = None) -> Card:
        """What ``/countdown show`` shows outside a server that has Marquee (a DM, a group DM, another server).

        No server's countdown is being asked about there, so it is the show pack's own window, status and
        source, in the same card; the footer says where a countdown that follows the news lives.
        """
        return dataclasses.replace(
            self._seed_card(self.now()),
            footer=translate(
                "What Marquee's show pack records. In a server with Marquee, /countdown setup pins a countdown "
                "that follows the news.",
                locale,
            ),
        )

    def _seed_card(self, now: datetime) -> Card:
        """The card of the show pack's own view of the next season, dated by the pack."""
        pack = self.show.next_season
        return countdown_card(
            seed_claim(self.show),
            show_title=self.show.title,
            season=season_of(self.show),
            changed_at=datetime.combine(pack.as_of, time(0, tzinfo=UTC)) if pack is not None else now,
            locked=False,
            now=now,
        )

    async def history_card(self, guild_id: int, *, locale: str | None = None) -> Card:
        """``/countdown history`` for one moderator: headings in ``locale``, the claims and reasons as recorded."""
        await self._existing(guild_id)
        entries = await db.countdown.history(self.db, guild_id, limit=HISTORY_LINES)
        lines = [history_line(_line(entry)) for entry in entries] or [translate("Nothing considered yet.", locale)]
        return Card(
            title=translate("Countdown history (newest first, last {count})", locale, count=HISTORY_LINES),
            description=truncate("\n".join(lines), 4096),
            footer=translate("✅ changed the countdown · ✗ kept out, with the reason", locale),
        ).check()

    # -- /countdown set, lock, unlock ---------------------------------------------------------------------------

    async def set_by_hand(
        self,
        guild_id: int,
        *,
        when: str,
        status: str,
        source_url: str,
        outlet: str | None,
        user_name: str,
        user_id: int,
    ) -> ReleaseClaim:
        """A moderator's claim, read from words; it wins over the news as ``decide`` says moderators do."""
        await self._existing(guild_id)
        today = self.now().date()
        window = parse_window(when, today)
        if window is None:
            raise UserFacingError(
                "I could not read “{when}” as one date or window. Try “December 4, 2026”, "
                "“early December 2026”, “Q1 2027” or “late 2026”.",
                when=when,
            )
        url = source_url.strip()
        if not url.startswith(("https://", "http://")) or not host_of(url):
            raise UserFacingError("The source must be a web address starting with https://.")
        claim = ReleaseClaim(
            start=window.start,
            end=window.end,
            precision=window.precision,
            status=Status(status),
            source=Source(
                title=f"Set by {user_name}",
                outlet=(outlet or "").strip() or host_of(url),
                url=url,
                published=today,
            ),
            show=self.show.title,
        )
        await self._consider(guild_id, claim, by_user=user_id)
        self.changed.set()
        return claim

    async def set_locked(self, guild_id: int, *, locked: bool) -> bool:
        """Lock or unlock; False when it already was. Unlocking first weighs the news missed while locked."""
        row = await self._existing(guild_id)
        async with self._lock:  # the message must not show "unlocked" before the missed news is weighed
            changed = await db.countdown.set_locked(self.db, guild_id, locked, self.now())
            if changed and not locked and row.locked_at is not None:
                await self._catch_up(guild_id, since=row.locked_at, quiet=False)
        self.changed.set()
        return changed

    # -- /countdown event ---------------------------------------------------------------------------------------

    async def set_event(self, guild_id: int, *, enabled: bool) -> bool:
        """Turn the premiere event on or off; False when it already was. Off cancels an event already made."""
        await self._existing(guild_id)
        changed = await db.countdown.set_event_enabled(self.db, guild_id, enabled, self.now())
        self.changed.set()
        return changed

    def may_schedule(self, discord: CountdownDiscord, guild_id: int) -> bool:
        """Whether Marquee may add the premiere to the server's events (Create Events or Manage Events)."""
        events = discord.events(guild_id)
        return events is not None and events.may_schedule()

    async def event_deleted(self, guild_id: int, event_id: int) -> None:
        """Someone deleted the premiere event: it is not made again until the confirmed day changes."""
        row = await db.countdown.get(self.db, guild_id)
        if row is None or row.event_id != event_id:
            return
        wanted = wanted_premiere(row, self.show)
        day = wanted.day.isoformat() if wanted is not None else None
        if await db.countdown.event_deleted(self.db, guild_id, event_id, day=day):
            log.info("Premiere event %s in guild %s was deleted in Discord", event_id, guild_id)

    # -- news and Discord events --------------------------------------------------------------------------------

    async def consider_news(self, news: News) -> None:
        """Every new article goes through the reader; its claim is weighed only for the countdowns of the
        servers that received it (that follow its feed), so one server's feed never moves another's pin."""
        if not news.guild_ids:
            return
        # The reader is pure CPU (a few milliseconds an article): a big batch is read off the event loop.
        claims = await asyncio.to_thread(_read_items, news.items, self.show)
        for item, claim in zip(news.items, claims, strict=True):
            try:
                if claim is None:
                    continue
                log.info("News %s says %s", item.link, claim_in_words(claim))
                await db.countdown.remember_news(
                    self.db, claim_to_json(claim), claim.source.published, self.now(), guild_ids=news.guild_ids
                )
                for row in await db.countdown.countdowns_of(self.db, news.guild_ids):
                    await self._consider(row.guild_id, claim, by_user=None)
            except Exception:
                log.exception("Could not weigh news item %s for the countdown", item.link)
        self.changed.set()

    async def message_deleted(self, message_id: int) -> None:
        row = await db.countdown.by_message(self.db, message_id)
        if row is None:
            return
        if await db.countdown.forget_message(self.db, row.guild_id, message_id, self.now()):
            log.info("Countdown message %s in guild %s was deleted", message_id, row.guild_id)
            self.changed.set()

    async def pins_changed(self, discord: CountdownDiscord, guild_id: int, channel_id: int) -> None:
        """A pin went away: if it was the countdown's message and the message is gone, post it again."""
        row = await db.countdown.get(self.db, guild_id)
        if row is None or row.channel_id != channel_id or row.message_id is None:
            return
        channel = discord.channel(guild_id, channel_id)
        if channel is None or await channel.exists(row.message_id):
            return
        if await db.countdown.forget_message(self.db, row.guild_id, row.message_id, self.now()):
            log.info("Countdown message %s in guild %s is gone from the pins", row.message_id, row.guild_id)
            self.changed.set()

    # -- the timers ---------------------------------------------------------------------------------------------

    async def run_due(self, discord: CountdownDiscord) -> None:
        """Bring every due countdown of this process's servers up to date now; one server's failure only postpones
        that server.

        Each is claimed as a lease on its row (``db.countdown.due``), renewed just before its turn and given back
        after it, so two processes never edit one server's message at once; a process that dies leaves a lease that
        runs out, and the process hosting the server's shard then takes it.
        """
        try:
            due = await db.countdown.due(self.db, self.now(), holder=self.node, hosted=self.shards)
        except Exception:
            log.exception("Could not read the due countdowns")
            return
        left = list(due)
        try:
            while left:
                guild_id = left[0]
                try:
                    async with self._lock:
                        if await db.countdown.hold(self.db, guild_id, self.node, self.now()):
                            await self.keeper.sync(discord, guild_id)
                except Exception:
                    log.exception("Countdown upkeep failed in guild %s", guild_id)
                    await self._postpone(guild_id)
                await self._release([left.pop(0)])
        finally:
            if left:  # stopped midway: the others are free at once, not after the lease
                await self._release(left)

    async def _release(self, guild_ids: list[int]) -> None:
        try:
            await db.countdown.release(self.db, guild_ids, self.node)
        except Exception:
            log.exception("Could not give back the countdown leases of %s", guild_ids)

    async def seconds_to_next(self) -> float:
        """How long the timer may sleep: until the next due countdown of this process's servers, at most
        ``LONGEST_SLEEP``."""
        upcoming = await db.countdown.next_due(self.db, hosted=self.shards)
        wait = LONGEST_SLEEP if upcoming is None else min(LONGEST_SLEEP, max(upcoming - self.now(), timedelta(0)))
        return wait.total_seconds()

    async def _postpone(self, guild_id: int) -> None:
        try:
            await db.countdown.set_due(self.db, guild_id, self.now() + POSTPONE)
        except Exception:
            log.exception("Could not postpone the countdown in guild %s", guild_id)

    # -- the decision step --------------------------------------------------------------------------------------

    async def _existing(self, guild_id: int) -> db.countdown.Countdown:
        row = await db.countdown.get(self.db, guild_id)
        if row is None:
            raise UserFacingError(NO_COUNTDOWN)
        return row

    async def _consider(self, guild_id: int, claim: ReleaseClaim, *, by_user: int | None, quiet: bool = False) -> None:
        """Weigh ``claim`` for one server and store the verdict with its reason; locked servers keep theirs.

        The verdict is stored only if the countdown still holds the claim it was reached against; otherwise
        it is reached again (another writer got there first), a few times at most.
        """
        for _attempt in range(RECORD_ATTEMPTS):
            row = await db.countdown.get(self.db, guild_id)
            if row is None:
                return
            current = claim_of(row.claim)
            if row.locked and by_user is None:
                accepted, reason = False, LOCKED
            else:
                decision = decide(current, claim, by_moderator=by_user is not None)
                accepted, reason = decision.accepted, decision.reason.value
            changed = accepted and (
                current is None or not current.same_window(claim) or current.status != claim.status
            )
            if await db.countdown.record(
                self.db,
                guild_id,
                claim_to_json(claim),
                expected=row.claim,
                accepted=accepted,
                reason=reason,
                by_user=by_user,
                announce=changed and not quiet,
                now=self.now(),
            ):
                return
        log.warning("Countdown in guild %s kept changing; claim from %s not recorded", guild_id, claim.source.url)

    async def _catch_up(self, guild_id: int, *, since: datetime | None = None, quiet: bool = True) -> None:
        """Weigh the news this server already received (all of it, or what came in ``since``) for its countdown.

        A new countdown starts from the pack and hears everything quietly; an unlocked one hears what it
        missed while locked, and announces what that changes.
        """
        for data in await db.countdown.news(self.db, guild_id, seen_since=since):
            await self._consider(guild_id, claim_from(data), by_user=None, quiet=quiet)


def _read_items(items: Sequence[NewsItem], show: Show) -> list[ReleaseClaim | None]:
    """Each item's claim (None where it makes none or cannot be read); runs in a worker thread."""
    claims: list[ReleaseClaim | None] = []
    for item in items:
        try:
            claims.append(read_item(item, show))
        except Exception:
            log.exception("Could not read news item %s for the countdown", item.link)
            claims.append(None)
    return claims


def claim_from(data: db.countdown.ClaimData) -> ReleaseClaim:
    claim = claim_of(data)
    assert claim is not None
    return claim


def _line(entry: db.countdown.HistoryEntry) -> HistoryLine:
    return HistoryLine(claim=claim_from(entry.claim), accepted=entry.accepted, reason=entry.reason, at=entry.created_at)
