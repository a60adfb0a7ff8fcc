"""Errors that carry a message meant for the person who ran a command.

The command tree's error handler shows a ``UserFacingError``'s message to the user (ephemerally), in the
language of their Discord client; ``str(error)`` is the English, for logs. Any other exception is logged with
a traceback and answered with a short apology and an error id.
"""

from __future__ import annotations

from bot.i18n import TranslatableError


class UserFacingError(TranslatableError):
    """A problem the user can fix or should know about; the message is the whole answer for them.

    Raise it with an English template and its values (``UserFacingError("No season {n}.", n=7)``) or a
    ``Text``, so the reply can be translated; ``str()`` is the formatted English.
    """


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable and the fix."""

    def __init__(self, variable: str, problem: str, fix: str) -> None:
        self.variable = variable
        self.problem = problem
        self.fix = fix
        super().__init__(f"{variable}: {problem}. {fix}")
