from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.cards import Card, CardField
from cogs._embeds import to_embed
from cogs._places import anywhere, in_marquee_server, works_outside_servers
from cogs._replies import reply_text


class About(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Marquee is and which commands it offers")
    @anywhere()  # the first thing a fan who installed Marquee to their account asks, wherever they are
    async def about(self, interaction: discord.Interaction) -> None:
        tree = self.bot.tree
        here = in_marquee_server(interaction)
        commands_list = sorted(
            f"`/{c.qualified_name}`"
            for c in tree.walk_commands()
            if isinstance(c, app_commands.Command) and (here or works_outside_servers(c, tree))
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
