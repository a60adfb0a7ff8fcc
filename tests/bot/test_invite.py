"""`python -m bot invite`: the link a server owner opens asks for exactly what Marquee uses."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import discord

from bot.invite import client_id_from_token, invite_url, user_install_url

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcdE.abcdefghijklmnopqrstuvwxyz0123"


def test_invite_permissions_are_exactly_the_needed_ones() -> None:
    """View, send, embed, read history, pin, threads and events; no Manage Messages, Mention Everyone or Admin."""
    query = parse_qs(urlsplit(invite_url(42)).query)
    perms = discord.Permissions(int(query["permissions"][0]))
    expected = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, read_message_history=True, pin_messages=True,
        create_public_threads=True, send_messages_in_threads=True, create_events=True,
    )
    assert perms == expected
    assert not perms.manage_messages and not perms.administrator and not perms.mention_everyone
    assert not perms.manage_threads and not perms.manage_events
    assert query["scope"] == ["bot applications.commands"]
    assert query["client_id"] == ["42"]


def test_client_id_read_from_token() -> None:
    """The application id comes from the token, so no network call is needed."""
    assert client_id_from_token(TOKEN) == 1234567890123456789
    assert client_id_from_token("not-a-token") is None


def test_user_install_link_asks_for_commands_only() -> None:
    """The link for a fan's own account installs the commands, with no bot user and no permissions."""
    query = parse_qs(urlsplit(user_install_url(42)).query)
    assert query == {"client_id": ["42"], "integration_type": ["1"], "scope": ["applications.commands"]}
