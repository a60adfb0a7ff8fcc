"""The one place the benchmarks reach into Marquee's feed internals (beyond starting the bot and ``db.feeds``).

Everything in ``bench/`` that needs the feed watcher's rules, its poll cycle or the outbox sender gets them from
here, so when they move (the watcher's rules are moving into ``bot.feeds.service.FeedService``) this module is
the only one to change. Inside a running bot, ``feeds_of(bot)`` is what polls and sends.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

import aiohttp

from bot.feeds.fetch import Fetcher
from bot.feeds.parse import FeedParser
from bot.feeds.sender import GLOBAL_GAP
from bot.feeds.watcher import FeedWatcher, Router, delivery_nonce_for, to_new_item

if TYPE_CHECKING:
    from discord.ext.commands import Bot

    from db import Database

__all__ = ["GLOBAL_GAP", "FeedWatcher", "Feeds", "Router", "delivery_nonce_for", "feeds_of", "to_new_item", "watcher"]


class Outcome(Protocol):
    """What the benchmarks read of one feed's poll."""

    @property
    def status(self) -> object: ...

    @property
    def queued(self) -> int: ...


class Feeds(Protocol):
    """The part of a running bot that polls its feeds and sends their news."""

    async def poll_once(self, *, everything: bool = False) -> Sequence[Outcome]: ...

    async def send_due(self) -> int: ...


def feeds_of(bot: Bot) -> Feeds:
    """The running bot's feeds: the ``FeedCommands`` cog's ``poll_once(everything=...)`` and ``send_due()``."""
    from cogs.feeds._cog import FeedCommands

    cog = bot.get_cog("FeedCommands")
    assert isinstance(cog, FeedCommands)
    return cog


@contextlib.asynccontextmanager
async def watcher(database: Database) -> AsyncIterator[FeedWatcher]:
    """A feed watcher on ``database`` as ``/feeds add`` uses it (``preview``, ``subscribe``), loopback allowed."""
    async with aiohttp.ClientSession() as session, FeedParser(workers=1) as parser:
        fetcher = Fetcher(session, allow_private=True, user_agent="MarqueeBench")
        yield FeedWatcher(database, fetcher, parser, interval=timedelta(minutes=10))
