"""Turning ``bot.cards.Card`` into ``discord.Embed``: the only place cogs build embeds from domain output."""

from __future__ import annotations

import discord

from bot.cards import Card


def to_embed(card: Card) -> discord.Embed:
    embed = discord.Embed(
        title=card.title or None,
        description=card.description or None,
        url=card.url,
        colour=card.colour,
        timestamp=card.timestamp,
    )
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if card.footer:
        embed.set_footer(text=card.footer)
    if card.author:
        embed.set_author(name=card.author)
    if card.image_url:
        embed.set_image(url=card.image_url)
    if card.thumbnail_url:
        embed.set_thumbnail(url=card.thumbnail_url)
    return embed
