"""``bot.feeds.channels.NewsChannels`` over discord.py: posting news, and telling Discord's answers apart.

The sender's rules live in ``bot.feeds.sender``; this module only knows which discord.py exception means
which kind of answer, and how to look through a channel's history for a post Marquee already made.

In a cluster a channel is usually posted in by the process hosting its server's shard, whose discord.py cache holds
the server's roles and forums; when that process is gone another one takes the channel over, and for it the server
is not cached: a forum and the server's roles are then fetched over REST (a few requests, only on that path), so a
forum is never mistaken for a deleted channel and a role ping still pings.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote

import aiohttp
import discord

from bot.cards import Card, plain
from bot.feeds.channels import ChannelRefused, PostGone, PostRejected, SendFailed
from cogs._embeds import to_embed
from cogs._permissions import missing_in

log = logging.getLogger(__name__)

HISTORY_LOOKBACK = 50
UNKNOWN_MESSAGE = 10008  # Discord's JSON error code for a message that does not exist
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
THREAD_PERMISSIONS = ("create_public_threads", "send_messages_in_threads")


def _refusal(exc: discord.HTTPException) -> ChannelRefused | PostRejected | SendFailed:
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        what = "no longer exists" if isinstance(exc, discord.NotFound) else "does not let Marquee post"
        return ChannelRefused(
            f"the channel {what} (Discord {exc.status}: {exc.text or 'refused'})",
            gone=isinstance(exc, discord.NotFound),
        )
    if exc.status >= 500 or exc.status == 429:
        return SendFailed(f"Discord answered {exc.status}: {exc.text or exc}")
    return PostRejected(f"Discord refused the post ({exc.status}: {exc.text})")


def same_link(posted: str, link: str) -> bool:
    """Whether a card's url is the article's link: the card carries it percent-encoded (``bot.cards.link_url``),
    and Discord may re-encode it, so both are compared decoded."""
    return unquote(posted) == unquote(link)


class DiscordNewsChannels:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send_card(
        self, channel_id: int, guild_id: int, card: Card, *, nonce: str, ping_role: int | None = None
    ) -> int:
        channel = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
        try:
            content, mentions = await self._ping(guild_id, ping_role)
            message = await channel.send(content, embed=to_embed(card), nonce=nonce, allowed_mentions=mentions)
        except discord.HTTPException as exc:
            raise _refusal(exc) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise SendFailed(f"no answer from Discord ({type(exc).__name__})") from exc
        return message.id

    async def _ping(self, guild_id: int, role_id: int | None) -> tuple[str | None, discord.AllowedMentions]:
        """The content and allowed mentions of a news post: the role's mention, pingable alone, or nothing.

        The @everyone role (whose id is the server's) is never mentioned, and a role deleted since it was chosen
        is left out rather than shown as "@deleted-role".
        """
        quiet = discord.AllowedMentions.none()
        if role_id is None or role_id == guild_id:
            return None, quiet
        guild = await self._guild(guild_id)
        if guild is None or guild.get_role(role_id) is None:
            return None, quiet
        only_role = discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False
        )
        return f"<@&{role_id}>", only_role

    async def _guild(self, guild_id: int) -> discord.Guild | None:
        """The server from the cache, or over REST when this process does not host its shard (with its roles);
        ``None`` if Discord will not say."""
        guild = self.client.get_guild(guild_id)
        if guild is not None:
            return guild
        try:
            return await self.client.fetch_guild(guild_id)
        except discord.HTTPException as exc:
            log.warning("could not fetch server %s: %s", guild_id, exc)
            return None

    async def _channel(self, channel_id: int) -> object:
        """The channel from the cache, or over REST when its server is not on this process's shards; raises what
        discord.py raises for a channel Discord refuses to show."""
        channel = self.client.get_channel(channel_id)
        if channel is not None:
            return channel
        try:
            return await self.client.fetch_channel(channel_id)
        except discord.NotFound:
            return None

    async def find_posted(self, channel_id: int, guild_id: int, *, nonce: str, link: str | None) -> int | None:
        me = self.client.user
        if me is None:
            return None
        channel = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK):
                if message.author.id != me.id:
                    continue
                if message.nonce is not None and str(message.nonce) == nonce:
                    return message.id
                if link and any(embed.url and same_link(embed.url, link) for embed in message.embeds):
                    return message.id
        except discord.HTTPException as exc:
            # Without Read Message History the nonce is the only guard left; say so and carry on.
            log.warning("could not read channel %s history to check nonce %s: %s", channel_id, nonce, exc)
        return None

    async def edit_card(self, channel_id: int, guild_id: int, message_id: int, card: Card) -> None:
        try:
            if isinstance(await self._channel(channel_id), discord.ForumChannel):
                channel_id = message_id  # a forum post's first message lives in the post, which shares its id
            channel = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
            message = channel.get_partial_message(message_id)
            # An edit never pings: the role pings of a post are for its first appearance only.
            await message.edit(embed=to_embed(card), allowed_mentions=discord.AllowedMentions.none())
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MESSAGE:
                raise PostGone(f"the message was deleted (Discord {exc.status}: {exc.text or 'not found'})") from exc
            raise _refusal(exc) from exc
        except discord.HTTPException as exc:
            raise _refusal(exc) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise SendFailed(f"no answer from Discord ({type(exc).__name__})") from exc

    async def say_paused(self, channel_id: int, guild_id: int, *, feed: str, reason: str) -> None:
        # The feed's title and the HTTP reason are strangers' words, never markup.
        channel = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
        try:
            await channel.send(
                f"I stopped checking **{plain(feed)}**: {plain(reason)}. "
                "A moderator can see `/feeds status` and retry with `/feeds resume`.",
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as exc:
            raise _refusal(exc) from exc

    # -- a thread per story -------------------------------------------------------------------------------------

    async def post_in_forum(self, channel_id: int, guild_id: int, card: Card, *, title: str, tag_id: int | None) -> int:
        try:
            forum = await self._channel(channel_id)
        except discord.HTTPException as exc:
            raise _refusal(exc) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise SendFailed(f"no answer from Discord ({type(exc).__name__})") from exc
        if not isinstance(forum, discord.ForumChannel):
            raise ChannelRefused("the forum no longer exists", gone=True)
        tag = forum.get_tag(tag_id) if tag_id is not None else None
        if tag_id is not None and tag is None:
            log.warning("forum %s no longer has tag %s; posting without it", channel_id, tag_id)
        try:
            made = await forum.create_thread(
                name=title,
                embed=to_embed(card),
                applied_tags=[tag] if tag is not None else [],
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as exc:
            raise _refusal(exc) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise SendFailed(f"no answer from Discord ({type(exc).__name__})") from exc
        return made.thread.id

    async def find_forum_post(self, channel_id: int, guild_id: int, *, title: str, link: str | None) -> int | None:
        me = self.client.user
        if me is None:
            return None
        try:
            guild = await self._guild(guild_id)
            if guild is None:
                return None
            # Open posts first (one request for the whole server), then the forum's recently archived ones.
            candidates = [t for t in await guild.active_threads() if t.parent_id == channel_id]
            forum = await self._channel(channel_id)
            if isinstance(forum, discord.ForumChannel):
                candidates += [t async for t in forum.archived_threads(limit=HISTORY_LOOKBACK)]
            for thread in candidates:
                if thread.owner_id == me.id and thread.name == title and await self._first_links(thread, link):
                    return thread.id
        except discord.HTTPException as exc:
            log.warning("could not list forum %s's posts to look for %r: %s", channel_id, title, exc)
        return None

    @staticmethod
    async def _first_links(thread: discord.Thread, link: str | None) -> bool:
        """Whether the post's first message (it shares the post's id) is the card for ``link``; by title alone
        when there is no link or the message cannot be read."""
        if not link:
            return True
        try:
            first = await thread.fetch_message(thread.id)
        except discord.HTTPException:
            return True
        return any(embed.url and same_link(embed.url, link) for embed in first.embeds)

    async def start_thread(self, channel_id: int, guild_id: int, message_id: int, *, name: str) -> int:
        message = self.client.get_partial_messageable(channel_id, guild_id=guild_id).get_partial_message(message_id)
        try:
            thread = await message.create_thread(name=name)
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:
                return message_id  # a thread started from a message shares its id
            if isinstance(exc, discord.Forbidden):
                reason = f"I may not start threads there (Discord {exc.status}: {exc.text})"
                raise ChannelRefused(reason, gone=False) from exc
            raise _refusal(exc) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise SendFailed(f"no answer from Discord ({type(exc).__name__})") from exc
        return thread.id

    async def say_no_thread(self, channel_id: int, guild_id: int, *, reason: str) -> None:
        channel = self.client.get_channel(channel_id)
        missing = missing_in(channel, THREAD_PERMISSIONS) if isinstance(channel, discord.TextChannel) else []
        grant = ", ".join(missing) or "Create Public Threads, Send Messages in Threads"
        try:
            await self.client.get_partial_messageable(channel_id, guild_id=guild_id).send(
                f"News posts here go out without their discussion thread: {plain(reason)}. "
                f"A server admin can grant me {grant} in this channel; I will not repeat this until it works again.",
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as exc:
            raise _refusal(exc) from exc
