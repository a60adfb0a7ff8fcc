"""An exact date is marked a week before, a day before and on release; a window only when it has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.countdown.milestones import Stage, next_milestone, release_moment, stage
from bot.release.claims import Precision
from tests.helpers.claims import claim

DEC_4 = claim(date(2026, 12, 4))
OUT = datetime(2026, 12, 4, 8, tzinfo=UTC)
EARLY_DECEMBER = claim(date(2026, 12, 1), date(2026, 12, 10), precision=Precision.PART_OF_MONTH)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OUT - timedelta(days=30), Stage.AHEAD),
        (OUT - timedelta(days=7, seconds=1), Stage.AHEAD),
        (OUT - timedelta(days=7), Stage.WEEK),
        (OUT - timedelta(days=1, seconds=1), Stage.WEEK),
        (OUT - timedelta(days=1), Stage.DAY),
        (OUT - timedelta(seconds=1), Stage.DAY),
        (OUT, Stage.OUT),
        (OUT + timedelta(days=400), Stage.OUT),
    ],
)
def test_exact_date_stages(now: datetime, expected: Stage) -> None:
    """The stage flips exactly at a week, a day and the release moment (midnight Pacific, 08:00 UTC)."""
    assert stage(DEC_4, now) == expected


def test_release_moment_is_midnight_pacific_in_winter() -> None:
    """A release day means 08:00 UTC, never earlier, so 'Out now' is never premature."""
    assert release_moment(date(2026, 12, 4)) == datetime(2026, 12, 4, 8, tzinfo=UTC)


def test_next_milestone_walks_week_day_out_then_stops() -> None:
    """From a month out the milestones come in order, and after release there are none."""
    now = OUT - timedelta(days=30)
    seen = []
    while (moment := next_milestone(DEC_4, now)) is not None:
        seen.append(moment)
        now = moment
    assert seen == [OUT - timedelta(days=7), OUT - timedelta(days=1), OUT]


def test_window_has_no_countdown_until_it_passes() -> None:
    """'Early December' shows as a window until the day after it ends, then as passed."""
    assert stage(EARLY_DECEMBER, datetime(2026, 12, 10, 23, 59, tzinfo=UTC)) == Stage.WINDOW
    over = datetime(2026, 12, 11, tzinfo=UTC)
    assert next_milestone(EARLY_DECEMBER, datetime(2026, 12, 1, tzinfo=UTC)) == over
    assert stage(EARLY_DECEMBER, over) == Stage.PASSED
    assert next_milestone(EARLY_DECEMBER, over) is None


def test_nothing_known_has_no_milestone() -> None:
    """Without a claim there is nothing to count down to."""
    now = datetime(2026, 11, 20, tzinfo=UTC)
    assert stage(None, now) == Stage.UNKNOWN and next_milestone(None, now) is None


def test_naive_time_is_refused() -> None:
    """A naive datetime is a bug in the caller, not something to guess a zone for."""
    with pytest.raises(ValueError, match="aware"):
        stage(DEC_4, datetime(2026, 11, 20))  # noqa: DTZ001
