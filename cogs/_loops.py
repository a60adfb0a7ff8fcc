"""Background loops in cogs: ``bot.loops.BackgroundLoop`` started only once the client is ready."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import discord

from bot.loops import BackgroundLoop, Delay, Work

# How often a loop looks again for a client that has not logged in yet (``wait_until_ready`` refuses to wait).
LOGIN_CHECK = 0.5


def until_ready(client: discord.Client) -> Callable[[], Awaitable[None]]:
    """Wait for READY, also when the client has not even logged in yet.

    discord.py's ``wait_until_ready`` raises instead of waiting before login; a loop that gave up there
    (extension checks, a cog loaded before ``start``) would never run once the bot did log in.
    """

    async def ready() -> None:
        while True:
            try:
                await client.wait_until_ready()
            except RuntimeError:
                await asyncio.sleep(LOGIN_CHECK)
            else:
                return

    return ready


def background(
    client: discord.Client,
    name: str,
    work: Work,
    *,
    every: float,
    wake: asyncio.Event | None = None,
    delay: Delay | None = None,
) -> BackgroundLoop:
    """A started loop that waits for ``client`` to be ready; stop it in ``cog_unload``."""
    loop = BackgroundLoop(name, work, every=every, ready=until_ready(client), wake=wake, delay=delay)
    loop.start()
    return loop
