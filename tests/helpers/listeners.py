"""Waiting for the bot to have handled a gateway event: its listeners run as tasks after discord.py dispatched it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord

HEARD_TIMEOUT = 5.0


@asynccontextmanager
async def hearing(bot: discord.Client, event: str) -> AsyncIterator[None]:
    """Around what makes the fake send ``event``: on leaving, the bot has received it and every listener the
    event started has finished.

    discord.py resolves ``wait_for`` and then, in the same call, starts one task per listener, named
    ``discord.py: on_<event>``; so once the wait is over, those tasks exist and are awaited here.
    """
    arrived = asyncio.ensure_future(bot.wait_for(event, timeout=HEARD_TIMEOUT))
    yield
    await arrived
    await handled(event)


async def handled(event: str) -> None:
    """Until the listeners of an ``event`` the bot has already dispatched have finished."""
    running = [t for t in asyncio.all_tasks() if t.get_name() == f"discord.py: on_{event}"]
    async with asyncio.timeout(HEARD_TIMEOUT):
        await asyncio.gather(*running)
