"""What is known about a release date, how sure it is, and where it comes from.

Season dates move from rumour to rumour long before Netflix names a day, so a countdown cannot hold a
single date: it holds a window (first and last possible day), how narrow that window is, how sure the
news is, and the article that said so. Everything here is plain data so the reader, the decision rules,
the database and the pinned message all agree on one shape.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class Precision(StrEnum):
    """How narrow a window is, from one day to a whole year (declaration order is narrow to wide).

    Windows that fit none of the names exactly take the next wider one: "early/mid/late 2026" (four
    months) is ``HALF``; "late 2026 or early 2027" and "later this year" are ``YEAR``.
    """

    EXACT = "exact"
    PART_OF_MONTH = "part_of_month"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def rank(self) -> int:
        """0 for an exact day, growing with the width; lets callers compare precisions."""
        return _PRECISION_ORDER.index(self)


_PRECISION_ORDER: tuple[Precision, ...] = tuple(Precision)


class Status(StrEnum):
    """How sure the news is; ``rumoured < reported < confirmed``."""

    RUMOURED = "rumoured"
    REPORTED = "reported"
    CONFIRMED = "confirmed"

    @property
    def rank(self) -> int:
        """0 for a rumour, 2 for a confirmation; comparisons go through this, not the string value."""
        return _STATUS_ORDER.index(self)

    def __lt__(self, other: str) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: str) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: str) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: str) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank >= other.rank


_STATUS_ORDER: tuple[Status, ...] = (Status.RUMOURED, Status.REPORTED, Status.CONFIRMED)


@dataclass(frozen=True, slots=True)
class Source:
    """The article (or moderator) a claim comes from; shown next to the date so readers can judge it."""

    title: str
    outlet: str
    url: str
    published: date


@dataclass(frozen=True, slots=True)
class ReleaseClaim:
    """One statement about when the next season arrives: a window, its width, its certainty, its source."""

    start: date
    end: date
    precision: Precision
    status: Status
    source: Source
    show: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"claim window ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        """Number of days in the window, so narrower claims can be preferred."""
        return (self.end - self.start).days + 1

    def same_window(self, other: ReleaseClaim) -> bool:
        return self.start == other.start and self.end == other.end

    def within(self, other: ReleaseClaim) -> bool:
        """True when this window lies inside ``other``'s (equal windows included)."""
        return other.start <= self.start and self.end <= other.end


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_SEASON_MONTHS: dict[str, tuple[int, int]] = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11)}
_PART_OF_YEAR = {(1, 4): "early", (5, 8): "mid-", (9, 12): "late"}


def _day(d: date) -> str:
    return f"{calendar.month_name[d.month]} {d.day}, {d.year}"


def _part_of_year(start: date, end: date) -> str | None:
    """``late 2026`` style words for whole-month windows inside one year, or None."""
    if start.day != 1 or end != month_end(end.year, end.month):
        return None
    if start.year == end.year:
        year, first, last = start.year, start.month, end.month
        if (first, last) == (1, 12):
            return str(year)
        if (first, last) in _PART_OF_YEAR:
            part = _PART_OF_YEAR[(first, last)]
            return f"{part}{year}" if part.endswith("-") else f"{part} {year}"
        if (first, last) == (1, 6):
            return f"first half of {year}"
        if (first, last) == (7, 12):
            return f"second half of {year}"
        if first == last - 2 and first % 3 == 1:
            return f"Q{first // 3 + 1} {year}"
        for name, months in _SEASON_MONTHS.items():
            if (first, last) == months:
                return f"{name} {year}"
        if first == last:
            return f"{calendar.month_name[first]} {year}"
        return f"{calendar.month_name[first]}–{calendar.month_name[last]} {year}"
    if end.year == start.year + 1:
        if (start.month, end.month) == (12, 2):
            return f"winter {start.year}–{str(end.year)[2:]}"
        before = _part_of_year(start, month_end(start.year, 12))
        after = _part_of_year(date(end.year, 1, 1), end)
        if before and after and start.month == 9 and end.month == 4:
            return f"{before} or {after}"
    return None


def window_in_words(claim: ReleaseClaim) -> str:
    """The window as a person would say it ("early December 2026", "late 2026 or early 2027").

    Worded from the dates rather than the precision so a moderator's window and a parsed one read alike.
    """
    return window_words(claim.start, claim.end)


def window_words(start: date, end: date) -> str:
    """``window_in_words`` for a bare pair of dates."""
    if start == end:
        return _day(start)
    same_month = start.year == end.year and start.month == end.month
    month_name = calendar.month_name[start.month]
    if same_month:
        last = month_end(start.year, start.month).day
        parts = {(1, 10): "early ", (11, 20): "mid-", (21, last): "late ", (1, last): ""}
        part = parts.get((start.day, end.day))
        if part is not None:
            return f"{part}{month_name} {start.year}"
        return f"{month_name} {start.day}–{end.day}, {start.year}"
    words = _part_of_year(start, end)
    if words:
        return words
    if start.day == 1 and end == month_end(end.year, end.month):
        return f"{month_name} {start.year} – {calendar.month_name[end.month]} {end.year}"
    if start.year == end.year:
        return f"{month_name} {start.day} – {calendar.month_name[end.month]} {end.day}, {start.year}"
    return f"{_day(start)} – {_day(end)}"


def claim_to_json(claim: ReleaseClaim) -> dict[str, Any]:
    """A JSON-ready dict that ``claim_from_json`` turns back into an equal claim."""
    return {
        "show": claim.show,
        "start": claim.start.isoformat(),
        "end": claim.end.isoformat(),
        "precision": claim.precision.value,
        "status": claim.status.value,
        "source": {
            "title": claim.source.title,
            "outlet": claim.source.outlet,
            "url": claim.source.url,
            "published": claim.source.published.isoformat(),
        },
    }


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, got {value!r}")
    return value


def _date(data: Mapping[str, Any], key: str) -> date:
    try:
        return date.fromisoformat(_text(data, key))
    except ValueError as error:
        raise ValueError(f"{key!r} must be a YYYY-MM-DD date: {error}") from None


def claim_from_json(data: Mapping[str, Any]) -> ReleaseClaim:
    """Rebuild a claim stored by ``claim_to_json``; raises ``ValueError`` naming the bad field."""
    source = data.get("source")
    if not isinstance(source, Mapping):
        raise ValueError("'source' must be an object")
    try:
        precision = Precision(_text(data, "precision"))
        status = Status(_text(data, "status"))
    except ValueError as error:
        raise ValueError(f"unknown precision or status: {error}") from None
    return ReleaseClaim(
        start=_date(data, "start"),
        end=_date(data, "end"),
        precision=precision,
        status=status,
        source=Source(
            title=_text(source, "title"),
            outlet=_text(source, "outlet"),
            url=_text(source, "url"),
            published=_date(source, "published"),
        ),
        show=_text(data, "show"),
    )
