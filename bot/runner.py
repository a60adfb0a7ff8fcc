"""Building Marquee with its resources, for ``python -m bot``, the demo and the tests alike.

Start-up owns the resources: the HTTP session and the database are opened here with ``async with`` and handed to
the bot, and closed on the way out whatever the reason, so every entry point gets the same lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from bot import USER_AGENT
from bot.bot import Marquee, marquee_class
from bot.feeds.fetch import PublicOnlyResolver
from bot.settings import Settings
from bot.show import Show, load_show
from bot.transport import point_discord_at
from db import Database


@asynccontextmanager
async def built_bot(
    settings: Settings,
    *,
    show: Show | None = None,
    guild_ready_timeout: float = 2.0,
    extensions: list[str] | None = None,
) -> AsyncIterator[Marquee]:
    """A Marquee with its session and database open, pointed at the settings' Discord; not yet started."""
    show = load_show(settings.show) if show is None else show
    point_discord_at(settings.discord_api_url, settings.discord_gateway_url)
    # The bot's session is for the web (news feeds): unless private networks are allowed, its resolver refuses
    # loopback/private/link-local addresses at connect time, so a DNS answer cannot change between check and use.
    connector = None if settings.feeds_allow_private_networks else aiohttp.TCPConnector(resolver=PublicOnlyResolver())
    async with (
        aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}, connector=connector) as session,
        await Database.open(settings.store, connections=settings.limits.database_connections) as database,
    ):
        bot = marquee_class(settings)(
            settings=settings,
            db=database,
            http_session=session,
            show=show,
            guild_ready_timeout=guild_ready_timeout,
            extensions=extensions,
        )
        async with bot:
            yield bot


@asynccontextmanager
async def running_bot(
    settings: Settings,
    *,
    show: Show | None = None,
    guild_ready_timeout: float = 2.0,
    extensions: list[str] | None = None,
) -> AsyncIterator[Marquee]:
    """A started Marquee, ready (logged in, commands synced, guilds received); closed cleanly on exit.

    ``extensions`` narrows the cogs loaded (all of ``cogs/`` by default), for tests of one feature.
    """
    if settings.token is None:
        raise ValueError("running_bot needs a token")
    async with built_bot(
        settings, show=show, guild_ready_timeout=guild_ready_timeout, extensions=extensions
    ) as bot:
        task = asyncio.create_task(bot.start(settings.token), name="marquee")
        ready = asyncio.create_task(bot.wait_until_ready())
        try:
            done, _ = await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                task.result()  # start() ended before ready: raise its error
                raise RuntimeError("Marquee stopped before it was ready")
            yield bot
        finally:
            ready.cancel()
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await task
