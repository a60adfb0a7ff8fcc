"""What a date phrase means as a window of days, before anything around it is judged.

Each pattern kind (``patterns.PATTERNS``) has one resolver in ``RESOLVERS``; the language modules capture
words in shared group names and ``lexicon`` turns any language's word into its meaning, so one resolver
serves all five languages. Year-less and relative phrases are resolved against the article's publish date,
never the clock, so reading an old article gives the answer it gave when it was new; without a publish date
they resolve to nothing rather than to a guessed year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, TypeAlias

from bot.release.claims import Precision, month_end
from bot.release.lexicon import half_of, is_next, month_number, part_of, quarter_of, season_of, weekday_number
from bot.release.patterns import AND, BETWEEN, FROM, JOINER, NEEDED_STRINGS, PATTERN_NEEDS, PATTERNS
from bot.release.prefilter import present

# How far back a year-less date may point before it is read as next year's rather than as a past date.
_PAST_GRACE = timedelta(days=120)
# How recent a date of last year must be to be read as that (past) date rather than this year's.
_RECENT = timedelta(days=31)


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
    window: Window | None  # None: a date the reader recognised but cannot place (no year, no publish date)
    kind: str = ""
    groups: tuple[tuple[str, str], ...] = ()
    yearless: bool = False  # the year came from the publish date, not from the text


# What ``re.Match.groupdict()`` gives: a group's text, or None where the group did not take part.
Groups: TypeAlias = dict[str, str | Any]
Resolver: TypeAlias = Callable[[Groups, date | None], Window | None]


def _whole_months(year: int, first: int, last: int, precision: Precision) -> Window:
    return Window(date(year, first, 1), month_end(year, last), precision)


def _next_occurrence(month: int, day: int | None, published: date | None) -> date | None:
    """A year-less date: this year's if not past, next year's if long past, None if recently past."""
    if published is None:
        return None
    try:
        candidate = date(published.year, month, day or 1)
    except ValueError:
        return None
    last_day = candidate if day else month_end(candidate.year, candidate.month)
    if last_day >= published:
        previous = date(published.year - 1, month, min(day or 1, 28))
        if day and published - previous <= _RECENT:
            return None  # "released on December 26" in an article of January 5: just past, not next year's
        return candidate
    if published - last_day <= _PAST_GRACE:
        return None
    try:
        return date(published.year + 1, month, day or 1)
    except ValueError:
        return None


def _year(g: Groups, published: date | None) -> int | None:
    """The written year, or this/next year against the publish date; None when neither is known."""
    if g.get("y"):
        return int(g["y"])
    if g.get("ry") and published is not None:
        return published.year + (1 if is_next(g["ry"]) else 0)
    return None


def _part_of_month(qualifier: str, year: int, month: int) -> Window:
    part = part_of(qualifier) or "late"
    first, last = {"early": (1, 10), "mid": (11, 20)}.get(part, (21, month_end(year, month).day))
    return Window(date(year, month, first), date(year, month, last), Precision.PART_OF_MONTH)


def part_of_year(qualifier: str, year: int) -> Window:
    part = part_of(qualifier) or "late"
    first, last = {"early": (1, 4), "mid": (5, 8)}.get(part, (9, 12))
    return _whole_months(year, first, last, Precision.HALF)


def _next_window(make: Callable[[int], Window], published: date) -> Window:
    """The first of last year's, this year's or next year's window that has not ended at ``published``."""
    for year in (published.year - 1, published.year, published.year + 1):
        window = make(year)
        if window.end >= published:
            return window
    return make(published.year + 1)


def _season_of(name: str, year: int) -> Window:
    season = season_of(name) or "summer"
    if season == "winter":
        return Window(date(year, 12, 1), month_end(year + 1, 2), Precision.SEASON)
    first = {"spring": 3, "summer": 6, "fall": 9}[season]
    return _whole_months(year, first, first + 2, Precision.SEASON)


def _iso(g: Groups, published: date | None) -> Window | None:
    try:
        day = date(int(g["y"]), int(g["mo"]), int(g["d"]))
    except ValueError:
        return None
    return Window(day, day, Precision.EXACT)


def _numeric(g: Groups, published: date | None) -> Window | None:
    """12/4 or 4/12: read only when one reading is impossible (a part above 12) or both agree.

    ``dmy`` patterns (German "4.12.2026") are unambiguous by the language's own convention.
    """
    a, b = int(g["a"]), int(g["b"])
    both = {(m, d) for m, d in ((a, b), (b, a)) if 1 <= m <= 12 and 1 <= d <= 31}
    readings = {(b, a)} if g.get("dmy") else both
    if len(readings) != 1:
        return None
    month, day = readings.pop()
    if g.get("y"):
        y = int(g["y"])
        year = y + 2000 if y < 100 else y
        try:
            exact = date(year, month, day)
        except ValueError:
            return None
        return Window(exact, exact, Precision.EXACT)
    anchor = _next_occurrence(month, day, published)
    return None if anchor is None else Window(anchor, anchor, Precision.EXACT)


def _days_of_month(g: Groups, published: date | None, first: int, last: int) -> Window | None:
    month = month_number(g["m"])
    if last < first:
        return None
    if g.get("y") or g.get("ry"):
        year: int | None = _year(g, published)
    else:
        anchor = _next_occurrence(month, first if first == last else None, published)
        year = None if anchor is None else anchor.year
    if year is None:
        return None
    try:
        start, end = date(year, month, first), date(year, month, last)
    except ValueError:
        return None
    return Window(start, end, Precision.EXACT if start == end else Precision.PART_OF_MONTH)


def _exact_day(g: Groups, published: date | None) -> Window | None:
    day = int(g["d"])
    return _days_of_month(g, published, day, day)


def _day_range(g: Groups, published: date | None) -> Window | None:
    return _days_of_month(g, published, int(g["d1"]), int(g["d2"]))


def _month_year(g: Groups, published: date | None) -> int | None:
    """The year of a named month: the one written, else the month's next occurrence (None if just past)."""
    if g.get("y") or g.get("ry"):
        return _year(g, published)
    anchor = _next_occurrence(month_number(g["m"]), None, published)
    return None if anchor is None else anchor.year


def _part_month(g: Groups, published: date | None) -> Window | None:
    year = _month_year(g, published)
    return None if year is None else _part_of_month(g["q"], year, month_number(g["m"]))


def _whole_month(g: Groups, published: date | None) -> Window | None:
    year = _month_year(g, published)
    if year is None:
        return None
    month = month_number(g["m"])
    return _whole_months(year, month, month, Precision.MONTH)


def _half(g: Groups, published: date | None) -> Window | None:
    half = half_of(g["h"])
    if half is None:
        return None

    def make(year: int) -> Window:
        return _whole_months(year, 7 if half == 2 else 1, 12 if half == 2 else 6, Precision.HALF)

    return _in_year(g, published, make)


def _in_year(g: Groups, published: date | None, make: Callable[[int], Window]) -> Window | None:
    """A window of a year given, or (for "in H2", "in Q4") the next one not ended at the publish date."""
    year = _year(g, published)
    if year is not None:
        return make(year)
    if published is None or g.get("ry"):
        return None
    return _next_window(make, published)


def _quarter(g: Groups, published: date | None) -> Window | None:
    first = quarter_of(g["n"])
    last = quarter_of(g["n2"]) if g.get("n2") else first
    if first is None or last is None or last < first:
        return None
    precision = Precision.QUARTER if first == last else Precision.HALF
    return _in_year(g, published, lambda year: _whole_months(year, first * 3 - 2, last * 3, precision))


def _season(g: Groups, published: date | None) -> Window | None:
    name = g["s"]
    if g.get("y"):
        window = _season_of(name, int(g["y"]))
    elif published is None:
        return None
    elif g.get("ry") and is_next(g["ry"]):
        window = _season_of(name, published.year + 1)  # "next summer": the year after the article's
    else:
        window = _next_window(lambda year: _season_of(name, year), published)
    if g.get("s1"):  # "summer or fall 2026": the first season takes the second's year
        first = _season_of(g["s1"], window.start.year)
        if first.start > window.start:
            first = _season_of(g["s1"], window.start.year - 1)
        span = (window.end.year - first.start.year) * 12 + window.end.month - first.start.month + 1
        return Window(first.start, window.end, Precision.HALF if span <= 6 else Precision.YEAR)
    return window


def _year_part(g: Groups, published: date | None) -> Window | None:
    year = _year(g, published)
    return None if year is None else part_of_year(g["q"], year)


def _year_part_range(g: Groups, published: date | None) -> Window | None:
    year = _year(g, published)
    if year is None:
        return None
    first_part, last_part = part_of_year(g["q1"], year), part_of_year(g["q2"], year)
    if last_part.end < first_part.start:
        return None
    return Window(first_part.start, last_part.end, Precision.YEAR)


def _year_alone(g: Groups, published: date | None) -> Window | None:
    return _whole_months(int(g["y"]), 1, 12, Precision.YEAR)


def _today(g: Groups, published: date | None) -> Window | None:
    return None if published is None else Window(published, published, Precision.EXACT)


def _tomorrow(g: Groups, published: date | None) -> Window | None:
    if published is None:
        return None
    day = published + timedelta(days=1)
    return Window(day, day, Precision.EXACT)


def _weekday(g: Groups, published: date | None) -> Window | None:
    """"Friday"/"this Friday": the first on or after the publish date; "next Friday": the first after it."""
    if published is None:
        return None
    target = weekday_number(g["wd"])
    ahead = (target - published.weekday()) % 7
    if g.get("nx") and ahead == 0:
        ahead = 7
    day = published + timedelta(days=ahead)
    return Window(day, day, Precision.EXACT)


def _week(g: Groups, published: date | None) -> Window | None:
    if published is None:
        return None
    if g.get("nx"):
        monday = published + timedelta(days=7 - published.weekday())
        return Window(monday, monday + timedelta(days=6), Precision.PART_OF_MONTH)
    monday = published - timedelta(days=published.weekday())
    return Window(monday, monday + timedelta(days=6), Precision.PART_OF_MONTH)


def _month_relative(g: Groups, published: date | None) -> Window | None:
    if published is None:
        return None
    if g.get("nx"):
        first = month_end(published.year, published.month) + timedelta(days=1)
        return _whole_months(first.year, first.month, first.month, Precision.MONTH)
    end = month_end(published.year, published.month)
    if g.get("later"):
        return Window(published, end, Precision.MONTH)
    return _whole_months(published.year, published.month, published.month, Precision.MONTH)


def _year_relative(g: Groups, published: date | None) -> Window | None:
    """"later this year" runs from the publish date to December 31; "this/next year" is the whole year."""
    if published is None:
        return None
    if g.get("later"):
        return Window(published, date(published.year, 12, 31), Precision.YEAR)
    year = published.year + (1 if g.get("nx") else 0)
    return _whole_months(year, 1, 12, Precision.YEAR)


RESOLVERS: dict[str, Resolver] = {
    "iso": _iso,
    "numeric": _numeric,
    "range": _day_range,
    "exact": _exact_day,
    "part_month": _part_month,
    "month": _whole_month,
    "month_alone": _whole_month,
    "half": _half,
    "quarter": _quarter,
    "season": _season,
    "year_part": _year_part,
    "year_part_range": _year_part_range,
    "year": _year_alone,
    "today": _today,
    "tomorrow": _tomorrow,
    "weekday": _weekday,
    "week": _week,
    "month_relative": _month_relative,
    "year_relative": _year_relative,
}
_NEEDS_NO_YEAR = frozenset({"iso", "year", "today", "tomorrow", "weekday", "week", "month_relative",
                            "year_relative"})


def find_windows(clause: str, published: date | None) -> list[Found]:
    """Every date phrase in the clause with its window, in text order; alternatives joined into one."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    there = present(NEEDED_STRINGS, clause.lower(), any(ch.isdigit() for ch in clause))
    for (kind, pattern), required in zip(PATTERNS, PATTERN_NEEDS, strict=True):
        if required is not None and required.isdisjoint(there):
            continue  # the clause lacks every string this pattern must match
        resolve = RESOLVERS[kind]
        for match in pattern.finditer(clause):
            begin, end = match.span()
            if any(begin < t_end and t_begin < end for t_begin, t_end in taken):
                continue
            taken.append((begin, end))
            groups = {k: v for k, v in match.groupdict().items() if v}
            yearless = kind not in _NEEDS_NO_YEAR and not groups.get("y") and not groups.get("ry")
            # The phrase starts at its first word of date ("in 2026" at "2026"), so "before 2026" keeps
            # its "before" for the judging.
            first = min((match.start(name) for name in groups), default=begin)
            found.append(Found(first, end, resolve(groups, published), kind, tuple(groups.items()), yearless))
    found.sort(key=lambda f: f.begin)
    return _merge_alternatives(clause, found)


def _with_year(item: Found, year: int) -> Window | None:
    groups = dict(item.groups)
    groups["y"] = str(year)
    return RESOLVERS[item.kind](groups, None)


def _merge_alternatives(clause: str, found: list[Found]) -> list[Found]:
    """Join "late 2026 or early 2027", "November or December 2026" and "between X and Y" into one window."""
    merged: list[Found] = []
    for item in found:
        if merged:
            previous = merged[-1]
            gap = clause[previous.end : item.begin]
            moved = FROM.search(clause[: previous.begin]) is not None
            if JOINER.match(gap) and item.window and not moved and (previous.window or previous.yearless):
                first = previous.window
                if previous.yearless and not item.yearless:
                    first = _with_year(previous, item.window.start.year)
                    if first is not None and first.start > item.window.start:
                        first = _with_year(previous, item.window.start.year - 1)
                if first is not None and (not AND.match(gap) or BETWEEN.search(clause[: previous.begin])):
                    second = item.window
                    start, end = min(first.start, second.start), max(first.end, second.end)
                    precision = max(first.precision, second.precision, _precision_for(start, end), key=_rank)
                    if start.year != end.year and precision is not Precision.SEASON:
                        precision = Precision.YEAR
                    merged[-1] = replace(previous, end=item.end, window=Window(start, end, precision),
                                         yearless=False)
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
