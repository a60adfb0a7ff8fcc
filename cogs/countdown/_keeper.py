"""Keeping one server's countdown message true: post, pin, edit, re-post, announce.

Everything that talks to Discord about the pinned message is here, driven by the database row: the row
says which message, what it last showed and what is still to announce, so the same code serves the first
post, a milestone, a news change, a deleted pin and a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import discord

import db.countdown
from bot.bot import Marquee
from bot.cards import Card
from bot.countdown import announcement, card_digest, countdown_card, next_edit_at, next_milestone
from cogs._embeds import to_embed
from cogs._permissions import missing_in
from db.countdown import Countdown

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=1)

# What Marquee needs in the countdown channel.
NEEDED = ("view_channel", "send_messages", "embed_links", "pin_messages")


def missing_permissions(channel: discord.TextChannel) -> list[str]:
    """The permissions Marquee lacks in ``channel`` for the countdown, by their names in Discord's settings."""
    return missing_in(channel, NEEDED)


def missing_sentence(channel: discord.TextChannel, missing: list[str]) -> str:
    names = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
    plural = "s" if len(missing) > 1 else ""
    return (
        f"I can't keep the countdown in {channel.mention}: I am missing the {names} permission{plural} there. "
        f"A server admin can grant {'them' if plural else 'it'} in the channel's settings (Permissions → Marquee), "
        "then run `/countdown setup` again."
    )


class Keeper:
    """Brings one server's message in line with its row; the caller holds the countdown lock."""

    def __init__(self, bot: Marquee, now: Callable[[], datetime]) -> None:
        self.bot = bot
        self.now = now

    def card(self, row: Countdown, now: datetime) -> Card:
        show = self.bot.show
        season = show.next_season.season if show.next_season is not None else 2
        return countdown_card(
            row.claim, show_title=show.title, season=season, changed_at=row.changed_at, locked=row.locked, now=now
        )

    async def sync(self, guild_id: int) -> None:
        """Post or edit the message as due, send pending announcements, and set when to look again."""
        database = self.bot.db
        row = await db.countdown.get(database, guild_id)
        if row is None:
            return
        now = self.now()
        channel = self._channel(row)
        if channel is None:
            await db.countdown.set_problem(database, guild_id, "The countdown channel is gone; run `/countdown setup`.")
            await db.countdown.set_due(database, guild_id, None, revision=row.revision)
            return
        wake: list[datetime] = []
        held = await self._show(row, channel, now)
        if held is not None:
            wake.append(held)
        if not await self._announce(row, channel):
            wake.append(now + RETRY_AFTER)
        milestone = next_milestone(row.claim, now)
        if milestone is not None:
            wake.append(milestone)
        await db.countdown.set_due(database, guild_id, min(wake) if wake else None, revision=row.revision)

    def _channel(self, row: Countdown) -> discord.TextChannel | None:
        guild = self.bot.get_guild(row.guild_id)
        channel = guild.get_channel(row.channel_id) if guild is not None else None
        return channel if isinstance(channel, discord.TextChannel) else None

    async def _show(self, row: Countdown, channel: discord.TextChannel, now: datetime) -> datetime | None:
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
            await channel.get_partial_message(row.message_id).edit(
                embed=to_embed(card), allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.NotFound:
            log.info("Countdown message %s in guild %s is gone; posting it again", row.message_id, row.guild_id)
            return await self.post(row, channel, card, digest)
        except discord.Forbidden as exc:
            await self._problem(row, channel, f"I could not edit the countdown message: {exc.text}")
            return None
        except discord.HTTPException as exc:
            log.warning("Editing the countdown in guild %s failed (%s); retrying", row.guild_id, exc)
            return now + RETRY_AFTER
        await db.countdown.shown(
            self.bot.db, row.guild_id, message_id=row.message_id, rendered=digest, edited_at=now
        )
        log.info("Countdown message %s in guild %s edited", row.message_id, row.guild_id)
        return None

    async def post(self, row: Countdown, channel: discord.TextChannel, card: Card, digest: str) -> datetime | None:
        """Post the card and pin it; returns when to retry, or None when done (or refused for good)."""
        missing = missing_permissions(channel)
        if missing:
            await self._problem(row, channel, missing_sentence(channel, missing))
            return None
        try:
            message = await channel.send(embed=to_embed(card), allowed_mentions=discord.AllowedMentions.none())
        except discord.Forbidden as exc:
            await self._problem(row, channel, f"I could not post the countdown in {channel.mention}: {exc.text}")
            return None
        except discord.HTTPException as exc:
            log.warning("Posting the countdown in guild %s failed (%s); retrying", row.guild_id, exc)
            return self.now() + RETRY_AFTER
        await db.countdown.shown(self.bot.db, row.guild_id, message_id=message.id, rendered=digest, edited_at=None)
        log.info("Countdown posted in guild %s as message %s", row.guild_id, message.id)
        await self.pin(row.guild_id, message)
        return None

    async def pin(self, guild_id: int, message: discord.Message | discord.PartialMessage) -> None:
        """Pin the message (pinning a pinned message is harmless); record a refusal for /countdown show."""
        try:
            await message.pin(reason="Marquee countdown")
        except discord.HTTPException as exc:
            log.warning("Could not pin the countdown in guild %s: %s", guild_id, exc)
            await db.countdown.set_problem(self.bot.db, guild_id, f"The countdown is posted but not pinned: {exc.text}")
            return
        await db.countdown.set_problem(self.bot.db, guild_id, None)

    async def _problem(self, row: Countdown, channel: discord.TextChannel, problem: str) -> None:
        log.warning("Countdown in guild %s (#%s): %s", row.guild_id, channel.name, problem)
        await db.countdown.set_problem(self.bot.db, row.guild_id, problem)

    async def _announce(self, row: Countdown, channel: discord.TextChannel) -> bool:
        """Post every pending change announcement; False when one should be retried later."""
        role = channel.guild.get_role(row.ping_role_id) if row.ping_role_id is not None else None
        mentions = discord.AllowedMentions(everyone=False, users=False, roles=[role] if role else False)
        for entry in await db.countdown.pending_announcements(self.bot.db, row.guild_id):
            text = announcement(
                entry.previous,
                entry.claim,
                entry.reason,
                show_title=self.bot.show.title,
                role_mention=role.mention if role is not None else None,
            )
            try:
                await channel.send(text, allowed_mentions=mentions, suppress_embeds=True)
            except (discord.Forbidden, discord.NotFound) as exc:
                log.warning("Countdown announcement %s in guild %s refused: %s", entry.id, row.guild_id, exc)
                await db.countdown.mark_announced(self.bot.db, entry.id, sent=False)
                continue
            except discord.HTTPException as exc:
                log.warning("Countdown announcement %s in guild %s failed (%s); retrying", entry.id, row.guild_id, exc)
                return False
            await db.countdown.mark_announced(self.bot.db, entry.id, sent=True)
        return True
