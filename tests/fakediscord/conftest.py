"""Fixtures for fakediscord's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.helpers.gateway_rig import Rig, running_rig


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    """A gateway hub on loopback that discord.py logs in to, torn down after the test."""
    async with running_rig() as started:
        yield started
