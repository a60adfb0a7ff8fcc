"""The release reader's answers in the shape the per-language table tests write their expectations in."""

from __future__ import annotations

from datetime import date

from bot.release.claims import Precision, Status
from bot.release.reader import read

SHOW = "All of Us Are Dead"

C, RP, RU = Status.CONFIRMED, Status.REPORTED, Status.RUMOURED
EX, PM, MO = Precision.EXACT, Precision.PART_OF_MONTH, Precision.MONTH
SE, QU, HA, YE = Precision.SEASON, Precision.QUARTER, Precision.HALF, Precision.YEAR

Expected = tuple[str, str | None, Precision, Status]
Row = tuple[str, str, date | None, list[Expected]]


def claims_of(text: str, published: date | None, show: str = SHOW) -> list[Expected]:
    """(start, end or None, precision, status) for each claim the reader finds, in text order."""
    return [(r.start.isoformat(), r.end.isoformat() if r.end else None, r.precision, r.status)
            for r in read(text, published, show)]


def ids(rows: list[Row]) -> list[str]:
    """Each row's name, for pytest's test ids."""
    return [row[0] for row in rows]
