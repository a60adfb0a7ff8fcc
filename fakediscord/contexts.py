"""Where a command can be used, and the interaction Discord sends from a DM or a group DM.

A command says which installations may offer it (``integration_types``: 0 a server that added the app, 1 a user
who added it to their account) and where (``contexts``: 0 a server, 1 the app's own DM, 2 any other DM or group
DM). The Discord client offers a command only where both allow it, so ``invoke`` refuses the rest the same way.
An interaction outside a server has no guild, no member and no ``member.permissions``: the person is ``user``, the
channel a DM or group DM, and ``authorizing_integration_owners`` names the user whose installation it came from.
"""

from __future__ import annotations

from fakediscord.interactions import InvocationError
from fakediscord.world import (
    ATTACH_FILES,
    DM,
    EMBED_LINKS,
    JSON,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
    PrivateChannel,
    User,
)

GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2
GUILD_INSTALL, USER_INSTALL = 0, 1
CONTEXT_NAMES = {GUILD: "a server", BOT_DM: "the app's DM", PRIVATE_CHANNEL: "a DM or group DM"}

# What an app may do when answering in a DM or group DM: post its answer, with embeds and files.
PRIVATE_APP_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY


def context_of(channel: Channel | PrivateChannel) -> int:
    """The interaction context Discord reports for a command used in ``channel``."""
    if isinstance(channel, Channel):
        return GUILD
    return BOT_DM if channel.type == DM and channel.bot_present else PRIVATE_CHANNEL


def check_offered(command: JSON, context: int, install: int) -> None:
    """Refuse, as the Discord client would by not offering it, a command its ``contexts``/``integration_types``
    keep out of this place or this installation (absent ``contexts`` means every context)."""
    name = command["name"]
    contexts = command.get("contexts")
    if contexts is not None and context not in contexts:
        raise InvocationError(f"/{name} is not offered in {CONTEXT_NAMES[context]} (contexts {contexts})")
    installs = command.get("integration_types") or [GUILD_INSTALL]
    if install not in installs:
        kind = "a user's own installation" if install == USER_INSTALL else "a server's installation"
        raise InvocationError(f"/{name} is not offered by {kind} (integration_types {installs})")


def private_interaction_payload(
    interaction_id: int,
    token: str,
    kind: int,
    *,
    application_id: int,
    channel: PrivateChannel,
    user: User,
    data: JSON,
    locale: str,
    message: JSON | None = None,
) -> JSON:
    """INTERACTION_CREATE from a DM or group DM, by a user who installed the app to their account."""
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "channel_id": str(channel.id),
        "channel": channel.payload(),
        "user": user.payload(),
        "token": token,
        "version": 1,
        "app_permissions": str(PRIVATE_APP_PERMISSIONS),
        "locale": locale,
        "entitlements": [],
        "authorizing_integration_owners": {str(USER_INSTALL): str(user.id)},
        "context": context_of(channel),
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if message is not None:
        payload["message"] = message
    return payload
