"""What a date pattern cannot match without, so a clause can skip the patterns it has no chance with.

The reader runs some 150 date patterns of five languages over every clause; most clauses hold no Spanish month,
no Korean 월, no "semester". Each pattern is read once, at import, into the strings of which the text must hold
at least one (lower-cased; ``DIGIT`` for "some digit"), taken only from the parts every match must contain, so
skipping a pattern whose strings are absent never loses a match. Patterns with no such part always run.

Reading a pattern uses ``re._parser``, the parser the ``re`` module itself compiles with (stable since Python
3.11, where it replaced ``sre_parse``); if it ever fails on a pattern, that pattern simply always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

DIGIT = "\\d"
Needs = frozenset[str] | None  # None: nothing known to be required


def _best(options: Iterable[Needs]) -> Needs:
    """Of several requirements that all hold, the most selective: the one whose shortest string is longest."""
    known = [o for o in options if o]
    if not known:
        return None
    return max(known, key=lambda needs: (min(len(s) for s in needs), -len(needs)))


def _sequence(items: Any) -> Needs:
    """Required strings of a sequence: runs of literal characters, or the best required sub-item."""
    options: list[Needs] = []
    run = ""
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            run += chr(value).lower()
            continue
        if run:
            options.append(frozenset({run}))
            run = ""
        options.append(_item(name, value))
    if run:
        options.append(frozenset({run}))
    return _best(options)


def _item(name: str, value: Any) -> Needs:
    if name == "SUBPATTERN":
        return _sequence(value[-1])
    if name == "BRANCH":
        branches = [_sequence(branch) for branch in value[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*(b for b in branches if b is not None))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, inner = value
        return _sequence(inner) if low >= 1 else None
    if name == "IN" and all(str(op) == "CATEGORY" and str(arg) == "CATEGORY_DIGIT" for op, arg in value):
        return frozenset({DIGIT})
    if name == "IN" and all((str(op) == "RANGE" and chr(arg[0]).isdigit() and chr(arg[1]).isdigit())
                            or (str(op) == "LITERAL" and chr(arg).isdigit()) for op, arg in value):
        return frozenset({DIGIT})
    return None  # anchors, look-arounds, character classes, back-references: not relied on


def needs(pattern: re.Pattern[str]) -> Needs:
    """The strings (lower-cased) of which a text must contain one for ``pattern`` to match; None if unknown."""
    try:
        parsed = re._parser.parse(pattern.pattern, pattern.flags)  # type: ignore[attr-defined]
    except Exception:  # a pattern the parser reads differently: always run it
        return None
    return _sequence(list(parsed))


def present(strings: Iterable[str], lowered: str, has_digit: bool) -> frozenset[str]:
    """Which of the required strings a clause (lower-cased) holds; checked once per clause, not per pattern."""
    found = {s for s in strings if s != DIGIT and s in lowered}
    if has_digit:
        found.add(DIGIT)
    return frozenset(found)
