"""Where a command can be used: in a server that added Marquee, or anywhere a fan is.

Lookups that read only the show pack (``/cast``, ``/recap``, ``/countdown show``, ``/about``) can also be installed
to a fan's own account and used in Marquee's DM, a group DM, or a server without Marquee. Everything a server sets
up (feeds, the countdown, the news it posted) needs Marquee in that server. Server-only is the tree's default
(start-up passes ``SERVER_ONLY`` and ``SERVER_INSTALL``), so a command reaches further only where it says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.errors import UserFacingError

SERVER_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)
SERVER_INSTALL = app_commands.AppInstallationType(guild=True, user=False)
ANYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
ANY_INSTALL = app_commands.AppInstallationType(guild=True, user=True)

OUTSIDE_SERVERS = "outside_servers"
"""``extras`` key of a subcommand that works outside servers in a group allowed anywhere (``/countdown show``)."""

Interaction = discord.Interaction[Any]
T = TypeVar("T")


def anywhere() -> Callable[[T], T]:
    """Decorate a command a fan can use anywhere: installed to a server or to their account, in any context.

    (A group says the same with ``allowed_contexts=ANYWHERE, allowed_installs=ANY_INSTALL``.)
    """
    installs = app_commands.allowed_installs(guilds=True, users=True)
    contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)

    def decorate(func: T) -> T:
        return installs(contexts(func))

    return decorate


def in_marquee_server(interaction: Interaction) -> bool:
    """Whether the command was used in a server that added Marquee (not a DM, a group DM or another server).

    A fan who installed Marquee to their account can use its lookups in any server; only where the server
    itself installed it does Discord name that server among the interaction's authorizing owners.
    """
    return interaction.is_guild_integration()


class OnlyInMarqueeServer(UserFacingError, app_commands.CheckFailure):
    """A server's setup command used outside a server that added Marquee: say where it works, not a permission.

    A check failure for discord.py (raised before the command runs) that the tree answers like any
    ``UserFacingError``, in the user's language.
    """

    def __init__(self) -> None:
        super().__init__("This works only in a server that has added Marquee, and only for its moderators.")


def refuse_outside_marquee_servers(interaction: Interaction) -> None:
    """A cog's ``interaction_check`` for a group used anywhere whose subcommands change a server's setup: outside a
    server that has Marquee, only the subcommands marked ``OUTSIDE_SERVERS`` run."""
    command = interaction.command
    marked = isinstance(command, app_commands.Command) and command.extras.get(OUTSIDE_SERVERS, False)
    if not (marked or in_marquee_server(interaction)):
        raise OnlyInMarqueeServer()


def works_outside_servers(command: app_commands.Command[Any, ..., Any], tree: app_commands.CommandTree[Any]) -> bool:
    """Whether a fan who installed Marquee to their account can use ``command`` outside a Marquee server."""
    root = command.root_parent or command
    installs = (
        tree.allowed_installs if root.allowed_installs is None else tree.allowed_installs.merge(root.allowed_installs)
    )
    return installs.user and (command.parent is None or bool(command.extras.get(OUTSIDE_SERVERS, False)))
