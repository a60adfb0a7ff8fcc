"""Whether a date in a clause is the next season's release, and how sure the sentence is of it.

A wrong countdown is worse than none, so each check in ``about_release`` can only turn a date down: a
bound or negation next to it, a non-release word nearer than the release word, another season number, or
another show closer to it than ours. ``sentence_status`` never drops a date; it only says how sure the writer is.
"""

from __future__ import annotations

import re

from bot.release.claims import Status
from bot.release.patterns import (
    BACK_REFERENCE,
    BOUND_AFTER,
    BOUND_BEFORE,
    EXCLUDE,
    EXCLUDE_ADJACENT,
    GENERIC_TITLE_END,
    HEDGE,
    KO_NEGATION,
    NEGATION_AFTER,
    NEGATION_BEFORE,
    NETFLIX_OFFICIAL,
    NOT_A_TITLE_END,
    OFFICIAL,
    QUOTED_TITLE,
    RELEASE,
    REPORTED,
    SEASON_MENTION,
    SMALL_WORDS,
    STATEMENT_DATE,
    TITLE_NUMBER,
    TITLE_SEASON,
)
from bot.release.windows import Found

# How far before a date (or release word) its qualifiers ("not before", "photos released") are looked for.
_NEAR = 60


def _is_ours(title: str, names: re.Pattern[str]) -> bool:
    return names.search(title) is not None


def _other_show_spans(clause: str, names: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, length) of titles in the clause that are some other show."""
    positions: list[tuple[int, int]] = []
    for match in TITLE_SEASON.finditer(clause):
        title = match.group("title")
        last = title.split()[-1].lower().strip(":")
        if not _is_ours(title, names) and last not in GENERIC_TITLE_END:
            positions.append((match.start(), len(match.group(0))))
    for match in TITLE_NUMBER.finditer(clause):
        title = match.group("title")
        last = title.split()[-1].lower()
        if last not in NOT_A_TITLE_END and not _is_ours(title, names):
            positions.append((match.start(), len(match.group(0))))
    for match in QUOTED_TITLE.finditer(clause):
        title = match.group("title").strip()
        words = title.split()
        titled = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in SMALL_WORDS for w in words)
        korean = any("\uac00" <= ch <= "\ud7a3" for ch in title)
        if (titled or korean) and len(words) <= 6 and not _is_ours(title, names):
            positions.append((match.start(), len(match.group(0))))
    return positions


def _distance(found: Found, position: int, length: int = 0) -> int:
    if position + length <= found.begin:
        return found.begin - (position + length)
    if position >= found.end:
        return position - found.end
    return 0


def _nearest(found: Found, pattern: re.Pattern[str], clause: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(clause))
    return min(matches, key=lambda m: _distance(found, m.start(), len(m.group(0)))) if matches else None


def _span_distance(found: Found, match: re.Match[str]) -> int:
    return _distance(found, match.start(), len(match.group(0)))


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


def about_release(found: Found, previous_end: int, clause: str, names: re.Pattern[str], next_season: int) -> bool:
    """Whether a date in this clause is the next season's release, judged only by the words around it.

    Negations and bounds count only between the previous date and this one, so "won't arrive in 2026
    and is now expected in early 2027" keeps the second date.
    """
    before, after = clause[previous_end : found.begin], clause[found.end :]
    near = before[-_NEAR:]
    if BOUND_BEFORE.search(near) or BOUND_AFTER.match(after) or STATEMENT_DATE.search(near):
        return False
    if NEGATION_BEFORE.search(before) or NEGATION_AFTER.match(after) or KO_NEGATION.search(clause):
        return False
    release = _nearest(found, RELEASE, clause)
    if release is None or EXCLUDE_ADJACENT.search(clause[max(0, release.start() - _NEAR) : release.start()]):
        return False
    exclude = _nearest(found, EXCLUDE, clause)
    if exclude is not None and _span_distance(found, exclude) <= _span_distance(found, release):
        return False
    seasons = [(_distance(found, m.start(), len(m.group(0))), _season_number(m, next_season))
               for m in SEASON_MENTION.finditer(clause)]
    if seasons and min(seasons)[1] != next_season:
        return False
    ours = [(m.start(), len(m.group(0))) for m in names.finditer(clause)]
    others = _other_show_spans(clause, names)
    if not ours:
        return not others and BACK_REFERENCE.search(clause) is not None
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


def sentence_status(sentence: str) -> Status | None:
    """The writer's attribution: hedges beat reports, reports beat official words; None when silent."""
    if HEDGE.search(sentence):
        return Status.RUMOURED
    without_netflix = NETFLIX_OFFICIAL.sub(" ", sentence)
    if without_netflix != sentence:
        return Status.CONFIRMED if not REPORTED.search(without_netflix) else Status.REPORTED
    if REPORTED.search(sentence):
        return Status.REPORTED
    if OFFICIAL.search(sentence):
        return Status.CONFIRMED
    return None
