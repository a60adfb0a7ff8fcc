"""Decision rules: which news moves the countdown, and which only goes to the history."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bot.release import Precision, Reason, ReleaseClaim, Source, Status, best_claim, decide

C, RP, RU = Status.CONFIRMED, Status.REPORTED, Status.RUMOURED


def claim(start: str, end: str, status: Status, published: str, outlet: str = "Outlet") -> ReleaseClaim:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    precision = Precision.EXACT if first == last else Precision.MONTH
    source = Source(f"{outlet} story", outlet, f"https://example.org/{outlet}/{published}",
                    date.fromisoformat(published))
    return ReleaseClaim(first, last, precision, status, source, "All of Us Are Dead")


DEC_2026_REPORTED = claim("2026-12-01", "2026-12-31", RP, "2026-01-10", "ETV")


def test_first_claim_is_taken() -> None:
    """With nothing known yet, any claim starts the countdown."""
    decision = decide(None, DEC_2026_REPORTED)
    assert decision.accepted and decision.reason is Reason.FIRST


def test_newer_report_at_same_status_moves_the_window() -> None:
    """A newer report at the same certainty replaces the old window, even when it disagrees."""
    newer = claim("2027-01-01", "2027-04-30", RP, "2026-02-22", "IndiaTV")
    decision = decide(DEC_2026_REPORTED, newer)
    assert decision.accepted and decision.reason is Reason.NEWER


def test_same_day_conflict_keeps_current() -> None:
    """Two outlets disagreeing on the same day leave the countdown as it is; the other goes to history."""
    rival = claim("2027-01-01", "2027-06-30", RP, "2026-01-10", "Telegraph")
    decision = decide(DEC_2026_REPORTED, rival)
    assert not decision.accepted and decision.reason is Reason.CONFLICT
    assert "conflicts" in decision.message


def test_narrower_claim_at_same_status_is_taken_even_if_older() -> None:
    """A narrower window inside the current one at the same certainty refines the countdown."""
    narrower = claim("2026-12-01", "2026-12-10", RP, "2026-01-05", "Outlook")
    decision = decide(DEC_2026_REPORTED, narrower)
    assert decision.accepted and decision.reason is Reason.NARROWER


def test_weaker_claim_never_replaces() -> None:
    """A newer rumour does not override a report."""
    rumour = claim("2027-01-01", "2027-04-30", RU, "2026-02-23", "Blueroads")
    decision = decide(DEC_2026_REPORTED, rumour)
    assert not decision.accepted and decision.reason is Reason.WEAKER


def test_stronger_claim_from_the_same_day_is_taken() -> None:
    """Netflix confirming a date on the day a rumour ran replaces the rumour."""
    rumour = claim("2026-12-01", "2026-12-31", RU, "2026-11-20", "Blog")
    confirmed = claim("2026-12-04", "2026-12-04", C, "2026-11-20", "Netflix")
    decision = decide(rumour, confirmed)
    assert decision.accepted and decision.reason is Reason.STRONGER


def test_older_article_read_late_does_not_move_the_countdown_back() -> None:
    """An older article arriving after a newer one is history, not news."""
    current = claim("2027-01-01", "2027-04-30", RP, "2026-02-22", "IndiaTV")
    older = claim("2026-12-01", "2026-12-31", RP, "2026-01-10", "ETV")
    decision = decide(current, older)
    assert not decision.accepted and decision.reason is Reason.OLDER


def test_older_stronger_claim_does_not_move_the_countdown_back() -> None:
    """Even a surer claim cannot overrule newer news when it was published earlier."""
    current = claim("2027-01-01", "2027-04-30", RU, "2026-02-23", "Blueroads")
    older = claim("2026-12-01", "2026-12-31", RP, "2026-01-10", "ETV")
    assert decide(current, older).reason is Reason.OLDER


def test_confirmed_date_holds_against_newer_reports() -> None:
    """Once Netflix confirms a date, reports and rumours cannot change it."""
    confirmed = claim("2026-12-04", "2026-12-04", C, "2026-11-20", "Netflix")
    report = claim("2027-01-01", "2027-01-31", RP, "2026-11-25", "Tabloid")
    decision = decide(confirmed, report)
    assert not decision.accepted and decision.reason is Reason.CONFIRMED_HOLDS


def test_confirmed_date_moves_with_a_newer_confirmation() -> None:
    """A delay announced by Netflix replaces the earlier confirmed date."""
    confirmed = claim("2026-12-04", "2026-12-04", C, "2026-11-20", "Netflix")
    delay = claim("2027-01-15", "2027-01-15", C, "2026-11-28", "Netflix")
    decision = decide(confirmed, delay)
    assert decision.accepted and decision.reason is Reason.NEWER


def test_older_confirmation_does_not_undo_a_delay() -> None:
    """The first confirmation, read after the delay, leaves the delayed date in place."""
    delay = claim("2027-01-15", "2027-01-15", C, "2026-11-28", "Netflix")
    first = claim("2026-12-04", "2026-12-04", C, "2026-11-20", "Netflix")
    assert decide(delay, first).reason is Reason.CONFIRMED_HOLDS


def test_moderator_always_wins() -> None:
    """A moderator can set any window, even over a confirmed date."""
    confirmed = claim("2026-12-04", "2026-12-04", C, "2026-11-20", "Netflix")
    manual = claim("2026-12-11", "2026-12-11", RP, "2026-11-21", "Moderator")
    decision = decide(confirmed, manual, by_moderator=True)
    assert decision.accepted and decision.reason is Reason.MODERATOR


def test_repeated_claim_is_not_a_change() -> None:
    """The same window at the same certainty from another outlet changes nothing."""
    again = claim("2026-12-01", "2026-12-31", RP, "2026-02-01", "Other")
    assert decide(DEC_2026_REPORTED, again).reason is Reason.SAME


def run(claims: list[ReleaseClaim]) -> ReleaseClaim | None:
    current: ReleaseClaim | None = None
    for candidate in claims:
        if decide(current, candidate).accepted:
            current = candidate
    return current


TIMELINE = [
    claim("2026-12-01", "2026-12-31", RP, "2026-01-10", "ETV"),
    claim("2027-01-01", "2027-06-30", RP, "2026-01-10", "Telegraph"),
    claim("2026-09-01", "2026-12-31", RU, "2026-02-21", "Outlook"),
    claim("2027-01-01", "2027-04-30", RU, "2026-02-23", "Blueroads"),
    claim("2026-12-04", "2026-12-04", C, "2026-11-20", "Netflix"),
]


def test_real_timeline_ends_on_the_confirmed_date() -> None:
    """Read in order, the contradictory 2026 reports end on Netflix's confirmation."""
    final = run(TIMELINE)
    assert final is not None and final.source.outlet == "Netflix"


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_arrival_still_ends_on_the_confirmed_date(seed: int) -> None:
    """Whatever order the feed delivers the articles in, the confirmed date is where the countdown lands."""
    shuffled = TIMELINE.copy()
    random.Random(seed).shuffle(shuffled)
    final = run(shuffled)
    assert final is not None and final.source.outlet == "Netflix"


def test_best_claim_prefers_surer_then_narrower() -> None:
    """From one article, the surest claim wins, and among equals the narrowest window."""
    wide = claim("2026-09-01", "2026-12-31", RU, "2026-02-21")
    narrow = claim("2026-12-01", "2026-12-10", RU, "2026-02-21")
    reported = claim("2026-09-01", "2026-12-31", RP, "2026-02-21")
    assert best_claim([wide, narrow]) == narrow
    assert best_claim([narrow, reported, wide]) == reported
    assert best_claim([]) is None
