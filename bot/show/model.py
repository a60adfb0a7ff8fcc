"""The shape of a show pack: everything ``/cast`` and ``/recap`` (and later the countdown) read.

All types are frozen so one loaded ``Show`` can be shared by every command and the search index without
anyone mutating it mid-request. Ids (``park-ji-hu``, ``nam-on-jo``) are the stable keys that credits and
arcs point at; display names and aliases may change between pack versions without breaking those links.
Text fields may mark spoiler spans with Discord's ``||`` markers; renderers decide whether to keep them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

CreditKind = Literal["returning", "new"]
CreditStatus = Literal["confirmed", "reported"]
Billing = Literal["main", "supporting", "guest"]
BeatKind = Literal["event", "death", "turn", "fate"]
ReleaseStatusKind = Literal["confirmed", "reported", "rumoured"]
Precision = Literal["day", "month", "quarter", "half", "year"]

CREDIT_KINDS: tuple[CreditKind, ...] = ("returning", "new")
CREDIT_STATUSES: tuple[CreditStatus, ...] = ("confirmed", "reported")
BILLINGS: tuple[Billing, ...] = ("main", "supporting", "guest")
BEAT_KINDS: tuple[BeatKind, ...] = ("event", "death", "turn", "fate")
RELEASE_STATUSES: tuple[ReleaseStatusKind, ...] = ("confirmed", "reported", "rumoured")
PRECISIONS: tuple[Precision, ...] = ("day", "month", "quarter", "half", "year")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a claim comes from, so a moderator can check it and fans can judge how firm it is."""

    outlet: str
    date: date | None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Episode:
    number: int
    release_date: date
    recap: str


@dataclass(frozen=True, slots=True)
class Season:
    number: int
    overview: str
    release_date: date | None = None
    episodes: tuple[Episode, ...] = ()
    notes: tuple[str, ...] = ()

    def episode(self, number: int) -> Episode | None:
        return next((e for e in self.episodes if e.number == number), None)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    hangul: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fate:
    """How a character ends a season; always a spoiler."""

    season: int
    text: str


@dataclass(frozen=True, slots=True)
class Character:
    id: str
    name: str
    description: str
    hangul: str | None = None
    aliases: tuple[str, ...] = ()
    fates: tuple[Fate, ...] = ()

    def fate(self, season: int) -> Fate | None:
        return next((f for f in self.fates if f.season == season), None)


@dataclass(frozen=True, slots=True)
class Credit:
    """One person playing (or reported to play) one character in one season.

    ``character`` is ``None`` when a report names an actor without saying whom they play. ``weak`` marks a
    reported credit that rests on a weak source alone (a blog, an aggregator), so fans are told how little
    backs it rather than reading it like any other press report.
    """

    season: int
    person: str
    character: str | None
    billing: Billing
    kind: CreditKind
    status: CreditStatus
    sources: tuple[Source, ...]
    note: str | None = None
    weak: bool = False


@dataclass(frozen=True, slots=True)
class Beat:
    episode: int
    text: str
    kind: BeatKind = "event"

    @property
    def spoiler(self) -> bool:
        """Deaths, turns and fates are what a latecomer must not read by accident."""
        return self.kind != "event"


@dataclass(frozen=True, slots=True)
class Arc:
    character: str
    season: int
    beats: tuple[Beat, ...]


@dataclass(frozen=True, slots=True)
class ReleaseReport:
    """One outlet's claim about when the next season arrives."""

    source: Source
    claim: str
    status: ReleaseStatusKind


@dataclass(frozen=True, slots=True)
class ReleaseStatus:
    """What is known about the next season's release, shaped for the countdown to seed from.

    ``window_start``/``window_end`` bound the window the reports point at (both ``None`` when nobody has
    even guessed); ``precision`` says how fine the claims are, so a countdown never shows days to a date
    that is really "some time in the first half of the year". A confirmed premiere is ``status="confirmed"``,
    ``precision="day"`` and ``window_start == window_end``.
    """

    season: int
    status: ReleaseStatusKind
    window_start: date | None
    window_end: date | None
    precision: Precision
    summary: str
    as_of: date
    sources: tuple[ReleaseReport, ...]
    contradictions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReleaseClock:
    """When the platform puts a season out on its release day: the time of day in the platform's own zone.

    Netflix releases at 00:00 US Pacific; the countdown's premiere event starts then, converted for the day
    (so summer and winter time are both right).
    """

    time: time
    timezone: str  # an IANA zone name, checked by the loader


@dataclass(frozen=True, slots=True)
class Show:
    id: str
    title: str
    title_ko: str
    network: str
    seasons: tuple[Season, ...]
    people: tuple[Person, ...]
    characters: tuple[Character, ...]
    credits: tuple[Credit, ...]
    arcs: tuple[Arc, ...]
    next_season: ReleaseStatus | None = None
    release_clock: ReleaseClock | None = None
    _people_by_id: dict[str, Person] = field(init=False, repr=False, compare=False)
    _characters_by_id: dict[str, Character] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_people_by_id", {p.id: p for p in self.people})
        object.__setattr__(self, "_characters_by_id", {c.id: c for c in self.characters})

    def season(self, number: int) -> Season | None:
        return next((s for s in self.seasons if s.number == number), None)

    def person(self, person_id: str) -> Person | None:
        return self._people_by_id.get(person_id)

    def character(self, character_id: str) -> Character | None:
        return self._characters_by_id.get(character_id)

    def credits_for(
        self, *, person: str | None = None, character: str | None = None, season: int | None = None
    ) -> tuple[Credit, ...]:
        """Credits in billing order (pack order), filtered by whichever ids are given."""
        return tuple(
            c
            for c in self.credits
            if (person is None or c.person == person)
            and (character is None or c.character == character)
            and (season is None or c.season == season)
        )

    def arc(self, character: str, season: int) -> Arc | None:
        return next((a for a in self.arcs if a.character == character and a.season == season), None)
