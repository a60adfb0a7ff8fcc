"""How times are stored: ISO-8601 text in UTC, so that comparing the text in SQL compares the moments."""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(moment: datetime) -> str:
    """An aware datetime as stored text; a naive one is refused rather than guessed at."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the database")
    return moment.astimezone(UTC).isoformat()


def from_text(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
