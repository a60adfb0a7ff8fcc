"""Whether a date in a clause is the show's release, and how sure the sentence is of it.

A wrong countdown is worse than none, so each check in ``judge`` can only turn a date down: an upper bound
or negation next to it, a non-release word nearer than the release word, a release already past, another
season number, or another show closer to it than ours. A lower bound ("not before 2027") is kept as an
open window. ``sentence_status`` never drops a date; it only says how sure the writer is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from bot.release.claims import Status
from bot.release.lexicon import WEEKDAYS
from bot.release.patterns import (
    AFTER_BEFORE,
    ASIDE,
    BACK_REFERENCE,
    DISMISSAL,
    EXCLUDE,
    EXCLUDE_ADJACENT,
    EXCLUDED_BEFORE_DATE,
    EXCLUDED_SUBJECT,
    FESTIVAL_VENUE,
    GENERIC_TITLE_END,
    HEDGE,
    LOWER_AFTER,
    LOWER_BEFORE,
    NEGATION,
    NEGATION_AFTER,
    NOT,
    NOT_A_TITLE_END,
    OFFICIAL,
    PAST,
    PATTERNS,
    PLATFORM_OFFICIAL,
    QUOTED_TITLE,
    RELEASE,
    REPORTED,
    SEASON_MENTION,
    SMALL_WORDS,
    SOURCE_LEAD,
    SPEECH,
    STATEMENT_AFTER,
    STATEMENT_BEFORE,
    TITLE_NUMBER,
    TITLE_SEASON,
    UPPER_AFTER,
    UPPER_BEFORE,
    VENUE,
)
from bot.release.titles import known_titles
from bot.release.windows import Found

WEEKDAY_BEFORE = re.compile(r"(?i:\b(?:on|this|next|last|every|since|by|until|from|each)\s+)$")

# How far before a date (or release word) its qualifiers ("not before", "photos released") are looked for.
_NEAR = 60


class Verdict(Enum):
    """What a date in its clause is: the release's window, a lower bound on it, or nothing to keep."""

    WINDOW = "window"
    LOWER_BOUND = "lower_bound"  # from the window's first day on: "not before late 2026"
    AFTER = "after"  # from the day after the window: "after 2026"


# Headline labels before a colon that name no source ("Confirmed: …", "Estreno: 4 de diciembre").
_HEADLINE_LABELS = frozenset({
    "confirmed", "official", "breaking", "exclusive", "update", "watch", "report", "rumour", "rumor", "estreno",
    "fecha", "confirmado", "oficial", "tráiler", "bestätigt", "offiziell", "start", "termin", "resmi", "jadwal",
    "tayang", "rilis", "release date", "premiere date", "date",
})  # fmt: skip


def _is_source(lead: str, names: re.Pattern[str] | None) -> bool:
    """Whether a headline's "Name:" lead is a source: not the platform, a title or a date ("Next Friday:")."""
    if PLATFORM_OFFICIAL.match(lead + " said") or known_titles().fullmatch(lead):
        return False
    if lead.lower() in _HEADLINE_LABELS or EXCLUDE.search(lead):
        return False  # "Confirmed:", "Neuer Teaser:": a label, not a source
    if names is not None and names.search(lead):
        return False
    return not any(pattern.search(lead) for _, pattern in PATTERNS)


def _is_ours(title: str, names: re.Pattern[str]) -> bool:
    return names.search(title) is not None


def other_show_spans(text: str, names: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, length) of titles in the text that are some other show."""
    positions: list[tuple[int, int]] = []
    for match in TITLE_SEASON.finditer(text):
        title = match.group("title")
        last = title.split()[-1].lower().strip(":")
        if not _is_ours(title, names) and last not in GENERIC_TITLE_END:
            positions.append((match.start(), len(match.group(0))))
    for match in TITLE_NUMBER.finditer(text):
        title = match.group("title")
        last = title.split()[-1].lower()
        if last not in NOT_A_TITLE_END and not _is_ours(title, names):
            positions.append((match.start(), len(match.group(0))))
    for match in QUOTED_TITLE.finditer(text):
        title = match.group("title").strip()
        words = title.split()
        titled = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in SMALL_WORDS for w in words)
        korean = any("\uac00" <= ch <= "\ud7a3" for ch in title)
        guillemets = match.group(0).startswith("«")  # Spanish titles capitalise their first word only
        if (titled or korean or guillemets) and len(words) <= 6 and not _is_ours(title, names):
            positions.append((match.start(), len(match.group(0))))
    for match in known_titles().finditer(text):
        if WEEKDAY_BEFORE.search(text, 0, match.start()) and match.group(0).lower() in WEEKDAYS:
            continue  # "unveiled on Wednesday": the day, not the show
        if not _is_ours(match.group(0), names) and not names.search(text, max(0, match.start() - 40),
                                                                     match.end() + 40):
            positions.append((match.start(), len(match.group(0))))
    return positions


def _distance(found: Found, position: int, length: int = 0) -> int:
    if position + length <= found.begin:
        return found.begin - (position + length)
    if position >= found.end:
        return position - found.end
    return 0


Span = tuple[int, int]  # (start, end) of a match in its clause


@dataclass(frozen=True, slots=True)
class _Clause:
    """What a clause says once, however many dates it holds: "Part 1 on Dec 4, Part 2 on Jan 8 and the
    finale on Jan 15" asks for the same release words three times."""

    dismissed: bool
    release: tuple[Span, ...]
    exclude: tuple[Span, ...]
    past: tuple[Span, ...]
    asides: tuple[Span, ...]  # ", which premiered in 2022,": a relative clause between commas


@lru_cache(maxsize=256)
def _clause(clause: str) -> _Clause:
    def spans(pattern: re.Pattern[str]) -> tuple[Span, ...]:
        return tuple(m.span() for m in pattern.finditer(clause))

    asides = tuple(m.span() for m in ASIDE.finditer(clause))
    exclude = tuple(s for s in spans(EXCLUDE) if not _is_venue(clause, s))
    return _Clause(DISMISSAL.search(clause) is not None, spans(RELEASE), exclude, spans(PAST), asides)


def _is_venue(clause: str, span: Span) -> bool:
    """"Netflix confirmed it for Q1 2027 during its content showcase": the event is where it was said."""
    return VENUE.search(clause[max(0, span[0] - 40) : span[1]]) is not None


def _nearest(found: Found, spans: tuple[Span, ...]) -> Span | None:
    outside = [s for s in spans if s[1] <= found.begin or s[0] >= found.end]
    return min(outside, key=lambda s: _span_distance(found, s)) if outside else None


def _outside_asides(found: Found, spans: tuple[Span, ...], asides: tuple[Span, ...]) -> tuple[Span, ...]:
    """Words inside a relative clause that does not hold the date speak of something else ("the zombie hit,
    which topped the charts in 2022, returns on December 18")."""
    mine = [a for a in asides if a[0] <= found.begin and found.end <= a[1]]
    return tuple(s for s in spans if mine or not any(a[0] <= s[0] and s[1] <= a[1] for a in asides))


def _span_distance(found: Found, span: Span) -> int:
    return _distance(found, span[0], span[1] - span[0])


def _season_number(match: re.Match[str], next_season: int) -> int:
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "first": 1, "second": 2, "third": 3, "fourth": 4,
             "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
    for key in ("n", "s", "ko"):
        if match.group(key):
            return int(match.group(key))
    if match.group("wn"):
        return words[match.group("wn").lower()]
    if match.group("ord"):
        return words[match.group("ord").lower()]
    return next_season


def judge(found: Found, previous_end: int, clause: str, sentence: str, names: re.Pattern[str],
          next_season: int | None) -> Verdict | None:
    """Whether a date in this clause is the show's release, judged only by the words around it.

    Negations and bounds count only between the previous date and this one, so "won't arrive in 2026
    and is now expected in early 2027" keeps the second date.
    """
    before, after = clause[previous_end : found.begin], clause[found.end :]
    near = before[-_NEAR:]
    facts = _clause(clause)
    if facts.dismissed:
        return None  # "the December date is not true": nothing in the clause is to be believed
    past_window = AFTER_BEFORE.search(near) is not None
    lower = past_window or LOWER_BEFORE.search(near) is not None or LOWER_AFTER.match(after) is not None
    if not lower and UPPER_BEFORE.search(near) and NOT.search(after):
        lower = True  # "Before 2027 the series will not return" / "Vor 2027 wird sie nicht zurückkehren"
    if not lower:
        if UPPER_BEFORE.search(near) or UPPER_AFTER.match(after) or STATEMENT_BEFORE.search(near):
            return None
        if STATEMENT_AFTER.match(after) or EXCLUDED_BEFORE_DATE.search(clause[: found.begin]):
            return None
        if NEGATION.search(before) or NEGATION_AFTER.match(after):
            return None
    release = _nearest(found, facts.release)
    if release is None or EXCLUDE_ADJACENT.search(clause[max(0, release[0] - _NEAR) : release[0]]):
        return None
    if EXCLUDED_SUBJECT.search(clause[: release[0]]):
        return None  # "the trailer for season 2 will be released on …": the trailer is what is released
    exclude = _nearest(found, _outside_asides(found, facts.exclude, facts.asides))
    if exclude is not None and _span_distance(found, exclude) <= _span_distance(found, release):
        return None
    if FESTIVAL_VENUE.search(clause[max(0, found.begin - 60) : found.end + 60]):
        return None  # "premieres on October 5 at the Busan International Film Festival"
    if not lower and release[0] >= found.end and NOT.search(clause[found.end : release[0]]):
        return None  # "Im Juli wird die zweite Staffel nicht erscheinen": denied between the date and its verb
    past = _nearest(found, _outside_asides(found, facts.past, facts.asides))
    if past is not None and _span_distance(found, past) <= _span_distance(found, release):
        return None
    if next_season is not None:
        seasons = [(_distance(found, m.start(), len(m.group(0))), _season_number(m, next_season))
                   for m in SEASON_MENTION.finditer(clause)]
        if seasons and min(seasons)[1] != next_season:
            return None
    if not _about_the_show(found, clause, sentence, names):
        return None
    if past_window:
        return Verdict.AFTER
    return Verdict.LOWER_BOUND if lower else Verdict.WINDOW


def _about_the_show(found: Found, clause: str, sentence: str, names: re.Pattern[str]) -> bool:
    """A clause naming no show is about ours unless its sentence names only others; with both named,
    the nearest title decides."""
    ours = [(m.start(), len(m.group(0))) for m in names.finditer(clause)]
    others = other_show_spans(clause, names)
    if not ours:
        if others and all(start > found.end for start, _ in others):
            # "puts the return of the series in February, a month after 'Weak Hero'": the subject came first
            return BACK_REFERENCE.search(clause, 0, found.begin) is not None
        return not others and (names.search(sentence) is not None or not other_show_spans(sentence, names))
    if not others:
        return True
    return _subject_is_ours(found, ours, others)


def _subject_is_ours(found: Found, ours: list[tuple[int, int]], others: list[tuple[int, int]]) -> bool:
    """With two shows in a clause, the date belongs to the nearest one named before it ("X arrives in
    December"), or, when none comes before, to the nearest after it ("In December, X arrives")."""
    mentions = [(start, length, True) for start, length in ours] + [(s, n, False) for s, n in others]
    before = [m for m in mentions if m[0] < found.begin]
    pool = before or mentions
    nearest = min(pool, key=lambda m: _distance(found, m[0], m[1]))
    return nearest[2]


def forget() -> None:
    """Drop what was worked out about earlier clauses (benchmarks measure each article as new)."""
    _clause.cache_clear()
    sentence_status.cache_clear()


@lru_cache(maxsize=1024)
def sentence_status(sentence: str, names: re.Pattern[str] | None = None) -> Status | None:
    """The writer's attribution: the platform's own word, then a report, then the writer's hedge, then an
    official word; None when the text says nothing about how it knows. Attribution beats hedging: "could
    arrive, according to Star News" is reported."""
    if sentence.rstrip().endswith("?"):
        return Status.RUMOURED  # a headline asking is not telling
    lead = SOURCE_LEAD.match(sentence)
    if lead and _is_source(lead.group("source"), names):
        return Status.REPORTED
    without_platform = PLATFORM_OFFICIAL.sub(" ", sentence)
    if without_platform != sentence:
        return Status.REPORTED if REPORTED.search(SPEECH.sub(" ", without_platform)) else Status.CONFIRMED
    if REPORTED.search(sentence):
        return Status.REPORTED
    if HEDGE.search(sentence):
        return Status.RUMOURED
    if OFFICIAL.search(sentence):
        return Status.CONFIRMED
    return None
