"""Keeping one server's premiere event true: create it, move it, cancel it, or leave it alone.

Driven by the countdown row like the pinned message: the claim says what the event should be, ``event_id`` and
``event_shown`` what Discord was last told, so the same code serves a confirmation, a moved date, a withdrawal,
the feature switched off and a restart. A crash between Discord creating the event and the id being stored
cannot make a second one: before creating, the keeper looks for a scheduled event of the same name that
Marquee made and adopts it. An event someone deleted is not made again for the same day; a new confirmed day
gets a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

import db.countdown
from bot.countdown.channel import CountdownDiscord, EventGone, Failed, MessageGone, PremiereEvents, Refused
from bot.countdown.premiere import Premiere, premiere_for
from bot.release.claims import claim_from_json
from bot.show import Show
from db import Database
from db.countdown import Countdown

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=1)
# Granting a permission sends Marquee no event it listens to: look again now and then while one is missing.
PERMISSION_RETRY = timedelta(hours=1)
NO_PERMISSION = "permission"


def wanted_premiere(row: Countdown, show: Show) -> Premiere | None:
    """The event the row's claim deserves when the feature is on (None: no event should be scheduled)."""
    if not row.event_enabled or row.claim is None:
        return None
    return premiere_for(claim_from_json(row.claim), show)


class EventKeeper:
    """Brings one server's premiere event in line with its row; the caller holds the countdown lock."""

    def __init__(self, database: Database, show: Show, now: Callable[[], datetime]) -> None:
        self.db = database
        self.show = show
        self.now = now

    async def sync(self, discord: CountdownDiscord, row: Countdown) -> datetime | None:
        """Create, move or cancel the event as the row says; when to look again (None: nothing waits)."""
        wanted = wanted_premiere(row, self.show)
        if wanted is None and row.event_id is None:
            if row.event_deleted_day is not None or row.event_problem is not None:
                await db.countdown.clear_event_deleted(self.db, row.guild_id)
                await db.countdown.set_event_problem(self.db, row.guild_id, None)
            return None
        if wanted is not None and wanted.start <= self.now():
            return None  # the premiere has begun: the event is Discord's to start and end now
        events = discord.events(row.guild_id)
        if events is None:
            return None
        try:
            if wanted is None:
                await self._cancel(row, events)
                return None
            return await self._schedule(row, events, wanted)
        except Refused as exc:
            log.warning("Premiere event in guild %s refused: %s", row.guild_id, exc)
            await db.countdown.set_event_problem(self.db, row.guild_id, NO_PERMISSION)
            return self.now() + PERMISSION_RETRY
        except (Failed, MessageGone, EventGone) as exc:
            log.warning("Premiere event in guild %s failed (%s); retrying", row.guild_id, exc)
            return self.now() + RETRY_AFTER

    async def _cancel(self, row: Countdown, events: PremiereEvents) -> None:
        """The confirmed day was withdrawn (or the feature switched off): the event is cancelled, not deleted,
        so members who were interested see why it went."""
        assert row.event_id is not None
        try:
            await events.cancel(row.event_id)
        except EventGone:
            log.info("Premiere event %s in guild %s was already gone", row.event_id, row.guild_id)
        else:
            log.info("Premiere event %s in guild %s cancelled", row.event_id, row.guild_id)
        await db.countdown.event_shown(self.db, row.guild_id, event_id=None, shown=None)
        await db.countdown.clear_event_deleted(self.db, row.guild_id)

    async def _schedule(self, row: Countdown, events: PremiereEvents, wanted: Premiere) -> datetime | None:
        """Create or move the event; when to look again if the permission is missing."""
        deleted = _day(row.event_deleted_day)
        if deleted == wanted.day:
            return None  # someone deleted this day's event: not made again until the day changes
        if deleted is not None:
            await db.countdown.clear_event_deleted(self.db, row.guild_id)
        digest = wanted.digest()
        if row.event_id is not None and row.event_shown == digest:
            return None
        if not events.may_schedule():
            if row.event_problem != NO_PERMISSION:
                log.info("Premiere event in guild %s waits for the Create Events permission", row.guild_id)
                await db.countdown.set_event_problem(self.db, row.guild_id, NO_PERMISSION)
            return self.now() + PERMISSION_RETRY
        if row.event_id is not None:
            try:
                await events.move(row.event_id, wanted)
            except EventGone:
                log.info(
                    "Premiere event %s in guild %s was deleted; not made again for this day", row.event_id, row.guild_id
                )
                await db.countdown.event_deleted(self.db, row.guild_id, row.event_id, day=wanted.day.isoformat())
                return None
            log.info("Premiere event %s in guild %s moved to %s", row.event_id, row.guild_id, wanted.start)
            await db.countdown.event_shown(self.db, row.guild_id, event_id=row.event_id, shown=digest)
            return None
        found = await events.find(wanted.name)
        if found is not None:
            # Made before a crash kept its id from being stored: adopt it rather than make a second one.
            log.info("Premiere event %s in guild %s adopted", found, row.guild_id)
            await events.move(found, wanted)
            event_id = found
        else:
            event_id = await events.create(wanted)
            log.info("Premiere event %s in guild %s created for %s", event_id, row.guild_id, wanted.start)
        await db.countdown.event_shown(self.db, row.guild_id, event_id=event_id, shown=digest)
        return None


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
