"""``bot.countdown.channel`` over discord.py: which exception is which answer, and the permission check."""

from __future__ import annotations

import logging

import discord

from bot.cards import Card
from bot.countdown.channel import ChannelError, EventGone, Failed, MessageGone, Refused
from bot.countdown.premiere import Premiere
from cogs._embeds import to_embed
from cogs._permissions import missing_in

log = logging.getLogger(__name__)

# What Marquee needs in the countdown channel.
NEEDED = ("view_channel", "send_messages", "embed_links", "pin_messages")


def _answer(exc: discord.HTTPException) -> ChannelError:
    text = exc.text
    if isinstance(exc, discord.NotFound):
        return MessageGone(text)
    if isinstance(exc, discord.Forbidden):
        return Refused(text)
    return Failed(text or str(exc))


class DiscordCountdownChannel:
    def __init__(self, channel: discord.TextChannel) -> None:
        self._channel = channel

    @property
    def mention(self) -> str:
        return self._channel.mention

    @property
    def name(self) -> str:
        return self._channel.name

    def missing_permissions(self) -> list[str]:
        return missing_in(self._channel, NEEDED)

    def role_mention(self, role_id: int | None) -> str | None:
        role = self._channel.guild.get_role(role_id) if role_id is not None else None
        return role.mention if role is not None else None

    async def post(self, card: Card) -> int:
        try:
            message = await self._channel.send(embed=to_embed(card), allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            raise _answer(exc) from exc
        return message.id

    async def edit(self, message_id: int, card: Card) -> None:
        try:
            await self._channel.get_partial_message(message_id).edit(
                embed=to_embed(card), allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as exc:
            raise _answer(exc) from exc

    async def pin(self, message_id: int) -> None:
        try:
            await self._channel.get_partial_message(message_id).pin(reason="Marquee countdown")
        except discord.HTTPException as exc:
            raise _answer(exc) from exc

    async def exists(self, message_id: int) -> bool:
        try:
            await self._channel.fetch_message(message_id)
        except discord.NotFound:
            return False
        except discord.HTTPException as exc:
            log.info("Could not check countdown message %s: %s", message_id, exc)
        return True

    async def delete(self, message_id: int) -> None:
        try:
            await self._channel.get_partial_message(message_id).delete()
        except discord.HTTPException as exc:
            log.info("Could not remove the old countdown message %s: %s", message_id, exc)

    async def announce(self, text: str, role_id: int | None) -> None:
        role = self._channel.guild.get_role(role_id) if role_id is not None else None
        mentions = discord.AllowedMentions(everyone=False, users=False, roles=[role] if role else False)
        try:
            await self._channel.send(text, allowed_mentions=mentions, suppress_embeds=True)
        except discord.HTTPException as exc:
            raise _answer(exc) from exc


# Discord's answers that mean an event takes no more changes: it is gone (10070), or finished or cancelled (180000).
UNKNOWN_EVENT = 10070
FINISHED_EVENT = 180000


def _event_answer(exc: discord.HTTPException) -> ChannelError:
    if isinstance(exc, discord.NotFound) or exc.code in (UNKNOWN_EVENT, FINISHED_EVENT):
        return EventGone(exc.text)
    return _answer(exc)


class DiscordPremiereEvents:
    """One server's scheduled events for the premiere: an external event, visible to the server's members."""

    def __init__(self, guild: discord.Guild) -> None:
        self._guild = guild

    def may_schedule(self) -> bool:
        granted = self._guild.me.guild_permissions
        return granted.create_events or granted.manage_events

    async def find(self, name: str) -> int | None:
        try:
            events = await self._guild.fetch_scheduled_events(with_counts=False)
        except discord.HTTPException as exc:
            raise _event_answer(exc) from exc
        mine = self._guild.me.id
        for event in events:
            if event.name == name and event.creator_id == mine and event.status is discord.EventStatus.scheduled:
                return event.id
        return None

    async def create(self, premiere: Premiere) -> int:
        try:
            event = await self._guild.create_scheduled_event(
                name=premiere.name,
                start_time=premiere.start,
                end_time=premiere.end,
                entity_type=discord.EntityType.external,
                location=premiere.location,
                privacy_level=discord.PrivacyLevel.guild_only,
                description=premiere.description,
                reason="Marquee countdown: the premiere day is confirmed",
            )
        except discord.HTTPException as exc:
            raise _event_answer(exc) from exc
        return event.id

    async def move(self, event_id: int, premiere: Premiere) -> None:
        try:
            event = await self._guild.fetch_scheduled_event(event_id)
            if event.status is not discord.EventStatus.scheduled:
                raise EventGone(f"the event is {event.status.name}")
            await event.edit(
                name=premiere.name,
                description=premiere.description,
                start_time=premiere.start,
                end_time=premiere.end,
                location=premiere.location,
                reason="Marquee countdown: the confirmed premiere changed",
            )
        except discord.HTTPException as exc:
            raise _event_answer(exc) from exc

    async def cancel(self, event_id: int) -> None:
        try:
            event = await self._guild.fetch_scheduled_event(event_id)
            if event.status is not discord.EventStatus.scheduled:
                raise EventGone(f"the event is {event.status.name}")
            await event.cancel(reason="Marquee countdown: the premiere day is no longer confirmed")
        except discord.HTTPException as exc:
            raise _event_answer(exc) from exc


class DiscordCountdowns:
    """Finds a server's text channel in discord.py's cache (the guilds intent keeps it current)."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    def channel(self, guild_id: int, channel_id: int) -> DiscordCountdownChannel | None:
        guild = self.client.get_guild(guild_id)
        channel = guild.get_channel(channel_id) if guild is not None else None
        return DiscordCountdownChannel(channel) if isinstance(channel, discord.TextChannel) else None

    def events(self, guild_id: int) -> DiscordPremiereEvents | None:
        guild = self.client.get_guild(guild_id)
        return DiscordPremiereEvents(guild) if guild is not None else None
