"""A small real discord.py bot for driving fakediscord the way production code would."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.transport import point_discord_at
from fakediscord.server import FakeDiscord
from fakediscord.world import Guild

ClientT = TypeVar("ClientT", bound=discord.Client)

CAST = ["Nam On-jo", "Lee Cheong-san", "Choi Nam-ra", "Lee Su-hyeok", "Yoon Gwi-nam"]


class Controls(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Reveal", custom_id="reveal")
    async def reveal(self, interaction: discord.Interaction, button: discord.ui.Button[Controls]) -> None:
        await interaction.response.edit_message(content="Revealed.", view=None)

    @discord.ui.button(label="Later", custom_id="later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button[Controls]) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="Edited after a deferred update.")


class Suggestion(discord.ui.Modal, title="Suggest a recap topic"):
    topic: discord.ui.TextInput[Suggestion] = discord.ui.TextInput(label="Topic", custom_id="topic", max_length=50)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks for suggesting {self.topic.value}.", ephemeral=True)


class TinyBot(commands.Bot):
    """Syncs a handful of commands to one guild and answers them like a real cog would."""

    def __init__(self, guild: Guild) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            help_command=None,
            guild_ready_timeout=0.05,
        )
        self.guild_id = guild.id
        self.gate = asyncio.Event()
        self.errors: list[BaseException] = []
        self.errored = asyncio.Condition()
        self.dispatched = asyncio.Event()

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """Dispatch as discord.py does, then wake whoever waits in ``eventually`` to look at the cache again."""
        super().dispatch(event_name, *args, **kwargs)
        self.dispatched.set()

    async def eventually(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot's own state satisfies ``predicate`` (it changes after the fake has sent).

        Re-checked after every event the bot dispatches: every gateway event is dispatched (``socket_event_type``
        at least), and this waiter runs only once discord.py has parsed that event into its cache.
        """
        async with asyncio.timeout(timeout):
            while not predicate():
                self.dispatched.clear()
                await self.dispatched.wait()

    async def note(self, exc: BaseException) -> None:
        """Keep an error the bot saw, for the test to assert on."""
        async with self.errored:
            self.errors.append(exc)
            self.errored.notify_all()

    async def wait_for_errors(self, count: int) -> list[BaseException]:
        async with asyncio.timeout(5), self.errored:
            await self.errored.wait_for(lambda: len(self.errors) >= count)
            return self.errors

    async def setup_hook(self) -> None:
        target = discord.Object(self.guild_id)
        tree = self.tree

        @tree.command(name="cast", description="Look up a character", guild=target)
        @app_commands.describe(name="Who to look up")
        async def cast(interaction: discord.Interaction, name: str) -> None:
            embed = discord.Embed(title=name, description=f"{name} is a character in the show.")
            await interaction.response.send_message(embed=embed)

        @cast.autocomplete("name")
        async def cast_names(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=n, value=n) for n in CAST if current.lower() in n.lower()][:25]

        @tree.command(name="slow", description="Defers, then answers", guild=target)
        async def slow(interaction: discord.Interaction, secret: bool = False) -> None:
            await interaction.response.defer(ephemeral=secret, thinking=True)
            await interaction.followup.send("Done thinking.", ephemeral=secret)
            await interaction.followup.send("One more thing.", ephemeral=secret)

        @tree.command(name="late", description="Waits for the test before answering", guild=target)
        async def late(interaction: discord.Interaction) -> None:
            await self.gate.wait()
            try:
                await interaction.response.send_message("Sorry I'm late.")
            except discord.HTTPException as exc:
                await self.note(exc)

        @tree.command(name="twice", description="Answers twice", guild=target)
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("First.", ephemeral=True)
            try:
                await interaction.response.defer()
            except discord.InteractionResponded as exc:
                await self.note(exc)
            try:
                await interaction.client.http.request(
                    discord.http.Route("POST", "/interactions/{i}/{t}/callback", i=interaction.id, t=interaction.token),
                    json={"type": 5},
                )
            except discord.HTTPException as exc:
                await self.note(exc)

        @tree.command(name="controls", description="Posts buttons", guild=target)
        async def controls(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Pick one.", view=Controls())

        @tree.command(name="suggest", description="Suggest a recap topic", guild=target)
        async def suggest(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Suggestion())

        feeds = app_commands.Group(name="feeds", description="Manage news feeds", guild_ids=[self.guild_id])

        @feeds.command(name="add", description="Follow a feed in a channel")
        async def feeds_add(
            interaction: discord.Interaction, url: str, channel: discord.TextChannel, limit: int = 5
        ) -> None:
            await interaction.response.send_message(
                f"Following {url} in {channel.mention} (max {limit}).", ephemeral=True
            )

        tree.add_command(feeds)
        self.add_view(Controls())
        await tree.sync(guild=target)


@contextlib.asynccontextmanager
async def running(fd: FakeDiscord, bot: ClientT) -> AsyncIterator[ClientT]:
    """Log the bot in against ``fd``, connect it, wait for READY, and close it cleanly afterwards."""
    point_discord_at(fd.api_url, fd.gateway_url)
    await bot.login(fd.token)
    task = asyncio.create_task(bot.connect())
    try:
        await fd.wait_ready()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task
