"""The ``Bot`` subclass: the services every cog reaches, and the start-up order (extensions, then sync)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

import db.meta
from bot import USER_AGENT
from bot.cluster import Cluster
from bot.countdown.service import CountdownService
from bot.extensions import walk_extensions
from bot.feeds.fetch import Fetcher
from bot.feeds.service import FeedService
from bot.housekeeping.service import HousekeepingService
from bot.node import Node
from bot.services import Services
from bot.settings import Settings
from bot.shards import IdentifyPacer, describe
from bot.show import Show
from bot.show.search import ShowIndex
from bot.translations import MarqueeTranslator
from bot.tree import MarqueeTree
from cogs._places import SERVER_INSTALL, SERVER_ONLY
from db import Database

log = logging.getLogger(__name__)

GLOBAL_SYNC_KEY = "global_commands_sha256"


def intents() -> discord.Intents:
    """Guilds, and scheduled events (to hear that someone deleted the premiere event): slash commands arrive as
    interactions, so Marquee needs no privileged intent."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_scheduled_events = True
    return wanted


def build_services(
    settings: Settings,
    database: Database,
    session: aiohttp.ClientSession,
    show: Show,
    *,
    connected: Callable[[], Sequence[int]] = tuple,
) -> Services:
    """Every feature service, sharing start-up's database and HTTP session, and this process's place in the
    cluster (``connected`` tells it which shards' sessions are open).

    The session already refuses private addresses unless they are allowed (start-up's resolver); the fetcher
    checks each redirect hop the same way.
    """
    node = Node.for_this_process(timedelta(seconds=settings.limits.lease_seconds))
    cluster = Cluster(database, node, shards=settings.shards, connected=connected)
    allow_private = settings.feeds_allow_private_networks
    fetcher = Fetcher(session, allow_private=allow_private, user_agent=USER_AGENT)
    feeds = FeedService(
        database,
        fetcher,
        interval=timedelta(seconds=settings.feed_poll_interval),
        allow_private=allow_private,
        limits=settings.limits,
        # One Node per process: the id its leases carry is the one its cluster row and `python -m bot status` show.
        node=node,
        members=cluster.live_members,
        shards=settings.shards,
    )
    countdown = CountdownService(database, show, limits=settings.limits, node=node, shards=settings.shards)
    return Services(
        show=show,
        show_index=ShowIndex(show),
        feeds=feeds,
        countdown=countdown,
        housekeeping=HousekeepingService(
            database,
            limits=settings.limits,
            woken=(feeds.outbox_changed.set, countdown.changed.set),
            shards=settings.shards,
            leader=cluster.is_leader,
            chores=(feeds.prune_once,),
        ),
        cluster=cluster,
    )


class Marquee(commands.Bot):
    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        http_session: aiohttp.ClientSession,
        show: Show,
        extensions: list[str] | None = None,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        gateway: dict[str, Any] = {}
        if settings.shards is not None:
            if not isinstance(self, commands.AutoShardedBot):
                raise TypeError("a Marquee with SHARD_COUNT set is built by marquee_class(settings)")
            gateway = {"shard_ids": list(settings.shards.ids), "shard_count": settings.shards.count}
        super().__init__(
            guild_ready_timeout=guild_ready_timeout,
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=MarqueeTree,
            # Every command is for servers that added Marquee unless it says otherwise (cogs/_places.py).
            allowed_contexts=SERVER_ONLY,
            allowed_installs=SERVER_INSTALL,
            # Marquee reads no message events and looks nothing up in discord.py's message cache, so keeping the
            # last 1,000 messages (the default) would only hold memory.
            max_messages=None,
            **gateway,
        )
        self.settings = settings
        self.identify_pacer = IdentifyPacer()
        self.db = db
        self.http_session = http_session
        self.show = show
        self.services = build_services(settings, db, http_session, show, connected=self.connected_shards)
        self.extension_names = walk_extensions() if extensions is None else extensions
        # "guild", "global", "unchanged" or "leader's" (another process leads and syncs), for logs and tests
        self.synced: str | None = None

    async def setup_hook(self) -> None:
        """Join the cluster first: whether this process leads decides whether it syncs the commands."""
        cluster = self.services.cluster
        await cluster.start()
        await self.tree.set_translator(MarqueeTranslator())
        for name in self.extension_names:
            await self.load_extension(name)
        log.info("Loaded %d extensions", len(self.extension_names))
        await self.sync_commands()
        # A process that becomes the leader later (the old one died or stopped) syncs then: a new version's
        # commands reach Discord even when the process that last synced is gone.
        cluster.on_lead = self.sync_commands

    async def close(self) -> None:
        """Close the gateway and unload the cogs, then leave the cluster, so the others stop counting this process
        and one of them takes the lead at once."""
        try:
            await super().close()
        finally:
            await self.services.cluster.stop()

    def connected_shards(self) -> list[int]:
        """The shards whose gateway session is open now (0 for an unsharded one), for the cluster's status."""
        if isinstance(self, commands.AutoShardedBot):
            return sorted(shard for shard, info in self.shards.items() if not _shard_closed(info))
        return [0] if self.ws is not None and self.ws.open else []

    async def connect(self, *, reconnect: bool = True) -> None:
        """Say which shards this process runs, and learn how many may identify at once, before connecting."""
        log.info("Connecting %s", describe(self.settings.shards))
        if self.settings.shards is not None:
            await self._learn_session_start_limit(self.settings.shards.ids)
        await super().connect(reconnect=reconnect)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Sharded, identify as fast as Discord's ``max_concurrency`` allows; unsharded, discord.py's 5 s pause."""
        if self.settings.shards is None:
            await super().before_identify_hook(shard_id, initial=initial)
        else:
            await self.identify_pacer.wait(shard_id or 0)

    async def _learn_session_start_limit(self, shard_ids: tuple[int, ...]) -> None:
        """``GET /gateway/bot``: the identify buckets, and a warning when Discord would refuse the shards.

        discord.py reads it only when it chooses the shard count itself; with ``SHARD_COUNT`` set it does not.
        """
        try:
            recommended, _, limit = await self.http.get_bot_gateway()
        except discord.GatewayNotFound:
            log.warning("Could not read the session start limit; identifying one shard per 5 seconds")
            return
        self.identify_pacer = IdentifyPacer(limit["max_concurrency"])
        log.info(
            "GET /gateway/bot: %d shards recommended, %d session starts left, max_concurrency %d",
            recommended,
            limit["remaining"],
            limit["max_concurrency"],
        )
        if limit["remaining"] < len(shard_ids):
            log.warning(
                "Only %d session starts are left for %d shards; Discord resets the token of a bot that uses them up",
                limit["remaining"],
                len(shard_ids),
            )

    async def sync_commands(self) -> None:
        """Sync to the development guild when one is set; globally only when the command set changed.

        Global syncs are rate-limited hard by Discord and take a while to reach every client, so a restart with
        the same commands must not trigger one. In a cluster only the leader syncs: the processes share one
        application, so one sync serves them all.
        """
        if not self.services.cluster.is_leader():
            self.synced = "leader's"
            log.info("Command sync left to the leader")
            return
        dev_guild = self.settings.dev_guild_id
        if dev_guild is not None:
            guild = discord.Object(id=dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            self.synced = "guild"
            log.info("Synced %d commands to development guild %s", len(synced), dev_guild)
            return
        digest = await command_payload_digest(self.tree)
        if await db.meta.get(self.db, GLOBAL_SYNC_KEY) == digest:
            self.synced = "unchanged"
            log.info("Global commands unchanged since the last sync; not syncing")
            return
        synced = await self.tree.sync()
        await db.meta.put(self.db, GLOBAL_SYNC_KEY, digest)
        self.synced = "global"
        log.info("Synced %d global commands", len(synced))


class ShardedMarquee(Marquee, commands.AutoShardedBot):
    """Marquee on discord.py's AutoShardedBot, connecting the shards ``SHARD_COUNT``/``SHARD_IDS`` name.

    A subclass with no body: everything Marquee does is the same, only the connection is a set of shards instead
    of one session, so a single-server install keeps ``commands.Bot`` exactly as before.
    """


def _shard_closed(info: discord.ShardInfo) -> bool:
    try:
        return info.is_closed()
    except AttributeError:  # the shard's socket is not there yet
        return True


def marquee_class(settings: Settings) -> type[Marquee]:
    """The Marquee for these settings: sharded when ``SHARD_COUNT`` is set, the plain one otherwise."""
    return Marquee if settings.shards is None else ShardedMarquee


async def command_payload_digest(tree: app_commands.CommandTree[Any]) -> str:
    """A hash of exactly what ``tree.sync()`` would send, translations included."""
    translator = tree.translator
    payload: list[dict[str, Any]] = []
    for command in tree.get_commands():
        if translator is not None:
            payload.append(await command.get_translated_payload(tree, translator))
        else:
            payload.append(command.to_dict(tree))
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()
