from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.cards import Card
from bot.errors import UserFacingError
from bot.show import (
    Character,
    Person,
    SeasonNotFound,
    Show,
    ShowIndex,
    cast_card,
    cast_pages,
    recap_character,
    recap_episode,
    recap_overview,
)
from cogs._embeds import to_embed
from cogs._places import anywhere
from cogs.show._paging import page_message

log = logging.getLogger(__name__)

CAST_PER_PAGE = 10


class ShowCommands(commands.Cog):
    """Lookups any fan can run; answers are rendered from the show pack by ``bot.show``."""

    def __init__(self, show: Show, index: ShowIndex) -> None:
        self.show = show
        self.index = index

    # -- /cast ------------------------------------------------------------------------------------------------

    @app_commands.command(name=_("cast"), description=_("Who plays whom: look up an actor or a character"))
    @anywhere()
    @app_commands.describe(
        name=_("An actor or a character, in any spelling (leave empty for the whole cast)"),
        season=_("Which season's cast"),
    )
    async def cast(
        self,
        interaction: discord.Interaction,
        name: str | None = None,
        season: app_commands.Range[int, 1, 99] | None = None,
    ) -> None:
        if season is not None:
            self._season(season)
        if name is None or not name.strip():
            chosen = season or self._latest_cast_season()
            key = f"cast.{chosen}"
            await interaction.response.send_message(**page_message(key, self.pages_for(key), 0))
            return
        match = self.index.resolve(name.strip())  # UnknownEntry → ephemeral "did you mean"
        entry = match.entry
        assert isinstance(entry, Person | Character)
        await interaction.response.send_message(embed=to_embed(cast_card(self.show, entry, season)))

    @cast.autocomplete("name")
    async def cast_name_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=label, value=value) for label, value in self.index.autocomplete(current)]

    # -- /recap -----------------------------------------------------------------------------------------------

    @app_commands.command(name=_("recap"), description=_("Catch up on the story without spoiling anyone"))
    @anywhere()
    @app_commands.describe(
        episode=_("Recap of one episode"),
        character=_("A character's story so far"),
        up_to=_("Stop at this episode: nothing after it is shown"),
        season=_("Which season (default: the latest with episodes)"),
        private=_("Only you see the answer, with spoilers shown plainly"),
    )
    async def recap(
        self,
        interaction: discord.Interaction,
        episode: app_commands.Range[int, 1, 99] | None = None,
        character: str | None = None,
        up_to: app_commands.Range[int, 1, 99] | None = None,
        season: app_commands.Range[int, 1, 99] | None = None,
        private: bool = False,
    ) -> None:
        chosen = season or self._latest_aired_season()
        self._season(chosen)
        flag = int(private)
        if episode is not None and character is not None:
            raise UserFacingError("Pick either an episode or a character, not both.")
        if episode is not None and up_to is not None:
            raise UserFacingError("`up_to` goes with `character` (or alone, to catch up episode by episode).")
        if character is not None:
            match = self.index.resolve(character.strip())
            if not isinstance(match.entry, Character):
                roles = [c.character for c in match.credits if c.character]
                if len(roles) != 1:
                    raise UserFacingError("Pick one of the characters {name} plays.", name=match.entry.name)
                key = f"ch.{chosen}.{roles[0]}.{up_to or 0}.{flag}"
            else:
                key = f"ch.{chosen}.{match.entry.id}.{up_to or 0}.{flag}"
        elif episode is not None:
            key = f"ep.{chosen}.{episode}.{flag}"
        elif up_to is not None:
            key = f"up.{chosen}.{up_to}.{flag}"
        else:
            key = f"ov.{chosen}.{flag}"
        pages = self.pages_for(key)
        await interaction.response.send_message(**page_message(key, pages, 0), ephemeral=private)

    @recap.autocomplete("character")
    async def recap_character_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=label, value=value) for label, value in self.index.character_choices(current)]

    # -- rendering behind the pages ---------------------------------------------------------------------------

    def pages_for(self, key: str) -> list[Card]:
        """Render the cards a page key stands for (a key is what a Previous/Next button carries)."""
        kind, *args = key.split(".")
        if kind == "cast":
            return cast_pages(self.show, int(args[0]), CAST_PER_PAGE)
        hidden = args[-1] != "1"
        season = int(args[0])
        if kind == "ov":
            return recap_overview(self.show, season, spoilers_hidden=hidden)
        if kind == "ep":
            return recap_episode(self.show, season, int(args[1]), spoilers_hidden=hidden)
        if kind == "up":
            pages: list[Card] = []
            for number in range(1, int(args[1]) + 1):
                pages += recap_episode(self.show, season, number, spoilers_hidden=hidden)
            return pages
        if kind == "ch":
            character = self.show.character(args[1])
            if character is None:
                raise UserFacingError("That character is no longer in this server's show pack.")
            up_to = int(args[2]) or None
            return recap_character(self.show, character, up_to, hidden, season=season)
        raise UserFacingError("These pages are no longer available.")

    def _season(self, number: int) -> None:
        if self.show.season(number) is None:
            raise SeasonNotFound(number, tuple(s.number for s in self.show.seasons))

    def _latest_cast_season(self) -> int:
        return max(c.season for c in self.show.credits)

    def _latest_aired_season(self) -> int:
        aired = [s.number for s in self.show.seasons if s.episodes]
        return max(aired) if aired else min(s.number for s in self.show.seasons)
