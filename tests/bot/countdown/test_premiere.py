"""Which claims earn a premiere event, when it starts (Netflix's midnight Pacific) and what it says."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.countdown.premiere import premiere_for
from bot.release.claims import Precision, Status
from bot.show import ReleaseClock, Show, load_show
from tests.helpers.claims import claim

SHOW = load_show("all-of-us-are-dead")


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2027, 1, 29), datetime(2027, 1, 29, 8, tzinfo=UTC)),  # PST
        (date(2027, 6, 4), datetime(2027, 6, 4, 7, tzinfo=UTC)),  # PDT
        (date(2027, 3, 14), datetime(2027, 3, 14, 8, tzinfo=UTC)),  # the night the clocks go forward, at 02:00
        (date(2027, 11, 7), datetime(2027, 11, 7, 7, tzinfo=UTC)),  # the night they go back, at 02:00
    ],
)
def test_a_confirmed_day_starts_at_midnight_pacific(day: date, start: datetime) -> None:
    """The event starts at 00:00 in Los Angeles on the day, whatever the season, and lasts an hour."""
    premiere = premiere_for(claim(day, status=Status.CONFIRMED), SHOW)
    assert premiere is not None
    assert (premiere.start, premiere.end, premiere.day) == (start, start + timedelta(hours=1), day)
    assert (premiere.name, premiere.location) == ("All of Us Are Dead — season 2 premiere", "Netflix")


@pytest.mark.parametrize(
    "unearned",
    [
        claim(date(2027, 1, 29), status=Status.REPORTED),
        claim(date(2027, 1, 29), status=Status.RUMOURED),
        claim(date(2027, 1, 1), date(2027, 1, 31), status=Status.CONFIRMED),
        claim(date(2027, 1, 1), date(2027, 1, 10), status=Status.CONFIRMED, precision=Precision.PART_OF_MONTH),
        None,
    ],
    ids=["reported day", "rumoured day", "confirmed month", "confirmed early January", "nothing known"],
)
def test_only_a_confirmed_day_earns_an_event(unearned: object) -> None:
    """Reports, rumours and confirmed windows wider than a day put nothing in the server's events."""
    assert premiere_for(unearned, SHOW) is None  # type: ignore[arg-type]


def test_no_event_when_the_pack_does_not_say_the_release_time() -> None:
    """Without the platform's release time the start would be a guess, so there is no event."""
    silent: Show = dataclasses.replace(SHOW, release_clock=None)
    assert premiere_for(claim(date(2027, 1, 29), status=Status.CONFIRMED), silent) is None


def test_the_pack_clock_is_used() -> None:
    """Another platform's release time in the pack moves the start with it."""
    seoul = dataclasses.replace(SHOW, release_clock=ReleaseClock(time=time(17, 0), timezone="Asia/Seoul"))
    premiere = premiere_for(claim(date(2027, 1, 29), status=Status.CONFIRMED), seoul)
    assert premiere is not None and premiere.start == datetime(2027, 1, 29, 8, tzinfo=UTC)


def test_the_description_names_the_source_without_markup_tricks() -> None:
    """The description names outlet, headline, date and link; mentions in a headline cannot ping anyone."""
    sourced = claim(
        date(2027, 1, 29),
        status=Status.CONFIRMED,
        outlet="Netflix Tudum",
        title="@everyone Netflix confirms the date\u200b",
        url="https://www.netflix.com/tudum/articles/aouad-s2",
    )
    premiere = premiere_for(sourced, SHOW)
    assert premiere is not None
    text = premiere.description
    assert "Netflix Tudum" in text and "https://www.netflix.com/tudum/articles/aouad-s2" in text
    assert "2026-11-20" in text and "@everyone" not in text and "confirms the date”" in text
    assert len(text) <= 1000
    assert premiere.digest() != dataclasses.replace(premiere, start=premiere.start + timedelta(days=1)).digest()
