"""The OAuth2 link a server owner opens to add Marquee, with exactly the permissions it uses."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlencode

import discord

# What each permission is for, so the README and `python -m bot invite` explain every box the owner ticks.
REQUIRED_PERMISSIONS: dict[str, str] = {
    "view_channel": "see the channels it posts news and the countdown in",
    "send_messages": "post news and the countdown",
    "embed_links": "post articles, cast cards and the countdown as embeds",
    "read_message_history": "find and edit its own countdown message after a restart",
    "pin_messages": "pin the countdown message",
}
SCOPES = ("bot", "applications.commands")


def required_permissions() -> discord.Permissions:
    return discord.Permissions(**dict.fromkeys(REQUIRED_PERMISSIONS, True))


def client_id_from_token(token: str) -> int | None:
    """A bot token's first segment is its user id in base64, which for a bot is its application id."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdigit() else None


def invite_url(client_id: int) -> str:
    query = urlencode({"client_id": client_id, "scope": " ".join(SCOPES), "permissions": required_permissions().value})
    return f"https://discord.com/oauth2/authorize?{query}"
