"""Acting as Discord's people: running commands, typing into autocomplete, clicking, posting.

Each action builds what a Discord client would send (and refuses what one would refuse), then hands
the test an ``InteractionHandle`` to wait on; ``Reply`` is what the user ends up seeing. Kept apart from
the server so a test's vocabulary can grow without touching sockets or the world builders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakediscord import contexts, rules
from fakediscord import interactions as ix
from fakediscord.backend import Backend
from fakediscord.events import WorldEvents
from fakediscord.world import JSON, Channel, Message, PrivateChannel, User, World

Place = Channel | PrivateChannel
"""Where a person acts: a server's channel, or (with the app installed to their account) a DM or group DM."""


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

    def __init__(self, world: World, events: WorldEvents, interaction: ix.Interaction) -> None:
        self._world = world
        self._events = events
        self.interaction = interaction

    @property
    def id(self) -> int:
        return self.interaction.id

    @property
    def token(self) -> str:
        return self.interaction.token

    def _followups(self) -> list[Message]:
        found = (self._world.find_message(i) for i in self.interaction.followup_ids)
        return [m for m in found if m is not None and not m.deleted]

    async def acknowledged(self, timeout: float = 5.0) -> int:  # noqa: ASYNC109
        """Wait until the bot acknowledged the interaction; return the callback type it used."""
        inter = self.interaction
        return await self._events.wait_until(lambda: inter.response_type, timeout, f"an answer to {inter.name!r}")

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
            msg = self._world.find_message(inter.original_id or 0)
            if kind == ix.DEFERRED_UPDATE_MESSAGE and msg is not None and msg.edited_at == inter.source_edited_at:
                return None  # the clicked message has not been edited since the click
            if msg is None or msg.loading:
                return None
            deferred = kind in (ix.DEFERRED_CHANNEL_MESSAGE, ix.DEFERRED_UPDATE_MESSAGE)
            return Reply.of(msg, deferred=deferred, followups=self._followups(), response_type=kind)

        return await self._events.wait_until(settled, timeout, f"a visible reply to {inter.name!r}")

    async def followups(self, n: int, timeout: float = 5.0) -> list[Reply]:  # noqa: ASYNC109
        """Wait until the bot sent at least ``n`` followup messages; return them in order."""

        def enough() -> list[Message] | None:
            found = self._followups()
            return found if len(found) >= n else None

        found = await self._events.wait_until(enough, timeout, f"{n} followup(s) to {self.interaction.name!r}")
        kind = self.interaction.response_type
        return [Reply.of(m, deferred=False, followups=[], response_type=kind) for m in found]

    @property
    def modal(self) -> JSON | None:
        return self.interaction.modal


class Users:
    """Every way a test acts as a person in the fake's guilds; ``FakeDiscord`` forwards to these."""

    def __init__(self, fd: Backend) -> None:
        self.fd = fd
        self.world = fd.world

    def post(self, channel: Channel, user: User, content: str) -> Message:
        """A user writes a message in a channel (the bot gets MESSAGE_CREATE)."""
        return self.fd.events.create_message(channel, user, content=content)

    def delete_message(self, channel: Channel, message_id: int) -> None:
        """A moderator deletes a message; the bot gets MESSAGE_DELETE."""
        msg = channel.messages.get(message_id)
        if msg is None:
            raise KeyError(f"no message {message_id} in #{channel.name}")
        self.fd.events.remove_message(channel, msg)

    def _handle(self, interaction: ix.Interaction) -> InteractionHandle:
        return InteractionHandle(self.world, self.fd.events, interaction)

    def _new_interaction(
        self,
        kind: int,
        *,
        user: User,
        in_channel: Place,
        data: JSON,
        name: str,
        locale: str,
        message: Message | None = None,
    ) -> ix.Interaction:
        fd = self.fd
        interaction_id = self.world.ids.next()
        token = ix.new_token()
        source = self.world.rest_message_payload(message) if message is not None else None
        if isinstance(in_channel, PrivateChannel):
            guild = None
            payload = contexts.private_interaction_payload(
                interaction_id,
                token,
                kind,
                application_id=fd.application_id,
                channel=in_channel,
                user=user,
                data=data,
                locale=locale,
                message=source,
            )
        else:
            guild = in_channel.guild
            payload = ix.interaction_payload(
                interaction_id,
                token,
                kind,
                application_id=fd.application_id,
                guild=guild,
                channel=in_channel,
                member=self.world.member(guild, user),
                bot_member=self.world.member(guild, fd.bot_user),
                data=data,
                locale=locale,
                message=source,
            )
        interaction = ix.Interaction(
            id=interaction_id,
            token=token,
            type=kind,
            guild=guild,
            channel=in_channel,
            user=user,
            created=fd.clock.now(),
            payload=payload,
            name=name,
            source_message_id=message.id if message is not None else None,
            source_edited_at=message.edited_at if message is not None else None,
        )
        fd.interactions[interaction_id] = interaction
        fd.interactions_by_token[token] = interaction
        fd.events.dispatch("INTERACTION_CREATE", payload)
        return interaction

    def _command_data(
        self, command: str, user: User, in_channel: Place, values: dict[str, Any], focused: str | None
    ) -> tuple[JSON, str]:
        name, *path = command.strip().lstrip("/").split()
        if isinstance(in_channel, PrivateChannel):
            return self._private_command_data(name, path, in_channel, values, focused)
        guild = in_channel.guild
        stored = self.fd.commands.find(guild.id, name)
        if stored is None:
            raise ix.InvocationError(
                f"/{name} is not a synced command in {guild.name}; synced: {self.fd.commands.names(guild.id)}"
            )
        contexts.check_offered(stored, contexts.GUILD, contexts.GUILD_INSTALL)
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

    def _private_command_data(
        self, name: str, path: list[str], channel: PrivateChannel, values: dict[str, Any], focused: str | None
    ) -> tuple[JSON, str]:
        """A global command used from the user's own installation in a DM or group DM (no server commands)."""
        stored = self.fd.commands.find_global(name)
        if stored is None:
            raise ix.InvocationError(f"/{name} is not a synced global command; synced: {self.fd.commands.names(None)}")
        contexts.check_offered(stored, contexts.context_of(channel), contexts.USER_INSTALL)
        options, resolved = ix.build_options(
            stored, path, values, guild=None, member=None, channel=None, focused=focused
        )
        data: JSON = {"id": stored["id"], "name": name, "type": rules.CHAT_INPUT}
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
        in_channel: Place,
        options: dict[str, Any] | None = None,
        locale: str = "en-US",
        **option_values: Any,
    ) -> InteractionHandle:
        """A user runs a slash command (``"feeds add"`` for a subcommand) in ``in_channel``.

        Options come as keyword arguments, or as ``options={...}`` for names that clash with this
        method's own parameters (``user``, ``options``, ``locale``, ``in_channel``). ``in_channel`` may be a
        DM or group DM (``fd.dm(user)``, ``fd.group_dm(...)``): the user then has the app installed to their
        account, and only global commands whose ``contexts`` and ``integration_types`` allow that are offered.
        """
        values = {**option_values, **(options or {})}
        data, name = self._command_data(command, user, in_channel, values, None)
        interaction = self._new_interaction(
            ix.APPLICATION_COMMAND, user=user, in_channel=in_channel, data=data, name=name, locale=locale
        )
        return self._handle(interaction)

    async def autocomplete(
        self,
        command: str,
        option: str,
        typed: str,
        *,
        user: User,
        in_channel: Place,
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
        return await self.fd.events.wait_until(
            lambda: interaction.choices, timeout, f"autocomplete choices for {name!r}"
        )

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
        interaction.shown_by = shown.interaction  # before any await: the bot answers after this returns
        return self._handle(interaction)

    async def click(self, message: Message, custom_id: str, *, user: User, locale: str = "en-US") -> InteractionHandle:
        """A user clicks a button on ``message``."""
        component = ix.find_component(message, custom_id)
        channel = self.world.any_channel(message.channel_id)
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
        return self._handle(interaction)
