"""Find people and characters by the names fans actually type.

Fans write ``Nam-ra``, ``namra``, ``Choi Nam Ra`` or ``최남라`` for the same girl, and misspell the rest, so
every name, Hangul spelling and alias is reduced once to a key without case, spaces, hyphens or
punctuation, and queries are reduced the same way. Fuzzy scores come from rapidfuzz; a prefix bonus makes
half-typed names (autocomplete is called on every keystroke) rank above accidental look-alikes.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.cards import truncate
from bot.show.errors import UnknownEntry
from bot.show.model import Character, Credit, Person, Show

log = logging.getLogger(__name__)

Entry = Person | Character
EntryKind = Literal["person", "character"]

GOOD_SCORE = 72.0
"""Below this a match is only a guess: the cog should say "did you mean …" rather than answer."""
GIVEN_NAME_SCORE = 75.0
"""When a query's family name is exactly an entry's, its given name must score this much too (or be its start).

Without it the shared surname carries the score: "Park Seo-joon" matched Lomon (alias Park Solomon) at 82 and
"Lee Min-ho" matched Lee Min-goo at 82, though their given names score 71 and 73. Real typos of a given name
score 80 and more ("Chan-yong" 94, "Yi Hyn" 91)."""
CHOICE_LIMIT = 100
"""Discord's limit for an autocomplete choice's name and value."""
_STRIP = re.compile(r"[\W_]+")
_ROMANISATION_VARIANTS = (("oo", "u"), ("ou", "u"), ("eo", "u"), ("ee", "i"))
"""Spellings of one Korean vowel that fans mix freely (Soo/Su, Hyuk/Hyeok, Young/Yong): folded when names are
compared part by part, so a variant is not mistaken for another name."""


def normalise(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, with everything but letters and digits removed."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True, slots=True)
class Match:
    """One search hit: who it is, how sure we are, and the credits it leads to."""

    kind: EntryKind
    entry: Entry
    score: float
    credits: tuple[Credit, ...]
    low_confidence: bool

    @property
    def value(self) -> str:
        """The autocomplete value that ``ShowIndex.resolve`` turns back into this entry."""
        return f"{self.kind}:{self.entry.id}"

    @property
    def name(self) -> str:
        return self.entry.name


class ShowIndex:
    """Search structures for one pack; build it once at start-up and share it."""

    def __init__(self, show: Show) -> None:
        self.show = show
        self._entries: list[tuple[EntryKind, Entry]] = [("person", p) for p in show.people]
        self._entries += [("character", c) for c in show.characters]
        self._credits: list[tuple[Credit, ...]] = []
        self._labels: list[str] = []
        self._rank: list[int] = []
        self._keys: list[str] = []
        self._owner: list[int] = []
        by_value: dict[str, int] = {}
        for i, (kind, entry) in enumerate(self._entries):
            credits = show.credits_for(person=entry.id) if kind == "person" else show.credits_for(character=entry.id)
            self._credits.append(credits)
            self._rank.append(show.credits.index(credits[0]) if credits else len(show.credits) + i)
            self._labels.append(self._label(kind, entry, credits))
            by_value[f"{kind}:{entry.id}"] = i
            for key in sorted(_keys_for(entry)):
                self._keys.append(key)
                self._owner.append(i)
        self._by_value = by_value
        self._default = self._default_choices()
        log.debug("indexed %d entries under %d keys for %s", len(self._entries), len(self._keys), show.id)

    # -- queries ----------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 5) -> list[Match]:
        """Best matches first. If nothing scores well, the closest few come back flagged ``low_confidence``."""
        q = normalise(query)
        if not q or limit <= 0:
            return []
        best = self._scores(q)
        tokens = query.split()
        if len(tokens) >= 2:
            best = {
                i: min(score, GOOD_SCORE - 1.0) if score >= GOOD_SCORE and self._other_given_name(i, tokens) else score
                for i, score in best.items()
            }
        ranked = sorted(best.items(), key=lambda item: (-item[1], self._rank[item[0]]))
        good = [(i, s) for i, s in ranked if s >= GOOD_SCORE]
        chosen = good[:limit] if good else ranked[:limit]
        return [self._match(i, s) for i, s in chosen]

    def autocomplete(self, query: str, limit: int = 25) -> list[tuple[str, str]]:
        """``(display name, value)`` pairs for Discord, at most ``limit`` (and never more than 25)."""
        limit = max(0, min(limit, 25))
        if not normalise(query):
            return self._default[:limit]
        return [(self._labels[self._by_value[m.value]], m.value) for m in self.search(query, limit)]

    def character_choices(self, query: str, limit: int = 25) -> list[tuple[str, str]]:
        """Choices for options that want a character: a typed actor's name offers the roles they play."""
        limit = max(0, min(limit, 25))
        if normalise(query):
            matches = self.search(query, limit)
        else:
            matches = [self._match(self._by_value[v], 100.0) for _, v in self._default]
        values: list[str] = []
        for match in matches:
            if match.kind == "character":
                values.append(match.value)
            else:
                values += [f"character:{c.character}" for c in match.credits if c.character]
        unique = [v for v in dict.fromkeys(values) if v in self._by_value]
        return [(self._labels[self._by_value[v]], v) for v in unique][:limit]

    def resolve(self, value: str) -> Match:
        """Turn an autocomplete value (or a name typed without picking one) back into its entry.

        Raises ``UnknownEntry`` with the closest names when nothing matches well enough to act on.
        """
        index = self._by_value.get(value)
        if index is not None:
            return self._match(index, 100.0)
        matches = self.search(value, limit=3)
        decisive = len(normalise(value)) >= 3 or (bool(matches) and matches[0].score == 100.0)
        if matches and not matches[0].low_confidence and decisive:
            return matches[0]
        raise UnknownEntry(value, tuple(m.name for m in matches))

    def label(self, match: Match) -> str:
        """How an entry is shown in a choice list: name, Hangul and who plays whom."""
        return self._labels[self._by_value[match.value]]

    # -- internals --------------------------------------------------------------------------------

    def _scores(self, q: str) -> dict[int, float]:
        best: dict[int, float] = {}
        for key, score, position in process.extract(q, self._keys, scorer=fuzz.ratio, limit=None):
            if key.startswith(q):
                score = max(score, 85.0 + 15.0 * len(q) / len(key))
            elif len(q) >= 3 and q in key:
                score = max(score, 75.0 + 15.0 * len(q) / len(key))
            owner = self._owner[position]
            if score > best.get(owner, -1.0):
                best[owner] = score
        return best

    def _other_given_name(self, index: int, tokens: list[str]) -> bool:
        """True when the entry has the query's family name but a clearly different given name: someone else."""
        family, given = _folded(tokens[0]), _folded(" ".join(tokens[1:]))
        same_family = False
        entry = self._entries[index][1]
        for name in (entry.name, *entry.aliases):
            parts = name.split()
            if len(parts) < 2 or _folded(parts[0]) != family:
                continue
            rest = _folded(" ".join(parts[1:]))
            if not given or rest.startswith(given) or fuzz.ratio(given, rest) >= GIVEN_NAME_SCORE:
                return False
            same_family = True
        return same_family

    def _match(self, index: int, score: float) -> Match:
        kind, entry = self._entries[index]
        return Match(
            kind=kind,
            entry=entry,
            score=round(score, 1),
            credits=self._credits[index],
            low_confidence=score < GOOD_SCORE,
        )

    def _label(self, kind: EntryKind, entry: Entry, credits: tuple[Credit, ...]) -> str:
        own = f"{entry.name} ({entry.hangul})" if entry.hangul else entry.name
        if kind == "person":
            others = [self.show.character(c.character) for c in credits if c.character]
            names = list(dict.fromkeys(o.name for o in others if o is not None))
            label = f"{own} as {', '.join(names)}" if names else own
        else:
            players = [self.show.person(c.person) for c in credits]
            names = list(dict.fromkeys(p.name for p in players if p is not None))
            label = f"{own}, played by {', '.join(names)}" if names else own
        return truncate(label, CHOICE_LIMIT)

    def _default_choices(self) -> list[tuple[str, str]]:
        """Everyone in billing order (main cast of the first season first), one choice per person."""
        seen: list[int] = []
        for credit in self.show.credits:
            index = self._by_value[f"person:{credit.person}"]
            if index not in seen:
                seen.append(index)
        return [(self._labels[i], f"person:{self._entries[i][1].id}") for i in seen][:25]


def _folded(text: str) -> str:
    folded = normalise(text)
    for variant, common in _ROMANISATION_VARIANTS:
        folded = folded.replace(variant, common)
    return folded


def _keys_for(entry: Entry) -> set[str]:
    """Every spelling an entry answers to, including the given name alone (fans say ``Nam-ra``)."""
    names = [entry.name, *entry.aliases]
    if entry.hangul:
        names.append(entry.hangul)
    keys = {normalise(n) for n in names}
    for name in names:
        parts = name.split()
        if len(parts) > 1:
            keys.update(normalise(p) for p in parts[1:])
            keys.add(normalise(" ".join(parts[1:])))
    if entry.hangul and len(entry.hangul) == 3 and not entry.hangul.isascii():
        keys.add(entry.hangul[1:])
    return {k for k in keys if k}
