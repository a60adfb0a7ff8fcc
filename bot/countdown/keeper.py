"""Keeping one server's countdown message true: post, pin, edit, re-post, announce (and its premiere event).

Driven by the database row: the row says which message, what it last showed and what is still to
announce, so the same code serves the first post, a milestone, a news change, a deleted pin and a restart.
Discord is reached through ``bot.countdown.channel``; what to do about each kind of answer is decided here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import db.countdown
from bot.cards import Card
from bot.countdown.channel import CountdownChannel, CountdownDiscord, Failed, MessageGone, Refused
from bot.countdown.event_keeper import EventKeeper
from bot.countdown.milestones import next_milestone
from bot.countdown.pacing import card_digest, next_edit_at
from bot.countdown.render import announcement, countdown_card
from bot.i18n import Text
from bot.release.claims import ReleaseClaim, claim_from_json
from bot.show import Show
from db import Database
from db.countdown import ClaimData, Countdown

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=1)
GONE = "The countdown channel is gone; run `/countdown setup`."


def claim_of(data: ClaimData | None) -> ReleaseClaim | None:
    return None if data is None else claim_from_json(data)


def missing_sentence(mention: str, missing: list[str]) -> Text:
    """What to tell a moderator when Marquee cannot keep the countdown in a channel, and how to fix it.

    A ``Text``, so the moderator who runs ``/countdown setup`` reads it in their language; the problem stored
    for the server (``str()`` of it) is the English.
    """
    if len(missing) == 1:
        return Text(
            "I can't keep the countdown in {channel}: I am missing the {permission} permission there. "
            "A server admin can grant it in the channel's settings (Permissions → Marquee), "
            "then run `/countdown setup` again.",
            channel=mention,
            permission=missing[0],
        )
    return Text(
        "I can't keep the countdown in {channel}: I am missing the {permissions} permissions there. "
        "A server admin can grant them in the channel's settings (Permissions → Marquee), "
        "then run `/countdown setup` again.",
        channel=mention,
        permissions=Text("{names} and {last}", names=", ".join(missing[:-1]), last=missing[-1]),
    )


def season_of(show: Show) -> int:
    return show.next_season.season if show.next_season is not None else 2


class Keeper:
    """Brings one server's message in line with its row; the caller holds the countdown lock."""

    def __init__(self, database: Database, show: Show, now: Callable[[], datetime]) -> None:
        self.db = database
        self.show = show
        self.now = now
        self.events = EventKeeper(database, show, now)

    def card(self, row: Countdown, now: datetime) -> Card:
        return countdown_card(
            claim_of(row.claim),
            show_title=self.show.title,
            season=season_of(self.show),
            changed_at=row.changed_at,
            locked=row.locked,
            now=now,
        )

    async def sync(self, discord: CountdownDiscord, guild_id: int) -> None:
        """Post or edit the message as due, send pending announcements, and set when to look again."""
        row = await db.countdown.get(self.db, guild_id)
        if row is None:
            return
        now = self.now()
        channel = discord.channel(row.guild_id, row.channel_id)
        if channel is None:
            await db.countdown.set_problem(self.db, guild_id, GONE)
            await db.countdown.set_due(self.db, guild_id, None, revision=row.revision)
            return
        wake: list[datetime] = []
        held = await self._show(row, channel, now)
        if held is not None:
            wake.append(held)
        if not await self._announce(row, channel):
            wake.append(now + RETRY_AFTER)
        milestone = next_milestone(claim_of(row.claim), now)
        if milestone is not None:
            wake.append(milestone)
        event_wake = await self.events.sync(discord, row)
        if event_wake is not None:
            wake.append(event_wake)
        await db.countdown.set_due(self.db, guild_id, min(wake) if wake else None, revision=row.revision)

    async def _show(self, row: Countdown, channel: CountdownChannel, now: datetime) -> datetime | None:
        """Make the message show the current card; return when to retry if the edit has to wait."""
        card = self.card(row, now)
        digest = card_digest(card)
        if row.message_id is None:
            return await self.post(row, channel, card, digest)
        if digest == row.rendered:
            return None
        allowed = next_edit_at(row.last_edit_at, now)
        if allowed > now:
            log.debug("Countdown edit in guild %s held until %s", row.guild_id, allowed)
            return allowed
        try:
            await channel.edit(row.message_id, card)
        except MessageGone:
            log.info("Countdown message %s in guild %s is gone; posting it again", row.message_id, row.guild_id)
            return await self.post(row, channel, card, digest)
        except Refused as exc:
            await self._problem(row, channel, f"I could not edit the countdown message: {exc.text}")
            return None
        except Failed as exc:
            log.warning("Editing the countdown in guild %s failed (%s); retrying", row.guild_id, exc)
            return now + RETRY_AFTER
        await db.countdown.shown(self.db, row.guild_id, message_id=row.message_id, rendered=digest, edited_at=now)
        log.info("Countdown message %s in guild %s edited", row.message_id, row.guild_id)
        return None

    async def post(self, row: Countdown, channel: CountdownChannel, card: Card, digest: str) -> datetime | None:
        """Post the card and pin it; returns when to retry, or None when done (or refused for good)."""
        missing = channel.missing_permissions()
        if missing:
            await self._problem(row, channel, str(missing_sentence(channel.mention, missing)))
            return None
        try:
            message_id = await channel.post(card)
        except Refused as exc:
            await self._problem(row, channel, f"I could not post the countdown in {channel.mention}: {exc.text}")
            return None
        except (Failed, MessageGone) as exc:
            log.warning("Posting the countdown in guild %s failed (%s); retrying", row.guild_id, exc)
            return self.now() + RETRY_AFTER
        await db.countdown.shown(self.db, row.guild_id, message_id=message_id, rendered=digest, edited_at=None)
        log.info("Countdown posted in guild %s as message %s", row.guild_id, message_id)
        await self.pin(row.guild_id, channel, message_id)
        return None

    async def pin(self, guild_id: int, channel: CountdownChannel, message_id: int) -> None:
        """Pin the message (pinning a pinned message is harmless); record a refusal for /countdown show."""
        try:
            await channel.pin(message_id)
        except (Failed, MessageGone, Refused) as exc:
            log.warning("Could not pin the countdown in guild %s: %s", guild_id, exc)
            await db.countdown.set_problem(self.db, guild_id, f"The countdown is posted but not pinned: {exc.text}")
            return
        await db.countdown.set_problem(self.db, guild_id, None)

    async def _problem(self, row: Countdown, channel: CountdownChannel, problem: str) -> None:
        log.warning("Countdown in guild %s (#%s): %s", row.guild_id, channel.name, problem)
        await db.countdown.set_problem(self.db, row.guild_id, problem)

    async def _announce(self, row: Countdown, channel: CountdownChannel) -> bool:
        """Post every pending change announcement; False when one should be retried later."""
        mention = channel.role_mention(row.ping_role_id)
        for entry in await db.countdown.pending_announcements(self.db, row.guild_id):
            claim = claim_of(entry.claim)
            assert claim is not None
            text = announcement(
                claim_of(entry.previous), claim, entry.reason, show_title=self.show.title, role_mention=mention
            )
            try:
                await channel.announce(text, row.ping_role_id)
            except (Refused, MessageGone) as exc:
                log.warning("Countdown announcement %s in guild %s refused: %s", entry.id, row.guild_id, exc)
                await db.countdown.mark_announced(self.db, entry.id, sent=False)
                continue
            except Failed as exc:
                log.warning("Countdown announcement %s in guild %s failed (%s); retrying", entry.id, row.guild_id, exc)
                return False
            await db.countdown.mark_announced(self.db, entry.id, sent=True)
        return True
