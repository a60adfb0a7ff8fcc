"""Claims as fans and the database see them: worded windows, ordering, and JSON that round-trips."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.release import Precision, ReleaseClaim, Source, Status, claim_from_json, claim_to_json, window_in_words

SOURCE = Source("Season 2 news", "Soompi", "https://example.org/news", date(2026, 2, 21))


def make(start: str, end: str, precision: Precision = Precision.MONTH) -> ReleaseClaim:
    return ReleaseClaim(date.fromisoformat(start), date.fromisoformat(end), precision, Status.REPORTED, SOURCE,
                        "All of Us Are Dead")


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2026-12-04", "2026-12-04", "December 4, 2026"),
        ("2026-12-01", "2026-12-10", "early December 2026"),
        ("2026-12-11", "2026-12-20", "mid-December 2026"),
        ("2026-02-21", "2026-02-28", "late February 2026"),
        ("2026-12-01", "2026-12-31", "December 2026"),
        ("2026-09-01", "2026-12-31", "late 2026"),
        ("2027-01-01", "2027-04-30", "early 2027"),
        ("2027-05-01", "2027-08-31", "mid-2027"),
        ("2027-06-01", "2027-08-31", "summer 2027"),
        ("2026-12-01", "2027-02-28", "winter 2026–27"),
        ("2027-01-01", "2027-03-31", "Q1 2027"),
        ("2027-01-01", "2027-06-30", "first half of 2027"),
        ("2026-07-01", "2026-12-31", "second half of 2026"),
        ("2027-01-01", "2027-12-31", "2027"),
        ("2026-09-01", "2027-04-30", "late 2026 or early 2027"),
        ("2026-03-01", "2026-12-31", "March–December 2026"),
        ("2026-02-23", "2026-03-01", "February 23 – March 1, 2026"),
    ],
)
def test_window_in_words(start: str, end: str, words: str) -> None:
    """The pinned message says the window the way a person would."""
    assert window_in_words(make(start, end)) == words


def test_status_and_precision_order() -> None:
    """Certainty and width compare in their natural order, not alphabetically."""
    assert Status.RUMOURED < Status.REPORTED < Status.CONFIRMED
    assert max([Status.CONFIRMED, Status.RUMOURED, Status.REPORTED]) is Status.CONFIRMED
    ranks = [p.rank for p in (Precision.EXACT, Precision.PART_OF_MONTH, Precision.MONTH, Precision.SEASON,
                              Precision.QUARTER, Precision.HALF, Precision.YEAR)]
    assert ranks == sorted(ranks)


def test_json_round_trip() -> None:
    """A claim stored as JSON comes back identical, source included."""
    original = make("2026-12-01", "2026-12-10", Precision.PART_OF_MONTH)
    assert claim_from_json(json.loads(json.dumps(claim_to_json(original)))) == original


@pytest.mark.parametrize(
    ("field", "value"),
    [("start", "2026-13-01"), ("status", "certain"), ("precision", 3), ("source", None)],
)
def test_bad_json_is_refused_with_the_field_named(field: str, value: object) -> None:
    """Corrupt stored claims raise an error that names the broken field, never load half-right."""
    data = claim_to_json(make("2026-12-01", "2026-12-31"))
    data[field] = value
    with pytest.raises(ValueError, match=field if field in ("start", "source") else "precision|status"):
        claim_from_json(data)


def test_window_cannot_end_before_it_starts() -> None:
    """An inverted window is a bug caught at once, not a countdown to the past."""
    with pytest.raises(ValueError, match="before it starts"):
        make("2026-12-31", "2026-12-01")
