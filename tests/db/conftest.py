"""Fixtures for the storage tests: one database two Marquee processes share."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where two ``Database``s meet as two processes would: one SQLite file, or one PostgreSQL database (skipped
    without PostgreSQL installed). Each ``Database.open`` of it is one process's own connections."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_database")
        return url
    return tmp_path / "shared.db"
