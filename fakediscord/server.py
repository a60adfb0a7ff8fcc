"""``FakeDiscord``: the local Discord a real discord.py client runs against, and the test-facing API.

``async with FakeDiscord() as fd`` binds REST and gateway on 127.0.0.1 (a free port), with a bot user
and application ready. A test builds its world in a line or two (``fd.add_guild``, ``fd.add_channel``,
``fd.add_user``...), points discord.py at ``fd.api_url`` / ``fd.gateway_url``, and then acts as Discord's
users would (``invoke``, ``autocomplete``, ``click``: see ``fakediscord.users``) and reads what they
would see (``Reply``, ``messages``, ``pins``). Changes made after start are dispatched through the
gateway so the bot's cache matches the world.
"""

from __future__ import annotations

import base64
import fnmatch
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime

import discord
from aiohttp import web

from fakediscord import exchanges
from fakediscord import interactions as ix
from fakediscord.clock import Clock
from fakediscord.events import LedgerEntry, WorldEvents
from fakediscord.faults import Faults
from fakediscord.gateway import GatewayHub
from fakediscord.ratelimits import RateLimitConfig, RateLimiter
from fakediscord.routes.app import API_PREFIX, build_app
from fakediscord.routes.interactions import create_interaction_message
from fakediscord.routes.pipeline import RestApi
from fakediscord.running import Running
from fakediscord.scheduled_events import ScheduledEvent, add_event, events_of
from fakediscord.threads import (
    PUBLIC_THREAD,
    Forum,
    Thread,
    active_threads,
    new_forum,
    open_thread,
    post_starter,
    set_archived,
    threads_of,
)
from fakediscord.users import InteractionHandle, Reply, Users
from fakediscord.world import (
    DEFAULT_BOT_PERMISSIONS,
    DM,
    GROUP_DM,
    JSON,
    Channel,
    Guild,
    Member,
    Message,
    Overwrite,
    Pings,
    PrivateChannel,
    Role,
    User,
    World,
    as_bits,
    pings_of,
)

__all__ = ["MAX_PINS", "FakeDiscord", "InteractionHandle", "LedgerEntry", "Reply", "bot_token"]

log = logging.getLogger(__name__)

MAX_PINS = 50


def bot_token(user_id: int) -> str:
    """A token shaped like Discord's (base64 user id, timestamp, HMAC), so the bot's own settings check,
    ``python -m bot invite`` and a bot started as a separate process all accept it as they would a real one."""
    head = base64.urlsafe_b64encode(str(user_id).encode()).decode().rstrip("=")
    return f"{head}.{secrets.token_urlsafe(4)}.{secrets.token_urlsafe(27)}"


class FakeDiscord(Running):
    """One local Discord with one bot application; see the module docstring.

    Knobs a test may turn: ``clock`` (``advance`` it to cross deadlines), ``interaction_deadline``
    (3.0 s), ``max_pins`` (50), ``ratelimits.config`` (limits, or ``enabled = False``), ``faults``, and the
    gateway's own faults on ``hub`` (``close``, ``drop``, ``reconnect``, ``invalidate``, heartbeat acks).
    """

    def __init__(
        self,
        *,
        bot_name: str = "Marquee",
        ratelimits: RateLimitConfig | None = None,
        heartbeat_interval: float = 41.25,
        clock: Clock | None = None,
    ) -> None:
        self.world = World()
        self.clock = clock or Clock()
        self.faults = Faults()
        self.ratelimits = RateLimiter(self.clock, ratelimits)
        self.events = WorldEvents(self.world, self.clock)
        self.bot_user = self.world.new_user(bot_name, bot=True)
        self.owner = self.world.new_user("server-owner")
        self.application_id = self.bot_user.id
        self.token = bot_token(self.bot_user.id)
        self.bots: dict[str, User] = {self.token: self.bot_user}
        self.commands = ix.CommandStore(self.world, self.application_id)
        self.interactions: dict[int, ix.Interaction] = {}
        self.interactions_by_token: dict[str, ix.Interaction] = {}
        self.interaction_deadline = 3.0
        self.max_pins = MAX_PINS
        self.hub = GatewayHub(
            token=self.token,
            ready_data=self._ready_data,
            guild_payloads=self._guild_payloads,
            heartbeat_interval=heartbeat_interval,
            session_starts=self.ratelimits.session_starts,
        )
        self.rest = RestApi(self)
        self.users = Users(self)
        self._runner: web.AppRunner | None = None
        self.port = 0
        # The world's events and the users' actions stay reachable as ``fd.<name>``, as tests use them.
        self.dispatch = self.events.dispatch
        self.notify = self.events.notify
        self.wait_until = self.events.wait_until
        self.create_message = self.events.create_message
        self.message_changed = self.events.message_changed
        self.pins_changed = self.events.pins_changed
        self.remove_message = self.events.remove_message
        self.post = self.users.post
        self.delete_message = self.users.delete_message
        self.invoke = self.users.invoke
        self.autocomplete = self.users.autocomplete
        self.submit_modal = self.users.submit_modal
        self.click = self.users.click

    # --- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
        exchanges.log_to_directory_if_asked()
        app = build_app(self.rest.handle, self.hub.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        self.events.sink = self.hub.dispatch
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]
        self.hub.public_url = self.gateway_url
        log.info("fakediscord listening on %s", self.api_url)

    async def close(self) -> None:
        await self.hub.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self.events.sink = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def started(self) -> bool:
        return self._runner is not None

    async def wait_ready(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Until the bot has identified and received READY and its guilds."""
        await self.hub.wait_ready(timeout)

    def add_application(self, bot_name: str) -> str:
        """Another bot application on this Discord; returns its token, which REST accepts with its own
        global budget. Routes still answer as the first bot, and the gateway serves the first token only."""
        user = self.world.new_user(bot_name, bot=True)
        token = bot_token(user.id)
        self.bots[token] = user
        return token

    # --- gateway plumbing -------------------------------------------------------------------------

    def _ready_data(self) -> JSON:
        return {
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "locale": "en-US"},
            "application": {"id": str(self.application_id), "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self._bot_guilds()],
        }

    def _guild_payloads(self) -> list[JSON]:
        return [self._guild_create(g) for g in self._bot_guilds()]

    def _guild_create(self, guild: Guild) -> JSON:
        """GUILD_CREATE with the guild's active threads and scheduled events, as Discord sends them at connect."""
        return {
            **guild.create_payload(),
            "threads": [t.payload() for t in active_threads(self.world, guild)],
            "guild_scheduled_events": [e.payload() for e in events_of(self.world, guild)],
        }

    def _bot_guilds(self) -> list[Guild]:
        return [g for g in self.world.guilds.values() if self.bot_user.id in g.members]

    # --- world builders ---------------------------------------------------------------------------

    def add_guild(self, name: str, *, bot_permissions: discord.Permissions | int = DEFAULT_BOT_PERMISSIONS) -> Guild:
        """A guild with @everyone, #general, the owner, and the bot holding its own managed role."""
        guild = self.world.new_guild(name, self.owner)
        self.world.new_channel(guild, "general")
        self.invite_bot(guild, bot_permissions=bot_permissions)
        return guild

    def invite_bot(self, guild: Guild, *, bot_permissions: discord.Permissions | int = DEFAULT_BOT_PERMISSIONS) -> None:
        """The bot joins the guild (again): its own managed role, then GUILD_CREATE as for any guild joined,
        without the ``unavailable`` field Discord sets only for a guild loaded at connect or back from an outage."""
        role = self.world.new_role(guild, self.bot_user.username, as_bits(bot_permissions), managed=True)
        guild.members[self.bot_user.id] = Member(self.bot_user, guild.id, roles=[role.id])
        joined = guild.create_payload()
        del joined["unavailable"]
        self.dispatch("GUILD_CREATE", joined)
        self.notify()

    def remove_bot(self, guild: Guild) -> None:
        """A moderator kicks the bot: its managed role goes with it, and the bot gets GUILD_DELETE without
        ``unavailable`` (Discord's sign that it was removed); from then on the guild's channels answer it 403."""
        guild.members.pop(self.bot_user.id, None)
        for role in [r for r in guild.roles.values() if r.managed and r.name == self.bot_user.username]:
            del guild.roles[role.id]
        self.dispatch("GUILD_DELETE", {"id": str(guild.id)})
        self.notify()

    def outage(self, guild: Guild) -> None:
        """The guild becomes unavailable (a Discord outage): GUILD_DELETE with ``unavailable: true``; the bot
        stays a member."""
        self.dispatch("GUILD_DELETE", {"id": str(guild.id), "unavailable": True})
        self.notify()

    def outage_over(self, guild: Guild) -> None:
        """The unavailable guild is back: GUILD_CREATE, as Discord sends it."""
        self.dispatch("GUILD_CREATE", guild.create_payload())
        self.notify()

    def general(self, guild: Guild) -> Channel:
        return guild.channel_named("general")

    def bot_role(self, guild: Guild) -> Role:
        return next(r for r in guild.roles.values() if r.managed and r.name == self.bot_user.username)

    def add_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        channel = self.world.new_channel(guild, name, topic=topic)
        self.dispatch("CHANNEL_CREATE", channel.payload())
        return channel

    def delete_channel(self, channel: Channel) -> None:
        """A moderator deletes the channel: it and its messages are gone, and the bot gets CHANNEL_DELETE."""
        channel.guild.channels.pop(channel.id, None)
        self.world.channels.pop(channel.id, None)
        self.dispatch("CHANNEL_DELETE", channel.payload())
        self.notify()

    def add_forum(self, guild: Guild, name: str, *, tags: Iterable[str] = (), require_tag: bool = False) -> Forum:
        """A forum channel (type 15) with the named tags (``forum.tag_named``), optionally requiring one."""
        forum = new_forum(self.world, guild, name, tags=tuple(tags), require_tag=require_tag)
        self.dispatch("CHANNEL_CREATE", forum.payload())
        self.notify()
        return forum

    def add_thread(
        self,
        parent: Channel,
        name: str,
        *,
        owner: User | None = None,
        starter: Message | None = None,
        content: str = "",
    ) -> Thread:
        """A member opens a thread: on ``starter`` (a message in ``parent``), or, in a forum, a post whose first
        message is ``content``. The bot gets THREAD_CREATE (and MESSAGE_CREATE for a forum post's message)."""
        author = owner or self.owner
        thread_id = starter.id if starter is not None else None
        thread = open_thread(
            self.world, self.events, parent, author, name=name, kind=PUBLIC_THREAD, thread_id=thread_id
        )
        if isinstance(parent, Forum):
            post_starter(self.world, self.events, thread, author, content=content)
        return thread

    def threads(self, channel: Channel) -> list[Thread]:
        """Threads (forum posts too) under a text or forum channel, oldest first."""
        return threads_of(self.world, channel)

    def archive(self, thread: Thread, *, locked: bool = False) -> None:
        """A moderator (or inactivity) archives the thread; the bot gets THREAD_UPDATE."""
        set_archived(self.events, thread, True, locked=locked)

    def add_scheduled_event(
        self, guild: Guild, name: str, *, start: datetime, end: datetime, location: str, creator: User | None = None
    ) -> ScheduledEvent:
        """A member schedules an external event; the bot gets GUILD_SCHEDULED_EVENT_CREATE."""
        event = ScheduledEvent(self.world.ids.next(), guild, creator or self.owner, name, start, end, location=location)
        add_event(self.world, event)
        self.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event.payload())
        self.notify()
        return event

    def scheduled_events(self, guild: Guild) -> list[ScheduledEvent]:
        """The guild's scheduled events, in the order they were created (deleted ones are gone)."""
        return events_of(self.world, guild)

    def add_user(self, username: str, *, bot: bool = False) -> User:
        return self.world.new_user(username, bot=bot)

    def dm(self, user: User) -> PrivateChannel:
        """The bot's DM with ``user`` (context 1 for a command used there), opened on first use."""
        for channel in self.world.private_channels.values():
            if channel.type == DM and channel.bot_present and channel.recipients == [user]:
                return channel
        return self.world.new_private_channel(DM, [user], bot_present=True)

    def group_dm(self, owner: User, *others: User, name: str = "group") -> PrivateChannel:
        """A group DM of people, without the bot (context 2): they reach Marquee only through their own install."""
        return self.world.new_private_channel(GROUP_DM, [owner, *others], name=name)

    def add_member(self, guild: Guild, user: User, *, roles: Iterable[Role] = ()) -> Member:
        member = Member(user, guild.id, roles=[r.id for r in roles])
        guild.members[user.id] = member
        self.dispatch("GUILD_MEMBER_ADD", {**member.payload(), "guild_id": str(guild.id)})
        return member

    def add_role(
        self, guild: Guild, name: str, *, permissions: discord.Permissions | int = 0, mentionable: bool = False
    ) -> Role:
        role = self.world.new_role(guild, name, as_bits(permissions))
        role.mentionable = mentionable
        self.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()})
        return role

    def edit_role(self, role: Role, *, permissions: discord.Permissions | int) -> None:
        role.permissions = as_bits(permissions)
        self.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(role.guild_id), "role": role.payload()})

    def set_overwrite(
        self,
        channel: Channel,
        target: Role | Member | User,
        *,
        allow: discord.Permissions | int = 0,
        deny: discord.Permissions | int = 0,
    ) -> None:
        """Set (replace) a channel overwrite for a role or a member, as a moderator would."""
        if isinstance(target, Role):
            target_id, kind = target.id, 0
        else:
            target_id, kind = (target.user.id if isinstance(target, Member) else target.id), 1
        channel.overwrites[target_id] = Overwrite(target_id, kind, as_bits(allow), as_bits(deny))
        self.dispatch("CHANNEL_UPDATE", channel.payload())

    # --- messages ---------------------------------------------------------------------------------

    def create_interaction_message(
        self, interaction: ix.Interaction, data: JSON, attachments: list[JSON], *, flags: int, followup: bool = False
    ) -> Message:
        return create_interaction_message(self, interaction, data, attachments, flags=flags, followup=followup)

    def messages(self, channel: Channel | PrivateChannel, *, include_ephemeral: bool = False) -> list[Message]:
        """The channel's messages, oldest first, as everyone sees them (ephemeral ones only on request)."""
        return [m for m in channel.messages.values() if include_ephemeral or not m.ephemeral]

    def pins(self, channel: Channel) -> list[Message]:
        """Pinned messages, in the order they were pinned (oldest pin first)."""
        ordered = sorted(channel.pins.items(), key=lambda p: p[1])
        return [channel.messages[mid] for mid, _ in ordered if mid in channel.messages]

    async def wait_for_messages(self, channel: Channel, count: int, timeout: float = 5.0) -> list[Message]:  # noqa: ASYNC109
        """Wait until the channel shows at least ``count`` messages; return them, oldest first."""

        def enough() -> list[Message] | None:
            found = self.messages(channel)
            return found if len(found) >= count else None

        return await self.wait_until(enough, timeout, f"{count} message(s) in #{channel.name}")

    def pings(self, message: Message) -> Pings:
        """Who the message notified once ``allowed_mentions`` is applied (absent means parse all)."""
        return pings_of(message)

    @property
    def ledger(self) -> list[LedgerEntry]:
        return self.events.ledger

    def requests(self, method: str | None = None, path_glob: str | None = None) -> list[LedgerEntry]:
        """Ledger entries, optionally only those matching a method and a path glob."""
        return [
            e
            for e in self.ledger
            if (method is None or e.method == method.upper())
            and (path_glob is None or fnmatch.fnmatchcase(e.path, path_glob))
        ]
