"""Turn a news headline and summary into release claims for one show.

News about an unreleased season is full of dates that are not its release: filming and wrap dates, the
first season's premiere, other shows, birthdays, viewing weeks, denials. A wrong countdown is worse than
none, so the reader keeps a date only when, within its sentence and clause, it sits closer to a release
word than to anything else, the show (or a plain reference back to it) is the subject, and no negation,
bound ("before", "not until") or other season number is attached to it. Anything doubtful yields no claim.

Pure and deterministic: all patterns are compiled once at import (``patterns``); no I/O, no clock
(relative phrases are resolved against the article's publish date in ``windows``). The words around each
date are weighed in ``judging``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date, timedelta

from bot.release.claims import ReleaseClaim, Source, Status
from bot.release.judging import about_release, sentence_status
from bot.release.patterns import (
    CLAUSE_SPLIT,
    DISMISSED,
    LEADING_SUBCLAUSE,
    MONTH_ABBREVIATION_DOT,
    SENTENCE_SPLIT,
    SPACES,
)
from bot.release.windows import Window, find_windows

__all__ = ["Window", "parse_window", "read_claims"]

log = logging.getLogger(__name__)

_FUTURE_LIMIT = timedelta(days=365 * 6)
# Headline and summary fit well inside this; longer input is cut so one huge item cannot stall the feed loop.
_MAX_TEXT = 4000


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


def _name_pattern(show_names: Sequence[str]) -> re.Pattern[str]:
    names = sorted({_normalise(n).strip() for n in show_names if n.strip()}, key=len, reverse=True)
    if not names:
        raise ValueError("at least one show name is needed")
    alternatives = "|".join(SPACES.sub(r"\\s+", re.escape(n).replace(r"\ ", " ")) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def read_claims(
    text: str,
    published: date,
    show_names: Sequence[str],
    *,
    source: Source | None = None,
    next_season: int = 2,
) -> list[ReleaseClaim]:
    """Release claims for the show's next season found in ``text`` (headline and summary together).

    ``published`` anchors year-less and relative dates. Claims come in text order without duplicates;
    ``best_claim`` picks one per article. ``source`` defaults to the text's first line as the title.
    """
    names = _name_pattern(show_names)
    text = text[:_MAX_TEXT]
    sentences = _sentences(text)
    if not sentences or not any(names.search(s) for s in sentences):
        return []
    if DISMISSED.search(text):
        return []  # an article calling some date fake is no place to pick one up
    source = source or Source(title=sentences[0][:200], outlet="", url="", published=published)
    headline_status = sentence_status(sentences[0])
    claims: list[ReleaseClaim] = []
    for sentence in sentences:
        status = sentence_status(sentence) or headline_status or Status.RUMOURED
        if sentence.endswith("?"):
            status = Status.RUMOURED  # a headline asking is not telling
        for clause in _clauses(sentence):
            previous_end = 0
            for found in find_windows(clause, published):
                window, start_of_segment, previous_end = found.window, previous_end, found.end
                if window is None or window.end < published or window.start > published + _FUTURE_LIMIT:
                    continue
                if not about_release(found, start_of_segment, clause, names, next_season):
                    continue
                claim = ReleaseClaim(window.start, window.end, window.precision, status, source,
                                     show_names[0])
                if claim not in claims:
                    claims.append(claim)
    log.debug("read %d claim(s) from %r", len(claims), text[:80])
    return claims


def parse_window(words: str, today: date) -> Window | None:
    """A moderator's window in words ("early December 2026", "Q1 2027") as one window, or None.

    Unlike ``read_claims`` there is no context to judge: the whole text must be one date phrase.
    """
    phrase = _normalise(words).strip().rstrip(".")
    found = find_windows(phrase, today)
    if len(found) != 1 or found[0].window is None:
        return None
    leftover = (phrase[: found[0].begin] + phrase[found[0].end :]).strip(" ,")
    if leftover and leftover.lower() not in ("in", "on", "the", "between", "sometime in"):
        return None
    return found[0].window
