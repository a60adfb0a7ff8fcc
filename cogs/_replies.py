"""Replies in the language of the person who ran the command.

Discord tells every interaction the user's client language (``interaction.locale``); answers to them are
written as English templates and translated here, by ``bot.i18n``. Posts the whole server sees (news cards,
the pinned countdown, announcements) are not replies and do not come through here.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.i18n import Text


def locale_of(interaction: discord.Interaction[Any]) -> str:
    """The user's client language as Discord names it (``ko``, ``en-US``), not the server's."""
    return interaction.locale.value


def reply_text(interaction: discord.Interaction[Any], template: str | Text, /, **values: object) -> str:
    """``template`` with ``values`` in the user's language (English when there is no translation)."""
    return Text.of(template, **values).render(locale_of(interaction))
