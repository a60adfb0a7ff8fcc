"""Stored times compare correctly as text whatever time zone they were given in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from db.times import from_text, to_text


def test_times_in_other_zones_sort_as_moments() -> None:
    """09:00 in Seoul is before 01:00 UTC the same day; the stored text must say so too."""
    seoul = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    utc = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert seoul < utc
    assert to_text(seoul) < to_text(utc)
    assert from_text(to_text(seoul)) == seoul


def test_naive_times_are_refused() -> None:
    """A naive datetime is a bug upstream, not something to store."""
    with pytest.raises(ValueError, match="naive"):
        to_text(datetime(2026, 11, 23, 9, 0))  # noqa: DTZ001
