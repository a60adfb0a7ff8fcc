"""``FakeDiscord``: the local Discord a real discord.py client runs against, and the test-facing API.

``async with FakeDiscord() as fd`` binds REST and gateway on 127.0.0.1 (a free port), with a bot user
and application ready. A test builds its world in a line or two (``fd.add_guild``, ``fd.add_channel``,
``fd.add_user``...), points discord.py at ``fd.api_url`` / ``fd.gateway_url``, and then acts as Discord's
users would (``invoke``, ``autocomplete``, ``click``) and reads what they would see (``Reply``,
``messages``, ``pins``). Changes made after start are dispatched through the gateway so the bot's cache
matches the world.
"""

from __future__ import annotations

import base64
import fnmatch
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import discord
from aiohttp import web

from fakediscord import interactions as ix
from fakediscord import rules
from fakediscord.clock import Clock
from fakediscord.events import LedgerEntry, WorldEvents
from fakediscord.faults import Faults
from fakediscord.gateway import GatewayHub
from fakediscord.ratelimits import RateLimitConfig, RateLimiter
from fakediscord.routes.app import API_PREFIX, build_app
from fakediscord.routes.interactions import create_interaction_message
from fakediscord.routes.pipeline import RestApi
from fakediscord.world import (
    DEFAULT_BOT_PERMISSIONS,
    JSON,
    Channel,
    Guild,
    Member,
    Message,
    Overwrite,
    Pings,
    Role,
    User,
    World,
    as_bits,
    pings_of,
)

__all__ = ["MAX_PINS", "FakeDiscord", "InteractionHandle", "LedgerEntry", "Reply", "bot_token"]

log = logging.getLogger(__name__)

MAX_PINS = 50


@dataclass(frozen=True)
class Reply:
    """An interaction's answer as the invoking user sees it."""

    content: str
    embeds: list[JSON]
    ephemeral: bool
    components: list[JSON]
    deferred: bool
    message: Message | None
    followups: list[Message] = field(default_factory=list)
    response_type: int | None = None

    @classmethod
    def of(cls, message: Message, *, deferred: bool, followups: list[Message], response_type: int | None) -> Reply:
        return cls(
            content=message.content,
            embeds=list(message.embeds),
            ephemeral=message.ephemeral,
            components=list(message.components),
            deferred=deferred,
            message=message,
            followups=followups,
            response_type=response_type,
        )


class InteractionHandle:
    """What a test holds after ``invoke`` or ``click``: wait on it for the bot's answer."""

    def __init__(self, fd: FakeDiscord, interaction: ix.Interaction) -> None:
        self._fd = fd
        self.interaction = interaction

    @property
    def id(self) -> int:
        return self.interaction.id

    @property
    def token(self) -> str:
        return self.interaction.token

    def _followups(self) -> list[Message]:
        found = (self._fd.world.find_message(i) for i in self.interaction.followup_ids)
        return [m for m in found if m is not None and not m.deleted]

    async def acknowledged(self, timeout: float = 5.0) -> int:  # noqa: ASYNC109
        """Wait until the bot acknowledged the interaction; return the callback type it used."""
        inter = self.interaction
        return await self._fd.wait_until(lambda: inter.response_type, timeout, f"an answer to {inter.name!r}")

    async def response(self, timeout: float = 5.0) -> Reply:  # noqa: ASYNC109
        """Wait for the answer the user sees: a message, or a deferred one once it stops "thinking".

        A deferred update (type 6) counts once the clicked message has been edited; a bot that defers
        and never edits leaves nothing to see, so use ``acknowledged()`` to wait for the ack alone.
        """
        inter = self.interaction

        def settled() -> Reply | None:
            kind = inter.response_type
            if kind is None:
                return None
            msg = self._fd.world.find_message(inter.original_id or 0)
            if kind == ix.DEFERRED_UPDATE_MESSAGE and msg is not None and msg.edited_at == inter.source_edited_at:
                return None  # the clicked message has not been edited since the click
            if msg is None or msg.loading:
                return None
            deferred = kind in (ix.DEFERRED_CHANNEL_MESSAGE, ix.DEFERRED_UPDATE_MESSAGE)
            return Reply.of(msg, deferred=deferred, followups=self._followups(), response_type=kind)

        return await self._fd.wait_until(settled, timeout, f"a visible reply to {inter.name!r}")

    async def followups(self, n: int, timeout: float = 5.0) -> list[Reply]:  # noqa: ASYNC109
        """Wait until the bot sent at least ``n`` followup messages; return them in order."""

        def enough() -> list[Message] | None:
            found = self._followups()
            return found if len(found) >= n else None

        found = await self._fd.wait_until(enough, timeout, f"{n} followup(s) to {self.interaction.name!r}")
        kind = self.interaction.response_type
        return [Reply.of(m, deferred=False, followups=[], response_type=kind) for m in found]

    @property
    def modal(self) -> JSON | None:
        return self.interaction.modal


def bot_token(user_id: int) -> str:
    """A token shaped like Discord's (base64 user id, timestamp, HMAC), so the bot's own settings check,
    ``python -m bot invite`` and a bot started as a separate process all accept it as they would a real one."""
    head = base64.urlsafe_b64encode(str(user_id).encode()).decode().rstrip("=")
    return f"{head}.{secrets.token_urlsafe(4)}.{secrets.token_urlsafe(27)}"


class FakeDiscord:
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
        )
        self.rest = RestApi(self)
        self._runner: web.AppRunner | None = None
        self.port = 0
        # The world's events stay reachable as ``fd.<name>``, as tests and the user helpers use them.
        self.dispatch = self.events.dispatch
        self.notify = self.events.notify
        self.wait_until = self.events.wait_until
        self.create_message = self.events.create_message
        self.message_changed = self.events.message_changed
        self.pins_changed = self.events.pins_changed
        self.remove_message = self.events.remove_message

    # --- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
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

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

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

    # --- gateway plumbing -------------------------------------------------------------------------

    def _ready_data(self) -> JSON:
        return {
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "application": {"id": str(self.application_id), "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self._bot_guilds()],
        }

    def _guild_payloads(self) -> list[JSON]:
        return [g.create_payload() for g in self._bot_guilds()]

    def _bot_guilds(self) -> list[Guild]:
        return [g for g in self.world.guilds.values() if self.bot_user.id in g.members]

    # --- world builders ---------------------------------------------------------------------------

    def add_guild(self, name: str, *, bot_permissions: discord.Permissions | int = DEFAULT_BOT_PERMISSIONS) -> Guild:
        """A guild with @everyone, #general, the owner, and the bot holding its own managed role."""
        guild = self.world.new_guild(name, self.owner)
        self.world.new_channel(guild, "general")
        role = self.world.new_role(guild, self.bot_user.username, as_bits(bot_permissions), managed=True)
        guild.members[self.bot_user.id] = Member(self.bot_user, guild.id, roles=[role.id])
        self.dispatch("GUILD_CREATE", guild.create_payload())
        self.notify()
        return guild

    def general(self, guild: Guild) -> Channel:
        return guild.channel_named("general")

    def bot_role(self, guild: Guild) -> Role:
        return next(r for r in guild.roles.values() if r.managed and r.name == self.bot_user.username)

    def add_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        channel = self.world.new_channel(guild, name, topic=topic)
        self.dispatch("CHANNEL_CREATE", channel.payload())
        return channel

    def add_user(self, username: str, *, bot: bool = False) -> User:
        return self.world.new_user(username, bot=bot)

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

    def post(self, channel: Channel, user: User, content: str) -> Message:
        """A user writes a message in a channel (the bot gets MESSAGE_CREATE)."""
        return self.create_message(channel, user, content=content)

    def delete_message(self, channel: Channel, message_id: int) -> None:
        """A moderator deletes a message; the bot gets MESSAGE_DELETE."""
        msg = channel.messages.get(message_id)
        if msg is None:
            raise KeyError(f"no message {message_id} in #{channel.name}")
        self.remove_message(channel, msg)

    def messages(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
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

    # --- acting as users --------------------------------------------------------------------------

    def _new_interaction(
        self,
        kind: int,
        *,
        user: User,
        in_channel: Channel,
        data: JSON,
        name: str,
        locale: str,
        message: Message | None = None,
    ) -> ix.Interaction:
        guild = in_channel.guild
        member = self.world.member(guild, user)
        bot_member = self.world.member(guild, self.bot_user)
        interaction_id = self.world.ids.next()
        token = ix.new_token()
        payload = ix.interaction_payload(
            interaction_id,
            token,
            kind,
            application_id=self.application_id,
            guild=guild,
            channel=in_channel,
            member=member,
            bot_member=bot_member,
            data=data,
            locale=locale,
            message=self.world.message_payload(message) if message is not None else None,
        )
        interaction = ix.Interaction(
            id=interaction_id,
            token=token,
            type=kind,
            guild=guild,
            channel=in_channel,
            user=user,
            created=self.clock.now(),
            payload=payload,
            name=name,
            source_message_id=message.id if message is not None else None,
            source_edited_at=message.edited_at if message is not None else None,
        )
        self.interactions[interaction_id] = interaction
        self.interactions_by_token[token] = interaction
        self.dispatch("INTERACTION_CREATE", payload)
        return interaction

    def _command_data(
        self, command: str, user: User, in_channel: Channel, values: dict[str, Any], focused: str | None
    ) -> tuple[JSON, str]:
        name, *path = command.strip().lstrip("/").split()
        guild = in_channel.guild
        stored = self.commands.find(guild.id, name)
        if stored is None:
            raise ix.InvocationError(
                f"/{name} is not a synced command in {guild.name}; synced: {self.commands.names(guild.id)}"
            )
        member = self.world.member(guild, user)
        if not ix.can_see(stored, guild, member):
            raise ix.InvocationError(f"{user.username} cannot see /{name} (default_member_permissions)")
        options, resolved = ix.build_options(
            stored, path, values, guild=guild, member=member, channel=in_channel, focused=focused
        )
        data: JSON = {"id": stored["id"], "name": name, "type": rules.CHAT_INPUT, "guild_id": str(guild.id)}
        if options:
            data["options"] = options
        if resolved:
            data["resolved"] = resolved
        return data, " ".join([name, *path])

    async def invoke(
        self,
        command: str,
        *,
        user: User,
        in_channel: Channel,
        options: dict[str, Any] | None = None,
        locale: str = "en-US",
        **option_values: Any,
    ) -> InteractionHandle:
        """A user runs a slash command (``"feeds add"`` for a subcommand) in ``in_channel``.

        Options come as keyword arguments, or as ``options={...}`` for names that clash with this
        method's own parameters (``user``, ``options``, ``locale``, ``in_channel``).
        """
        values = {**option_values, **(options or {})}
        data, name = self._command_data(command, user, in_channel, values, None)
        interaction = self._new_interaction(
            ix.APPLICATION_COMMAND, user=user, in_channel=in_channel, data=data, name=name, locale=locale
        )
        return InteractionHandle(self, interaction)

    async def autocomplete(
        self,
        command: str,
        option: str,
        typed: str,
        *,
        user: User,
        in_channel: Channel,
        options: dict[str, Any] | None = None,
        locale: str = "en-US",
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[JSON]:
        """A user types ``typed`` into ``option``; return the choices the bot offered."""
        values = {**(options or {}), option: typed}
        data, name = self._command_data(command, user, in_channel, values, option)
        interaction = self._new_interaction(
            ix.AUTOCOMPLETE, user=user, in_channel=in_channel, data=data, name=name, locale=locale
        )
        return await self.wait_until(lambda: interaction.choices, timeout, f"autocomplete choices for {name!r}")

    async def submit_modal(
        self, shown: InteractionHandle, values: dict[str, str], *, locale: str = "en-US"
    ) -> InteractionHandle:
        """The user who was shown a modal fills its fields with ``values`` and submits it."""
        modal = shown.interaction.modal
        if modal is None:
            raise ix.InvocationError(f"{shown.interaction.name!r} was not answered with a modal")
        data: JSON = {"custom_id": modal.get("custom_id"), "components": ix.modal_answers(modal, values)}
        source = self.world.find_message(shown.interaction.source_message_id or 0)
        interaction = self._new_interaction(
            ix.MODAL_SUBMIT,
            user=shown.interaction.user,
            in_channel=shown.interaction.channel,
            data=data,
            name=str(modal.get("custom_id", "")),
            locale=locale,
            message=source,
        )
        return InteractionHandle(self, interaction)

    async def click(self, message: Message, custom_id: str, *, user: User, locale: str = "en-US") -> InteractionHandle:
        """A user clicks a button on ``message``."""
        component = ix.find_component(message, custom_id)
        channel = self.world.channels[message.channel_id]
        data: JSON = {"custom_id": custom_id, "component_type": component.get("type", 2)}
        interaction = self._new_interaction(
            ix.MESSAGE_COMPONENT,
            user=user,
            in_channel=channel,
            data=data,
            name=custom_id,
            locale=locale,
            message=message,
        )
        return InteractionHandle(self, interaction)
