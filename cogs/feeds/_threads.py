"""``/feeds add`` into a forum, or with a discussion thread on each post: which channels it offers, the checks
made before subscribing, and the line that tells the moderator how the posts will look.

Everything here runs before a subscription exists, so Marquee never starts a subscription it could only half do:
a forum it may open posts in but not write in, a forum that requires a tag without one, threads it may not start.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cards import plain
from bot.errors import UserFacingError
from bot.feeds.service import PostStyle
from cogs._permissions import missing_in
from cogs._replies import reply_text

Interaction = discord.Interaction[commands.Bot]

NEEDED_FOR_THREADS = ("create_public_threads", "send_messages_in_threads")
AUTOCOMPLETE_MAX = 25

NewsPlace = discord.TextChannel | discord.ForumChannel


class NewsChannel(app_commands.Transformer):
    """A text, announcement or forum channel. discord.py would offer media channels with forums, which hold
    media posts, not news cards (and Discord's published API description does not list them for options)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news, discord.ChannelType.forum]

    async def transform(self, interaction: discord.Interaction[discord.Client], value: Any, /) -> Any:
        """The channel from the cache (with its permissions and tags); as Discord resolved it when not cached."""
        resolved = value.resolve() if isinstance(value, app_commands.AppCommandChannel) else None
        return resolved or value


def post_style(target: NewsPlace, *, thread: bool, tag: str | None) -> PostStyle:
    """A forum post per article in a forum (with its tag), a message with its thread when asked, else a message;
    ``UserFacingError`` when Marquee could not do all of it, so a post never goes out half-done."""
    if isinstance(target, discord.ForumChannel):
        chosen = forum_tag(target, tag)
        return PostStyle("forum", chosen.id if chosen is not None else None)
    if tag:
        raise UserFacingError(
            "Tags are for forum channels, and {channel} is a text channel: leave out `tag`.", channel=target.mention
        )
    if not thread:
        return PostStyle()
    missing = missing_in(target, NEEDED_FOR_THREADS)
    if missing:
        raise UserFacingError(
            "I cannot start a discussion thread on each post in {channel}: I am missing {missing} there. "
            "A server admin can grant it in the channel's permissions, or subscribe without `thread`.",
            channel=target.mention,
            missing=", ".join(missing),
        )
    return PostStyle("thread")


def forum_tag(forum: discord.ForumChannel, tag: str | None) -> discord.ForumTag | None:
    """The tag picked (by id from the autocomplete, or by name as typed); a forum requiring tags needs one."""
    if not tag or not tag.strip():
        if forum.flags.require_tag:
            raise UserFacingError(
                "{channel} requires a tag on every post: choose one with the `tag` option.", channel=forum.mention
            )
        return None
    wanted = tag.strip()
    chosen = next(
        (t for t in forum.available_tags if str(t.id) == wanted or t.name.casefold() == wanted.casefold()), None
    )
    if chosen is None:
        raise UserFacingError(
            "{channel} has no tag called {tag}: the `tag` option lists the forum's tags.",
            channel=forum.mention,
            tag=plain(wanted),
        )
    if chosen.moderated and not forum.permissions_for(forum.guild.me).manage_threads:
        raise UserFacingError(
            "Only moderators may apply the tag {tag} in {channel}, and I am missing Manage Threads there.",
            channel=forum.mention,
            tag=plain(chosen.name),
        )
    return chosen


def style_line(interaction: Interaction, target: NewsPlace, style: PostStyle) -> str | None:
    """How the subscription's posts will look, for the moderator's answer; None for plain messages."""
    if style.kind == "thread":
        return reply_text(interaction, "Each post gets its own discussion thread, named after the headline.")
    if style.kind != "forum":
        return None
    tag = target.get_tag(style.tag_id) if isinstance(target, discord.ForumChannel) and style.tag_id else None
    if tag is not None:
        return reply_text(
            interaction,
            "Each new article becomes its own post in {channel}, tagged {tag}.",
            channel=target.mention,
            tag=plain(tag.name),
        )
    return reply_text(interaction, "Each new article becomes its own post in {channel}.", channel=target.mention)


def tag_choices(interaction: Interaction, typed: str) -> list[app_commands.Choice[str]]:
    """The tags of the forum picked in ``channel`` that contain what was typed (a text channel has none)."""
    picked = getattr(interaction.namespace, "channel", None)
    guild = interaction.guild
    forum = guild.get_channel(picked.id) if guild is not None and picked is not None else None
    if not isinstance(forum, discord.ForumChannel):
        return []
    needle = typed.casefold().strip()
    return [
        app_commands.Choice(name=t.name, value=str(t.id)) for t in forum.available_tags if needle in t.name.casefold()
    ][:AUTOCOMPLETE_MAX]
