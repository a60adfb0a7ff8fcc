"""The pinned message is edited only when its text changes, and at most once a minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.cards import Card
from bot.countdown.pacing import card_digest, next_edit_at
from bot.countdown.render import countdown_card
from tests.helpers.claims import claim

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
CHANGED = datetime(2026, 11, 20, 9, tzinfo=UTC)


def card_at(now: datetime, *, locked: bool = False, day: date = date(2026, 12, 4)) -> Card:
    return countdown_card(claim(day), show_title="All of Us Are Dead", season=2, changed_at=CHANGED,
                          locked=locked, now=now)


def test_same_text_same_digest() -> None:
    """Re-rendering an unchanged countdown an hour later gives the same digest: no edit is sent."""
    assert card_digest(card_at(NOW)) == card_digest(card_at(NOW + timedelta(hours=1)))


def test_milestone_lock_and_claim_change_the_digest() -> None:
    """Crossing the one-week mark, locking, or a new date each change what readers see."""
    base = card_digest(card_at(NOW))
    assert card_digest(card_at(NOW + timedelta(days=7))) != base
    assert card_digest(card_at(NOW, locked=True)) != base
    assert card_digest(card_at(NOW, day=date(2026, 12, 5))) != base


def test_first_edit_is_immediate() -> None:
    """A message never edited may be edited now."""
    assert next_edit_at(None, NOW) == NOW


def test_second_edit_waits_out_the_minute() -> None:
    """Edits 20 s apart are held until a minute after the first; later ones go at once."""
    assert next_edit_at(NOW, NOW + timedelta(seconds=20)) == NOW + timedelta(minutes=1)
    assert next_edit_at(NOW, NOW + timedelta(minutes=5)) == NOW + timedelta(minutes=5)
