"""The reader's shortcut: a clause skips only the date patterns it could never match."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.release.patterns import NEEDED_STRINGS, PATTERN_NEEDS, PATTERNS
from bot.release.prefilter import DIGIT, needs, present

DEVSET = Path(__file__).resolve().parents[3] / "bench" / "release" / "devset"


def _sentences() -> list[str]:
    texts = [json.loads(line)["text"] for path in sorted(DEVSET.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Plus the shapes a news headline takes in other hands: casing, no-break spaces, digits alone.
    return texts + [t.upper() for t in texts] + [t.lower() for t in texts]


def test_a_pattern_that_matches_always_finds_what_it_needs() -> None:
    """Every match of every date pattern in 1,400 news sentences holds one of the strings its pattern needs,
    so skipping a pattern whose strings are absent never hides a date from a fan's countdown."""
    checked = 0
    for text in _sentences():
        there = present(NEEDED_STRINGS, text.lower(), any(ch.isdigit() for ch in text))
        for (kind, pattern), required in zip(PATTERNS, PATTERN_NEEDS, strict=True):
            if pattern.search(text):
                checked += 1
                assert required is None or not required.isdisjoint(there), (kind, pattern.pattern[:80], text)
    assert checked > 1000


def test_needs_come_only_from_parts_every_match_has() -> None:
    """Optional words and look-arounds are not required; alternatives are; a digit class needs a digit."""
    assert needs(re.compile(r"(?:on\s+)?(?P<d>\d{1,2})\s+(?:Dec|Jan)")) == frozenset({"dec", "jan"})
    assert needs(re.compile(r"(?<!season )(?P<y>20\d\d)")) == frozenset({"20"})
    assert needs(re.compile(r"(?P<d>[0-3]?\d)\s*(?P<m>\d+)")) == frozenset({DIGIT})
    assert needs(re.compile(r"(?:next\s+)?(?:week)?")) is None
