"""How the feeds cog's own answers look: ``/feeds status``, ``/feeds refresh``'s lines and ``/news``.

Kept apart from the commands so ``_cog.py`` reads like the help page; everything here only formats what the
service returned, in the asking user's language and within Discord's embed limits. Feed titles, HTTP reason
phrases and errors are strangers' words: they go through ``bot.cards.plain`` (addresses through ``link_url``)
so none of them renders as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord
from discord.ext import commands

from bot.cards import link_url, masked_link, plain, truncate
from bot.feeds.post import discord_timestamp
from bot.feeds.service import Post, Status
from bot.feeds.watcher import PollOutcome
from cogs._replies import reply_text

MAX_STATUS_FIELDS = 25  # Discord's limit per embed
STATUS_BUDGET = 6000 - 1024 - 256 - 200  # an embed holds 6000 characters; leave room for one more field

Interaction = discord.Interaction[commands.Bot]


def when(interaction: Interaction, moment: datetime | None) -> str:
    if moment is None:
        return reply_text(interaction, "never")
    return f"{discord_timestamp(moment, 'f')} ({discord_timestamp(moment, 'R')})"


def outcome_line(interaction: Interaction, outcome: PollOutcome) -> str:
    """One feed's poll, for ``/feeds refresh``."""
    if outcome.error is not None and outcome.paused_reason:
        return reply_text(
            interaction,
            "✗ <{url}>: {error} — paused: {reason}",
            url=link_url(outcome.url),
            error=plain(outcome.error),
            reason=plain(outcome.paused_reason),
        )
    if outcome.error is not None:
        return f"✗ <{link_url(outcome.url)}>: {plain(outcome.error)}"
    return reply_text(
        interaction,
        "✓ <{url}>: {fresh} new, {queued} post(s) on the way",
        url=link_url(outcome.url),
        fresh=len(outcome.fresh),
        queued=outcome.queued,
    )


def status_embed(interaction: Interaction, found: Status) -> discord.Embed:
    """One field per subscription while they fit in one embed; a footer says how many more there are."""
    statuses, paused_channels, now = found.entries, found.paused_channels, found.now
    embed = discord.Embed(title=reply_text(interaction, "Feed status"), colour=0xC0392B)
    for shown, entry in enumerate(statuses):
        if shown == MAX_STATUS_FIELDS or len(embed) > STATUS_BUDGET:
            more = reply_text(
                interaction,
                "…and {count} more; remove unused feeds with /feeds remove",
                count=len(statuses) - shown,
            )
            embed.set_footer(text=more)
            break
        feed, sub = entry.feed, entry.subscription
        http = reply_text(interaction, "none yet") if feed.last_status is None else str(feed.last_status)
        lines = [
            f"<#{sub.channel_id}> · <{link_url(feed.url)}>",
            reply_text(
                interaction,
                "Last check: {when} · HTTP {status}",
                when=when(interaction, feed.last_fetch_at),
                status=http,
            ),
        ]
        if feed.paused_reason:
            lines.append(reply_text(interaction, "**Paused:** {reason}", reason=plain(feed.paused_reason)))
        else:
            due = feed.next_due_at
            lines.append(
                reply_text(
                    interaction,
                    "Next check: {when} (due now)" if due <= now else "Next check: {when}",
                    when=when(interaction, due),
                )
            )
        if feed.consecutive_failures:
            lines.append(
                reply_text(
                    interaction,
                    "Failures in a row: {count} · last error: {error}",
                    count=feed.consecutive_failures,
                    error=plain(feed.last_error or ""),
                )
            )
        lines.append(
            reply_text(
                interaction,
                "Posted here in the last {days} days: {count}",
                days=found.keep_days,
                count=entry.posted_here,
            )
        )
        if entry.edited_here:
            lines.append(reply_text(interaction, "Edits here in the last 24 h: {count}", count=entry.edited_here))
        if entry.dropped_here:
            lines.append(
                reply_text(
                    interaction,
                    "**Dropped:** {count} post(s) · {reason}",
                    count=entry.dropped_here,
                    reason=plain(entry.dropped_reason or ""),
                )
            )
        if sub.channel_id in paused_channels:
            lines.append(
                reply_text(
                    interaction, "**Channel paused:** {reason}", reason=plain(paused_channels[sub.channel_id])
                )
            )
        name = f"{sub.id} · {'⏸ ' if feed.paused_reason else ''}{plain(feed.title or feed.url, 200)}"
        embed.add_field(name=name, value=truncate("\n".join(lines), 1024), inline=False)
    return embed


def news_embed(interaction: Interaction, posts: Sequence[Post]) -> discord.Embed:
    """The latest posts, each headline linked and escaped (feed text is never markup)."""
    lines = []
    for post in posts:
        headline = masked_link(post.title, post.link, 200)
        outlet = f" · {plain(post.outlet, 100)}" if post.outlet else ""
        lines.append(f"• {headline}{outlet} · {discord_timestamp(post.published_at, 'R')}")
    # An answer to one person's command (in their language), though the channel sees it; the headlines are
    # the articles' own.
    return discord.Embed(
        title=reply_text(interaction, "Latest news"), description=truncate("\n".join(lines), 4096), colour=0xC0392B
    )
