"""The answer to a command on cooldown: the wait in whole seconds, never shorter than the real one."""

from __future__ import annotations

import pytest
from discord import app_commands

from bot.tree import describe_check_failure


@pytest.mark.parametrize(("retry_after", "said"), [(0.3, "1 s"), (41.2, "42 s"), (42.0, "42 s")])
def test_a_cooldown_names_the_wait_rounded_up(retry_after: float, said: str) -> None:
    """A user told to wait is never told a time at which the command would still be refused."""
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60.0), retry_after)
    assert describe_check_failure(cooldown) == f"Slow down a little: try again in {said}."
