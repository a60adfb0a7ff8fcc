from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.cards import Card, CardField
from cogs._embeds import to_embed
from cogs._replies import reply_text


class About(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Marquee is and which commands it offers")
    async def about(self, interaction: discord.Interaction) -> None:
        commands_list = sorted(
            f"`/{c.qualified_name}`" for c in self.bot.tree.walk_commands() if isinstance(c, app_commands.Command)
        )
        card = Card(
            title="Marquee",
            description=reply_text(
                interaction,
                "A fan-server bot: who plays whom, spoiler-safe recaps, the show's news as it breaks, "
                "and a countdown that follows the release news.",
            ),
            fields=(
                CardField(
                    reply_text(interaction, "Commands"), " ".join(commands_list) or reply_text(interaction, "none")
                ),
            ),
            footer=f"Marquee {__version__}",
        ).check()
        await interaction.response.send_message(embed=to_embed(card), ephemeral=True)
