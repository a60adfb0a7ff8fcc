"""Turn news text into release claims for one show: the reader behind the countdown and ``python -m bot.release``.

News about an unreleased season is full of dates that are not its release: filming and wrap dates, the
first season's premiere, other shows, birthdays, viewing weeks, denials. A wrong countdown is worse than
none, so the reader keeps a date only when, within its sentence and clause, it sits closer to a release
word than to anything else, the show is the subject (a sentence naming no show is about it; one naming only
other shows is not), and no negation, upper bound, past tense or other season number is attached to it. A
lower bound ("not before 2027") is kept as an open window. Anything doubtful yields no claim.

Pure and deterministic: all patterns are compiled once at import (``patterns``); no I/O, no clock. Year-less
and relative phrases are resolved against the article's publish date and give nothing without one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot.release.claims import Precision, ReleaseClaim, Source, Status
from bot.release.judging import Verdict, judge, sentence_status
from bot.release.patterns import (
    CLAUSE_SPLIT,
    LEADING_SUBCLAUSE,
    MONTH_ABBREVIATION_DOT,
    SENTENCE_SPLIT,
    SPACES,
    TEXT_DISMISSAL,
)
from bot.release.titles import aliases, known_titles
from bot.release.windows import Window, find_windows

__all__ = ["Reading", "Window", "names_of_show", "parse_window", "read", "read_claims"]

log = logging.getLogger(__name__)

_FUTURE_LIMIT = timedelta(days=365 * 6)
# Headline and summary fit well inside this; longer input is cut so one huge item cannot stall the feed loop.
_MAX_TEXT = 4000
_SUBTITLE = re.compile(r"\s+[-–—]\s+")  # "Money Heist: Korea - Joint Economic Area" → "Money Heist: Korea"
_SEASON_SUFFIX = re.compile(r"\s+(?i:season|시즌|temporada|staffel|musim)\s*\d+\s*$")


@dataclass(frozen=True, slots=True)
class Reading:
    """One claim as the reader's contract gives it: a window (``end`` None for "not before …"), its width
    and how sure the text is."""

    start: date
    end: date | None
    precision: Precision
    status: Status


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'")
    return MONTH_ABBREVIATION_DOT.sub(r"\1", text)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_SPLIT.split(_normalise(text)) if s and s.strip()]


def _clauses(sentence: str) -> list[str]:
    parts: list[str] = []
    lead = LEADING_SUBCLAUSE.match(sentence)
    if lead:
        parts.append(sentence[: lead.end()])
        sentence = sentence[lead.end() :]
    parts.extend(p for p in CLAUSE_SPLIT.split(sentence) if p and p.strip())
    return parts


def names_of_show(show: str | Sequence[str]) -> list[str]:
    """The names a show goes by in the news: those given, without a trailing "season 2", and its known
    titles in other languages."""
    given = [show] if isinstance(show, str) else list(show)
    names: list[str] = []
    for name in given:
        for variant in (name, _SEASON_SUFFIX.sub("", name), _SUBTITLE.split(name)[0]):
            for alias in (variant, *aliases(variant)):
                if alias.strip() and alias not in names:
                    names.append(alias)
    return names


@lru_cache(maxsize=256)
def _names_of(show: tuple[str, ...]) -> re.Pattern[str]:
    """The name pattern of a show, built once per show (a feed's items all name the same one)."""
    return _name_pattern(names_of_show(show))


def _name_pattern(names: Sequence[str]) -> re.Pattern[str]:
    cleaned = sorted({_normalise(n).strip() for n in names if n.strip()}, key=len, reverse=True)
    if not cleaned:
        raise ValueError("at least one show name is needed")
    alternatives = "|".join(SPACES.sub(r"\\s*", re.escape(n).replace(r"\ ", " ")) for n in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _kept(window: Window, verdict: Verdict, published: date | None) -> bool:
    if published is None:
        return True
    if window.end < published:
        return False  # a date already past is an earlier release, not the next one
    return verdict is not Verdict.WINDOW or window.start <= published + _FUTURE_LIMIT


def _title_spans(clause: str, names: re.Pattern[str]) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in names.finditer(clause)]
    spans.extend((m.start(), m.end()) for m in known_titles().finditer(clause))
    return spans


def _reading(window: Window, verdict: Verdict, status: Status) -> Reading:
    if verdict is Verdict.AFTER:
        return Reading(window.end + timedelta(days=1), None, window.precision, status)
    end = None if verdict is Verdict.LOWER_BOUND else window.end
    return Reading(window.start, end, window.precision, status)


def read(text: str, published: date | None, show: str | Sequence[str], *,
         next_season: int | None = None) -> list[Reading]:
    """Release claims for ``show`` found in ``text`` (a headline, a summary, or both), in text order.

    ``published`` anchors year-less and relative dates; without it only dates that carry their year are
    read. ``next_season`` (when known) turns down dates next to another season's number.
    """
    names = _names_of(tuple([show] if isinstance(show, str) else show))
    if TEXT_DISMISSAL.search(text[:_MAX_TEXT]):
        return []
    sentences = _sentences(text[:_MAX_TEXT])
    readings: list[Reading] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            titles = _title_spans(clause, names)
            previous_end = 0
            for found in find_windows(clause, published):
                if any(found.begin < end and begin < found.end for begin, end in titles):
                    continue  # "Wednesday season 2": a title, not a weekday
                start_of_segment, previous_end = previous_end, found.end
                window = found.window
                if window is None:
                    continue
                verdict = judge(found, start_of_segment, clause, sentence, names, next_season)
                if verdict is None or not _kept(window, verdict, published):
                    continue
                # Status last: most news has no date worth it, and attribution is the costliest question.
                status = (sentence_status(clause, names) or sentence_status(sentence, names)
                          or sentence_status(sentences[0], names) or Status.CONFIRMED)
                reading = _reading(window, verdict, status)
                if reading not in readings:
                    readings.append(reading)
    log.debug("read %d claim(s) from %r", len(readings), text[:80])
    return readings


def read_claims(
    text: str,
    published: date,
    show_names: Sequence[str],
    *,
    source: Source | None = None,
    next_season: int = 2,
) -> list[ReleaseClaim]:
    """The countdown's view of ``read``: claims with a closed window, from articles that name the show.

    A countdown follows whatever feeds its server subscribed to, so an article that never names the show
    is not taken to be about it; open lower bounds give no day to count down to and are left out.
    """
    names = _names_of(tuple(show_names))
    if not names.search(_normalise(text[:_MAX_TEXT])):
        return []
    source = source or Source(title=text.strip().splitlines()[0][:200] if text.strip() else "", outlet="",
                              url="", published=published)
    claims: list[ReleaseClaim] = []
    for reading in read(text, published, show_names, next_season=next_season):
        if reading.end is None:
            continue
        claim = ReleaseClaim(reading.start, reading.end, reading.precision, reading.status, source, show_names[0])
        if claim not in claims:
            claims.append(claim)
    return claims


def parse_window(words: str, today: date) -> Window | None:
    """A moderator's window in words ("early December 2026", "Q1 2027") as one window, or None.

    Unlike ``read`` there is no context to judge: the whole text must be one date phrase.
    """
    phrase = _normalise(words).strip().rstrip(".")
    found = find_windows(phrase, today)
    if len(found) != 1 or found[0].window is None:
        return None
    leftover = (phrase[: found[0].begin] + phrase[found[0].end :]).strip(" ,")
    if leftover and leftover.lower() not in ("in", "on", "the", "between", "sometime in"):
        return None
    return found[0].window
