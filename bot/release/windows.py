"""What a date phrase means as a window of days, before anything around it is judged.

Each pattern kind in ``patterns.PATTERNS`` has one resolver in ``RESOLVERS``; adding a kind is adding a
pattern and a row. Year-less and relative phrases are resolved against the article's publish date, never
the clock, so reading an old article gives the answer it gave when it was new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeAlias

from bot.release.claims import Precision, month_end
from bot.release.patterns import FROM, JOINER, MONTHS, PATTERNS, SPACES, WEEKDAYS

# How far back a year-less date may point before it is read as a past date rather than next year's.
_PAST_GRACE = timedelta(days=120)


@dataclass(frozen=True, slots=True)
class Window:
    """A window of days with its width; what a date phrase means before the context is judged."""

    start: date
    end: date
    precision: Precision


@dataclass(frozen=True, slots=True)
class Found:
    """A date phrase's span in its clause, kept so the judging can measure what words sit near it."""

    begin: int
    end: int
    window: Window | None  # None: a date the reader recognised but cannot turn into a window


# What ``re.Match.groupdict()`` gives: a group's text, or None where the group did not take part.
Groups: TypeAlias = dict[str, str | Any]
Resolver: TypeAlias = Callable[[Groups, date], Window | None]


def _month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _whole_months(year: int, first: int, last: int, precision: Precision) -> Window:
    return Window(date(year, first, 1), month_end(year, last), precision)


def _next_occurrence(month: int, day: int | None, published: date) -> date | None:
    """A year-less date: this year's if not long past, else next year's; None for a recent past date."""
    try:
        candidate = date(published.year, month, day or 1)
    except ValueError:
        return None
    last_day = candidate if day else month_end(candidate.year, candidate.month)
    if last_day >= published:
        return candidate
    if published - last_day <= _PAST_GRACE:
        return None
    try:
        return date(published.year + 1, month, day or 1)
    except ValueError:
        return None


def _relative_year(token: str | None, year: str | None, published: date) -> int | None:
    if year:
        return int(year)
    if token is None:
        return None
    word = token.lower()
    if word == "next":
        return published.year + 1
    return published.year  # "this year", "the year"


def _part_of_month(qualifier: str, year: int, month: int) -> Window:
    q = SPACES.sub(" ", qualifier.lower())
    last = month_end(year, month).day
    if "early" in q or "beginning" in q or "start" in q:
        return Window(date(year, month, 1), date(year, month, 10), Precision.PART_OF_MONTH)
    if q == "mid" or "middle" in q:
        return Window(date(year, month, 11), date(year, month, 20), Precision.PART_OF_MONTH)
    return Window(date(year, month, 21), date(year, month, last), Precision.PART_OF_MONTH)


def _part_of_year(qualifier: str, year: int) -> Window:
    q = SPACES.sub(" ", qualifier.lower())
    if "early" in q or "beginning" in q or "start" in q:
        return _whole_months(year, 1, 4, Precision.HALF)
    if q == "mid" or "middle" in q:
        return _whole_months(year, 5, 8, Precision.HALF)
    return _whole_months(year, 9, 12, Precision.HALF)


def _season_of(name: str, year: int) -> Window:
    key = name.lower()
    if key == "winter":
        return Window(date(year, 12, 1), month_end(year + 1, 2), Precision.SEASON)
    first = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9}[key]
    return _whole_months(year, first, first + 2, Precision.SEASON)


def _iso(g: Groups, published: date) -> Window | None:
    try:
        day = date(int(g["y"]), int(g["mo"]), int(g["d"]))
    except ValueError:
        return None
    return Window(day, day, Precision.EXACT)


def _days_of_month(g: Groups, published: date, first: int, last: int, *, is_range: bool) -> Window | None:
    month = _month_number(g["m"])
    if g.get("y"):
        anchor: date | None = date(int(g["y"]), month, 1)
    else:
        anchor = _next_occurrence(month, None, published)
    if anchor is None or last < first:
        return None
    try:
        start, end = date(anchor.year, month, first), date(anchor.year, month, last)
    except ValueError:
        return None
    if not g.get("y") and not is_range:
        resolved = _next_occurrence(month, first, published)
        if resolved is None:
            return None
        start = end = resolved
    return Window(start, end, Precision.EXACT if start == end else Precision.PART_OF_MONTH)


def _exact_day(g: Groups, published: date) -> Window | None:
    day = int(g["d"])
    return _days_of_month(g, published, day, day, is_range=False)


def _day_range(g: Groups, published: date) -> Window | None:
    return _days_of_month(g, published, int(g["d1"]), int(g["d2"]), is_range=True)


def _named_month_year(g: Groups, published: date) -> int | None:
    """The year of a named month: the one written, else the month's next occurrence (None if just past)."""
    if g.get("y"):
        return int(g["y"])
    anchor = _next_occurrence(_month_number(g["m"]), None, published)
    return None if anchor is None else anchor.year


def _part_month(g: Groups, published: date) -> Window | None:
    year = _named_month_year(g, published)
    return None if year is None else _part_of_month(g["q"], year, _month_number(g["m"]))


def _whole_month(g: Groups, published: date) -> Window | None:
    year = _named_month_year(g, published)
    if year is None:
        return None
    month = _month_number(g["m"])
    return _whole_months(year, month, month, Precision.MONTH)


def _half(g: Groups, published: date) -> Window | None:
    year = _relative_year(g.get("ry"), g.get("y"), published)
    if year is None:
        return None
    second = g["h"].lower() in ("second", "2nd", "latter", "back", "2")
    return _whole_months(year, 7 if second else 1, 12 if second else 6, Precision.HALF)


def _quarter(g: Groups, published: date) -> Window | None:
    year = _relative_year(g.get("ry"), g.get("y"), published)
    if year is None:
        return None
    words = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
    number = int(g["n"]) if g.get("n") else words[g["w"].lower()]
    return _whole_months(year, number * 3 - 2, number * 3, Precision.QUARTER)


def _season(g: Groups, published: date) -> Window | None:
    name = g["s"]
    if g.get("y"):
        return _season_of(name, int(g["y"]))
    season = _season_of(name, published.year)
    if season.end < published or (g["rs"].lower() == "next" and season.start <= published):
        season = _season_of(name, published.year + 1)
    return season


def _year_part(g: Groups, published: date) -> Window | None:
    year = _relative_year(g.get("ry"), g.get("y"), published)
    return None if year is None else _part_of_year(g["q"], year)


def _year_part_range(g: Groups, published: date) -> Window | None:
    year = _relative_year(g.get("ry"), g.get("y"), published)
    if year is None:
        return None
    first_part, last_part = _part_of_year(g["q1"], year), _part_of_year(g["q2"], year)
    return Window(first_part.start, last_part.end, Precision.YEAR)


def _year_alone(g: Groups, published: date) -> Window | None:
    return _whole_months(int(g["y"]), 1, 12, Precision.YEAR)


def _relative(g: Groups, published: date) -> Window | None:
    p = SPACES.sub(" ", g["r"].lower())
    weekday = g.get("wd")
    year = published.year
    if p.startswith(("next ", "last ", "past ")) and p.endswith("day"):
        return None  # "next Friday" means different days to different writers
    if weekday:
        target = WEEKDAYS.index(weekday.lower())
        day = published + timedelta(days=(target - published.weekday()) % 7)
        return Window(day, day, Precision.EXACT)
    if p in ("today", "tonight"):
        return Window(published, published, Precision.EXACT)
    if p == "tomorrow":
        day = published + timedelta(days=1)
        return Window(day, day, Precision.EXACT)
    if p == "this week":
        return Window(published, published + timedelta(days=6 - published.weekday()), Precision.PART_OF_MONTH)
    if p == "next week":
        monday = published + timedelta(days=7 - published.weekday())
        return Window(monday, monday + timedelta(days=6), Precision.PART_OF_MONTH)
    if p == "this month":
        return Window(published, month_end(year, published.month), Precision.MONTH)
    if p == "later this month":
        if published == month_end(year, published.month):
            return None
        return Window(published + timedelta(days=1), month_end(year, published.month), Precision.MONTH)
    if p == "next month":
        first = month_end(year, published.month) + timedelta(days=1)
        return _whole_months(first.year, first.month, first.month, Precision.MONTH)
    if p == "later this year":
        if published.month == 12:
            return None
        return Window(date(year, published.month + 1, 1), date(year, 12, 31), Precision.YEAR)
    if p == "this year":
        return _whole_months(year, 1, 12, Precision.YEAR)
    if p == "next year":
        return _whole_months(year + 1, 1, 12, Precision.YEAR)
    return None


def _korean_date(g: Groups, published: date) -> Window | None:
    month = int(g["mo"] or 0)
    day_text = g.get("d")
    day = int(day_text) if day_text else None
    if g.get("y"):
        year = int(g["y"] or 0)
    else:
        anchor = _next_occurrence(month, day, published)
        if anchor is None:
            return None
        year = anchor.year
    try:
        if day:
            exact = date(year, month, day)
            return Window(exact, exact, Precision.EXACT)
    except ValueError:
        return None
    return _whole_months(year, month, month, Precision.MONTH)


def _korean_year(g: Groups, published: date) -> Window | None:
    year = int(g["y"] or 0) if g.get("y") else published.year + (1 if g.get("ry") == "내년" else 0)
    part = SPACES.sub("", g.get("p") or "")
    if part == "상반기":
        return _whole_months(year, 1, 6, Precision.HALF)
    if part == "하반기":
        return _whole_months(year, 7, 12, Precision.HALF)
    if part in ("초", "연초"):
        return _whole_months(year, 1, 4, Precision.HALF)
    if part == "중반":
        return _whole_months(year, 5, 8, Precision.HALF)
    if part in ("말", "연말"):
        return _whole_months(year, 9, 12, Precision.HALF)
    if part.endswith("분기"):
        number = int(part[0])
        return _whole_months(year, number * 3 - 2, number * 3, Precision.QUARTER)
    return _whole_months(year, 1, 12, Precision.YEAR)


def _within_year(g: Groups, published: date) -> Window | None:
    return Window(published, date(published.year, 12, 31), Precision.YEAR)


RESOLVERS: dict[str, Resolver] = {
    "iso": _iso,
    "range": _day_range,
    "mdy": _exact_day,
    "dmy": _exact_day,
    "part_month": _part_month,
    "month_year": _whole_month,
    "month_alone": _whole_month,
    "half": _half,
    "quarter": _quarter,
    "season": _season,
    "year_part": _year_part,
    "year_part_range": _year_part_range,
    "year_alone": _year_alone,
    "relative": _relative,
    "ko_date": _korean_date,
    "ko_year": _korean_year,
    "ko_within": _within_year,
}


def find_windows(clause: str, published: date) -> list[Found]:
    """Every date phrase in the clause with its window, in text order; alternatives joined into one."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for kind, pattern in PATTERNS:
        resolve = RESOLVERS[kind]
        for match in pattern.finditer(clause):
            begin, end = match.span()
            if any(begin < t_end and t_begin < end for t_begin, t_end in taken):
                continue
            taken.append((begin, end))
            found.append(Found(begin, end, resolve(match.groupdict(), published)))
    found.sort(key=lambda f: f.begin)
    return _merge_alternatives(clause, found)


def _merge_alternatives(clause: str, found: list[Found]) -> list[Found]:
    """Join "late 2026 or early 2027" (and "between X and Y") into one window spanning both."""
    merged: list[Found] = []
    for item in found:
        if merged:
            previous = merged[-1]
            gap = clause[previous.end : item.begin]
            moved = FROM.search(clause[: previous.begin]) is not None
            if JOINER.match(gap) and previous.window and item.window and not moved:
                first, second = previous.window, item.window
                start, end = min(first.start, second.start), max(first.end, second.end)
                precision = max(first.precision, second.precision, _precision_for(start, end), key=_rank)
                merged[-1] = Found(previous.begin, item.end, Window(start, end, precision))
                continue
        merged.append(item)
    return merged


def _rank(precision: Precision) -> int:
    return precision.rank


def _precision_for(start: date, end: date) -> Precision:
    days = (end - start).days + 1
    for limit, precision in ((1, Precision.EXACT), (11, Precision.PART_OF_MONTH), (31, Precision.MONTH),
                             (92, Precision.QUARTER), (184, Precision.HALF)):
        if days <= limit:
            return precision
    return Precision.YEAR
