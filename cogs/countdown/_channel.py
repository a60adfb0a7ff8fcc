"""``bot.countdown.channel`` over discord.py: which exception is which answer, and the permission check."""

from __future__ import annotations

import logging

import discord

from bot.cards import Card
from bot.countdown.channel import ChannelError, Failed, MessageGone, Refused
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


class DiscordCountdowns:
    """Finds a server's text channel in discord.py's cache (the guilds intent keeps it current)."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    def channel(self, guild_id: int, channel_id: int) -> DiscordCountdownChannel | None:
        guild = self.client.get_guild(guild_id)
        channel = guild.get_channel(channel_id) if guild is not None else None
        return DiscordCountdownChannel(channel) if isinstance(channel, discord.TextChannel) else None
