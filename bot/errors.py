"""Errors that carry a message meant for the person who ran a command.

The command tree's error handler shows ``str(error)`` of a ``UserFacingError`` to the user as is (ephemerally);
any other exception is logged with a traceback and answered with a short apology and an error id.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """A problem the user can fix or should know about; ``str()`` is the whole message for them."""


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable and the fix."""

    def __init__(self, variable: str, problem: str, fix: str) -> None:
        self.variable = variable
        self.problem = problem
        self.fix = fix
        super().__init__(f"{variable}: {problem}. {fix}")
