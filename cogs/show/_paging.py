"""Pages of cards behind Previous/Next buttons that keep working after a restart.

The button's custom id carries the request (what to render, and which page), so any click can be answered by
rendering again from the show pack; nothing is held in memory per message.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, Self, runtime_checkable

import discord
from discord.ext import commands

from bot.cards import Card
from bot.errors import UserFacingError
from cogs._embeds import to_embed
from cogs._replies import reply_text

PREFIX = "mq:pg"
COG_NAME = "ShowCommands"


@runtime_checkable
class PageSource(Protocol):
    def pages_for(self, key: str) -> list[Card]: ...


def page_view(key: str, page: int, total: int) -> discord.ui.View | None:
    """Previous / "n of N" / Next for page ``page`` (0-based) of ``total``; no view for a single page."""
    if total <= 1:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(key, page - 1, "prev", disabled=page == 0))
    view.add_item(PageLabel(key, page, total))
    view.add_item(PageButton(key, page + 1, "next", disabled=page >= total - 1))
    return view


def page_message(key: str, pages: list[Card], page: int) -> dict[str, Any]:
    """Keyword arguments for send/edit showing page ``page`` (clamped into range)."""
    page = max(0, min(page, len(pages) - 1))
    view = page_view(key, page, len(pages))
    message: dict[str, Any] = {"embed": to_embed(pages[page])}
    if view is not None:
        message["view"] = view
    return message


class PageLabel(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=PREFIX + r"-label:(?P<key>[^:]+)",
):
    """The disabled "n of N" between the arrows.

    Dynamic like them, so discord.py keeps no view per paged message: as a plain button with a custom id it made
    every paged answer's view live as long as the bot (bench/memory.py saw the bot grow about 20 MiB an hour).
    """

    def __init__(self, key: str, page: int = 0, total: int = 1) -> None:
        super().__init__(
            discord.ui.Button(label=f"{page + 1} of {total}", disabled=True, custom_id=f"{PREFIX}-label:{key}"[:100])
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["key"])  # never clicked (it is disabled); matched only so no view has to be kept


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=PREFIX + r":(?P<key>[^:]+):(?P<page>-?\d+):(?P<way>prev|next)",
):
    def __init__(self, key: str, page: int, way: str, *, disabled: bool = False) -> None:
        self.key, self.page = key, page
        custom_id = f"{PREFIX}:{key}:{page}:{way}"
        if len(custom_id) > 100:
            raise ValueError(f"page key too long for a custom id: {key!r}")
        super().__init__(
            discord.ui.Button(
                label="Previous" if way == "prev" else "Next",
                emoji="◀️" if way == "prev" else "▶️",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=custom_id,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["key"], int(match["page"]), "prev" if match["way"] == "prev" else "next")

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        cog: object = client.get_cog(COG_NAME) if isinstance(client, commands.Bot) else None
        if not isinstance(cog, PageSource):
            await interaction.response.send_message(
                reply_text(interaction, "These pages are no longer available."), ephemeral=True
            )
            return
        try:
            pages = cog.pages_for(self.key)
        except UserFacingError as exc:
            await interaction.response.send_message(reply_text(interaction, exc.text), ephemeral=True)
            return
        await interaction.response.edit_message(**page_message(self.key, pages, self.page))
