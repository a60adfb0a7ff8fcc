"""Interactions as Discord builds them from the commands a bot actually registered.

A test says ``invoke("feeds add", url=..., user=mod, in_channel=news)``; this module turns that into
the INTERACTION_CREATE payload a Discord client would produce, from the command definitions the bot
synced (so an unsynced or renamed command, an unknown option or a wrong type fails in the test, the way
the Discord client would refuse it), and tracks the interaction's acknowledgement and messages.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fakediscord import rules
from fakediscord.world import (
    ADMINISTRATOR,
    Channel,
    Guild,
    Member,
    Message,
    PrivateChannel,
    Role,
    User,
    World,
    base_permissions,
    channel_permissions,
)

log = logging.getLogger(__name__)

JSON = dict[str, Any]

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# Callback types
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9


class InvocationError(AssertionError):
    """The test asked for something a Discord user could not do (unknown command, bad option...)."""


@dataclass(eq=False)
class Interaction:
    id: int
    token: str
    type: int
    guild: Guild | None  # None in a DM or group DM
    channel: Channel | PrivateChannel
    user: User
    created: float
    payload: JSON
    name: str = ""
    response_type: int | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    choices: list[JSON] | None = None
    modal: JSON | None = None
    source_message_id: int | None = None
    source_edited_at: datetime | None = None
    shown_by: Interaction | None = None  # for a modal's submit: the interaction answered with the modal

    @property
    def acknowledged(self) -> bool:
        return self.response_type is not None


class CommandStore:
    """Commands per scope (``None`` is global), kept as Discord stores them: with ids and versions."""

    def __init__(self, world: World, application_id: int) -> None:
        self.world = world
        self.application_id = application_id
        self.scopes: dict[int | None, list[JSON]] = {}

    def get(self, guild_id: int | None) -> list[JSON]:
        return self.scopes.get(guild_id, [])

    def _normalise(self, cmd: JSON, guild_id: int | None, existing: JSON | None) -> JSON:
        stored: JSON = {
            "id": existing["id"] if existing else str(self.world.ids.next()),
            "application_id": str(self.application_id),
            "version": str(self.world.ids.next()),
            "type": cmd.get("type", rules.CHAT_INPUT),
            "name": cmd["name"],
            "description": cmd.get("description", ""),
            "options": cmd.get("options") or [],
            "default_member_permissions": _permissions_text(cmd.get("default_member_permissions")),
            "dm_permission": cmd.get("dm_permission", True),
            "nsfw": cmd.get("nsfw", False),
            "contexts": cmd.get("contexts"),
            "integration_types": cmd.get("integration_types") or [0],
            "name_localizations": cmd.get("name_localizations"),
            "description_localizations": cmd.get("description_localizations"),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    def replace(self, guild_id: int | None, commands: list[JSON]) -> list[JSON]:
        old = {(c["type"], c["name"]): c for c in self.get(guild_id)}
        new = [self._normalise(c, guild_id, old.get((c.get("type", rules.CHAT_INPUT), c["name"]))) for c in commands]
        self.scopes[guild_id] = new
        return new

    def upsert(self, guild_id: int | None, command: JSON) -> tuple[JSON, bool]:
        current = self.scopes.setdefault(guild_id, [])
        key = (command.get("type", rules.CHAT_INPUT), command["name"])
        for i, c in enumerate(current):
            if (c["type"], c["name"]) == key:
                current[i] = self._normalise(command, guild_id, c)
                return current[i], False
        stored = self._normalise(command, guild_id, None)
        current.append(stored)
        return stored, True

    def find(self, guild_id: int, name: str) -> JSON | None:
        """Guild commands shadow global ones, as in the Discord client."""
        for scope in (guild_id, None):
            for c in self.get(scope):
                if c["type"] == rules.CHAT_INPUT and c["name"] == name:
                    return c
        return None

    def find_global(self, name: str) -> JSON | None:
        """A global command: the only ones a DM or group DM offers."""
        return next((c for c in self.get(None) if c["type"] == rules.CHAT_INPUT and c["name"] == name), None)

    def names(self, guild_id: int | None) -> list[str]:
        return sorted({c["name"] for scope in (guild_id, None) for c in self.get(scope)})


def _permissions_text(value: Any) -> str | None:
    """Discord stores a command's permissions as a bit set and returns it as a string, whatever the bot sent."""
    return None if value is None else str(int(value))


def new_token() -> str:
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)


def member_payload(channel: Channel, member: Member) -> JSON:
    payload = member.payload()
    payload["permissions"] = str(channel_permissions(channel, member))
    return payload


def _channel_resolved(channel: Channel, member: Member) -> JSON:
    return {
        "id": str(channel.id),
        "name": channel.name,
        "type": channel.type,
        "parent_id": None,
        "permissions": str(channel_permissions(channel, member)),
        "guild_id": str(channel.guild.id),
    }


def _convert(
    option: JSON, value: Any, guild: Guild | None, member: Member | None, channel: Channel | None, resolved: JSON
) -> str | int | float | bool:
    """Turn a Python value into the option value Discord would send, filling ``resolved`` as it does."""
    kind = option["type"]
    name = option["name"]
    choices = option.get("choices") or []
    if kind in (rules.STRING, rules.INTEGER, rules.NUMBER) and choices:
        by_name = {c["name"]: c["value"] for c in choices}
        values = [c["value"] for c in choices]
        if value not in values and value in by_name:
            value = by_name[value]
        if value not in values:
            raise InvocationError(f"option {name!r} must be one of {values!r}, not {value!r}")
    if kind == rules.STRING:
        if not isinstance(value, str):
            raise InvocationError(f"option {name!r} takes text, not {value!r}")
        low, high = option.get("min_length", 0), option.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise InvocationError(f"option {name!r} must be {low}..{high} characters long")
        return value
    if kind in (rules.INTEGER, rules.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvocationError(f"option {name!r} takes a number, not {value!r}")
        if kind == rules.INTEGER and not float(value).is_integer():
            raise InvocationError(f"option {name!r} takes a whole number, not {value!r}")
        low_v, high_v = option.get("min_value"), option.get("max_value")
        if (low_v is not None and value < low_v) or (high_v is not None and value > high_v):
            raise InvocationError(f"option {name!r} must be within {low_v}..{high_v}")
        return int(value) if kind == rules.INTEGER else float(value)
    if kind == rules.BOOLEAN:
        if not isinstance(value, bool):
            raise InvocationError(f"option {name!r} takes True/False, not {value!r}")
        return value
    resolved_user = kind in (rules.USER, rules.MENTIONABLE) and isinstance(value, User | Member)
    if resolved_user:
        user = value.user if isinstance(value, Member) else value
        assert isinstance(user, User)
        resolved.setdefault("users", {})[str(user.id)] = user.payload()
        target = guild.members.get(user.id) if guild is not None else None
        if target is not None and channel is not None:
            m = member_payload(channel, target)
            m.pop("user")
            resolved.setdefault("members", {})[str(user.id)] = m
        return str(user.id)
    if kind in (rules.ROLE, rules.MENTIONABLE, rules.CHANNEL) and (guild is None or member is None):
        raise InvocationError(f"option {name!r}: roles and channels can only be picked in a server")
    if kind in (rules.ROLE, rules.MENTIONABLE) and isinstance(value, Role):
        resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        return str(value.id)
    if kind == rules.CHANNEL and isinstance(value, Channel) and guild is not None and member is not None:
        allowed = option.get("channel_types")
        if allowed and value.type not in allowed:
            raise InvocationError(f"option {name!r} takes channel types {allowed}, not {value.type}")
        if value.guild is not guild:
            raise InvocationError(f"#{value.name} is not in {guild.name}")
        resolved.setdefault("channels", {})[str(value.id)] = _channel_resolved(value, member)
        return str(value.id)
    raise InvocationError(f"option {name!r} (type {kind}) cannot take {value!r}")


def build_options(
    command: JSON,
    path: list[str],
    values: dict[str, Any],
    *,
    guild: Guild | None,
    member: Member | None,
    channel: Channel | None,
    focused: str | None = None,
) -> tuple[list[JSON], JSON]:
    """The ``data.options`` tree and ``resolved`` map for an invocation of ``command`` at ``path``."""
    resolved: JSON = {}
    options: list[JSON] = command.get("options") or []
    wrappers: list[JSON] = []
    for part in path:
        match = next(
            (o for o in options if o["name"] == part and o["type"] in (rules.SUB_COMMAND, rules.SUB_COMMAND_GROUP)),
            None,
        )
        if match is None:
            raise InvocationError(f"/{command['name']} has no subcommand {part!r}")
        wrappers.append({"type": match["type"], "name": part, "options": []})
        options = match.get("options") or []
    if any(o["type"] in (rules.SUB_COMMAND, rules.SUB_COMMAND_GROUP) for o in options):
        subs = [o["name"] for o in options]
        raise InvocationError(f"/{' '.join([command['name'], *path])} needs a subcommand: one of {subs}")
    known = {o["name"]: o for o in options}
    unknown = set(values) - set(known)
    if unknown:
        raise InvocationError(f"/{' '.join([command['name'], *path])} has no option(s) {sorted(unknown)}")
    leaf: list[JSON] = []
    for opt in options:
        name = opt["name"]
        if name not in values:
            if opt.get("required") and name != focused:
                raise InvocationError(f"option {name!r} is required")
            continue
        if name == focused:
            if not opt.get("autocomplete"):
                raise InvocationError(f"option {name!r} has no autocomplete")
            leaf.append({"type": opt["type"], "name": name, "value": str(values[name]), "focused": True})
            continue
        value = _convert(opt, values[name], guild, member, channel, resolved)
        leaf.append({"type": opt["type"], "name": name, "value": value})
    if not wrappers:
        return leaf, resolved
    wrappers[-1]["options"] = leaf
    for outer, inner in zip(reversed(wrappers[:-1]), reversed(wrappers[1:]), strict=True):
        outer["options"] = [inner]
    return [wrappers[0]], resolved


def can_see(command: JSON, guild: Guild, member: Member) -> bool:
    """Whether ``default_member_permissions`` lets this member see the command at all."""
    required = command.get("default_member_permissions")
    if required is None:
        return True
    bits = int(required)
    granted = base_permissions(guild, member)
    if bits == 0:  # "0" hides the command from everyone but administrators
        return bool(granted & ADMINISTRATOR)
    return (granted & bits) == bits


def interaction_payload(
    interaction_id: int,
    token: str,
    kind: int,
    *,
    application_id: int,
    guild: Guild,
    channel: Channel,
    member: Member,
    bot_member: Member,
    data: JSON,
    locale: str,
    message: JSON | None = None,
) -> JSON:
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
        "channel_id": str(channel.id),
        "channel": {**channel.payload(), "permissions": str(channel_permissions(channel, member))},
        "member": member_payload(channel, member),
        "token": token,
        "version": 1,
        "app_permissions": str(channel_permissions(channel, bot_member)),
        "locale": locale,
        "guild_locale": guild.locale,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if message is not None:
        payload["message"] = message
    return payload


def interaction_metadata(interaction: Interaction) -> JSON:
    """The message's ``interaction_metadata`` in the shape Discord gives each interaction type.

    ``name`` is the fake's own (the demo's transcript shows "used /cast"); message payloads leave it out.
    """
    metadata: JSON = {
        "id": str(interaction.id),
        "type": interaction.type,
        "name": interaction.name,
        "user": interaction.user.payload(),
        "authorizing_integration_owners": interaction.payload["authorizing_integration_owners"],
    }
    if interaction.original_id is not None:
        metadata["original_response_message_id"] = str(interaction.original_id)
    if interaction.type == MESSAGE_COMPONENT and interaction.source_message_id is not None:
        metadata["interacted_message_id"] = str(interaction.source_message_id)
    if interaction.type == MODAL_SUBMIT and interaction.shown_by is not None:
        trigger = interaction_metadata(interaction.shown_by)
        trigger.pop("name")
        metadata["triggering_interaction_metadata"] = trigger
    return metadata


def find_component(message: Message, custom_id: str) -> JSON:
    for row in message.components:
        for component in row.get("components", []):
            if component.get("custom_id") == custom_id:
                if component.get("disabled"):
                    raise InvocationError(f"component {custom_id!r} is disabled")
                found: JSON = component
                return found
    raise InvocationError(f"message {message.id} has no component {custom_id!r}")


def modal_answers(modal: JSON, values: dict[str, str]) -> list[JSON]:
    """The submitted ``components`` for ``modal`` filled with ``values``, shaped like the modal's layout."""
    unused = dict(values)

    def fill(component: JSON) -> JSON | None:
        kind = component.get("type")
        if kind == 1:
            inner = [f for c in component.get("components", []) if (f := fill(c)) is not None]
            return {"type": 1, "components": inner}
        if kind == 18:
            inner_one = fill(component.get("component") or {})
            return None if inner_one is None else {"type": 18, "component": inner_one}
        if kind == 4:
            custom_id = component["custom_id"]
            if custom_id not in unused and component.get("required", True):
                raise InvocationError(f"the modal's field {custom_id!r} is required")
            value = unused.pop(custom_id, "")
            low, high = component.get("min_length", 0), component.get("max_length", 4000)
            if value and not low <= len(value) <= high:
                raise InvocationError(f"the modal's field {custom_id!r} takes {low}..{high} characters")
            return {"type": 4, "custom_id": custom_id, "value": value}
        return None

    filled = [f for c in modal.get("components", []) if (f := fill(c)) is not None]
    if unused:
        raise InvocationError(f"the modal has no field(s) {sorted(unused)}")
    return filled
