"""The command tree: one place where a failed command is answered, once, in the state the interaction is in,
and in the language of the user's Discord client."""

from __future__ import annotations

import logging
import math
import secrets
from datetime import UTC, datetime, timedelta

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.i18n import translate
from cogs._permissions import permission_label
from cogs._replies import locale_of

log = logging.getLogger(__name__)

# Discord's interaction tokens: 3 s to send the first response, 15 min for followups and edits.
RESPONSE_WINDOW = timedelta(seconds=3)
TOKEN_LIFETIME = timedelta(minutes=15)


def describe_check_failure(error: app_commands.AppCommandError, locale: str | None = None) -> str | None:
    """The user-facing sentence for errors that are the user's or the server's setup, not a bug.

    In the language of ``locale`` (English without one); the permission names stay as Discord's English
    settings call them.
    """
    if isinstance(error, app_commands.MissingPermissions):
        missing = ", ".join(permission_label(p) for p in error.missing_permissions)
        return translate("You need the {missing} permission to use this command.", locale, missing=missing)
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(permission_label(p) for p in error.missing_permissions)
        return translate(
            "I am missing the {missing} permission here. A server admin can grant it in the channel settings.",
            locale,
            missing=missing,
        )
    if isinstance(error, app_commands.CommandOnCooldown):
        # Rounded up: "try again in 0 s" would be wrong, and a second early is refused again.
        wait = math.ceil(error.retry_after)
        return translate("Slow down a little: try again in {seconds:.0f} s.", locale, seconds=wait)
    if isinstance(error, app_commands.NoPrivateMessage):
        return translate("This command only works inside a server.", locale)
    if isinstance(error, app_commands.CheckFailure):
        return translate("You cannot use this command here.", locale)
    return None


Interaction = discord.Interaction[discord.Client]


class MarqueeTree(app_commands.CommandTree[discord.Client]):
    async def on_error(self, interaction: Interaction, error: app_commands.AppCommandError) -> None:
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        command = interaction.command.qualified_name if interaction.command else "?"
        locale = locale_of(interaction)
        if isinstance(original, UserFacingError):
            message = original.translated(locale)
            log.info("/%s refused for %s: %s", command, interaction.user.id, original)
        elif (described := describe_check_failure(error, locale)) is not None:
            message = described
            log.info("/%s check failed for %s: %s", command, interaction.user.id, error)
        else:
            error_id = secrets.token_hex(4)
            log.error("Error %s in /%s", error_id, command, exc_info=original)
            message = translate(
                "Something went wrong on my side (error id `{error_id}`). "
                "Please try again; if it keeps happening, give the id to a server admin.",
                locale,
                error_id=error_id,
            )
        await answer_once(interaction, message)


async def answer_once(interaction: Interaction, message: str) -> None:
    """Tell the user ``message`` ephemerally by whichever route is still open, and never raise."""
    age = datetime.now(UTC) - interaction.created_at
    try:
        if not interaction.response.is_done():
            if age > RESPONSE_WINDOW:
                log.warning("Interaction %s expired before it could be answered", interaction.id)
                return
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
        elif age < TOKEN_LIFETIME:
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        else:
            log.warning("Interaction %s token expired; the user was not told: %s", interaction.id, message)
    except discord.HTTPException as exc:
        log.warning("Could not tell the user about an error on interaction %s: %s", interaction.id, exc)
