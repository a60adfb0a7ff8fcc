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
    "create_public_threads": "open a discussion thread under a news post, where a server asked for one",
    "send_messages_in_threads": "post news into forum channels (one post per story) and into those threads",
    "create_events": "add the premiere to the server's events once Netflix confirms the day, where a server asked",
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
    """The server install: the bot user with its permissions, and its slash commands."""
    query = urlencode({"client_id": client_id, "scope": " ".join(SCOPES), "permissions": required_permissions().value})
    return f"https://discord.com/oauth2/authorize?{query}"


def user_install_url(client_id: int) -> str:
    """The user install (integration type 1): /cast, /recap and /countdown show in a fan's DMs, no bot user and
    no permissions. The application must have User Install enabled under Installation in the Developer Portal."""
    query = urlencode({"client_id": client_id, "integration_type": 1, "scope": "applications.commands"})
    return f"https://discord.com/oauth2/authorize?{query}"
