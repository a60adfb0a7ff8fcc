"""Read and validate a show pack (TOML) into a ``Show``.

Packs are edited by hand, often by a community moderator rather than a developer, so every mistake has to
be reported as one line naming the file, the key path (``characters[3].aliases``) and what is wrong, and
unknown keys are errors: a misspelt ``alliases`` would otherwise silently lose data. Loading reads a file,
so call it at start-up (or through ``asyncio.to_thread``), never inside a running command.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.show.errors import ShowPackError
from bot.show.model import (
    BEAT_KINDS,
    BILLINGS,
    CREDIT_KINDS,
    CREDIT_STATUSES,
    PRECISIONS,
    RELEASE_STATUSES,
    Arc,
    Beat,
    Character,
    Credit,
    Episode,
    Fate,
    Person,
    ReleaseClock,
    ReleaseReport,
    ReleaseStatus,
    Season,
    Show,
    Source,
)

log = logging.getLogger(__name__)

RECAP_MIN_WORDS = 80
RECAP_MAX_WORDS = 200
DESCRIPTION_MAX_CHARS = 200
NAME_MAX_CHARS = 80
ID_MAX_CHARS = 60
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_T = TypeVar("_T")


def word_count(text: str) -> int:
    """Words as a reader counts them: spoiler markers are not words."""
    return len(text.replace("||", " ").split())


def bundled_packs() -> list[str]:
    """Names of the packs shipped inside the package, for error messages and settings help."""
    folder = resources.files("bot.show") / "packs"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_show(name_or_path: str) -> Show:
    """Load a bundled pack by name (``all-of-us-are-dead``) or a community's own ``.toml`` file by path."""
    if name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ShowPackError(str(path), "", f"cannot read the file ({error.strerror or error})") from error
        return parse_show(text, str(path))
    if not _ID.match(name_or_path):
        raise ShowPackError(name_or_path, "", "not a pack name (lowercase-with-hyphens) or a path to a .toml file")
    resource = resources.files("bot.show") / "packs" / f"{name_or_path}.toml"
    shown = f"bot/show/packs/{name_or_path}.toml"
    if not resource.is_file():
        available = ", ".join(bundled_packs()) or "none"
        raise ShowPackError(shown, "", f"no bundled pack called {name_or_path!r} (available: {available})")
    return parse_show(resource.read_text(encoding="utf-8"), shown)


def parse_show(text: str, file: str = "<string>") -> Show:
    """Parse and validate pack text; ``file`` is only used to name the source in errors."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ShowPackError(file, "", f"not valid TOML: {error}") from error
    show = _Reader(file).show(raw)
    log.debug("loaded show pack %s from %s", show.id, file)
    return show


class _Reader:
    """Walks the raw TOML with the key path at hand, so every error can say exactly where it is."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, problem: str) -> ShowPackError:
        return ShowPackError(self.file, key, problem)

    # -- primitives -------------------------------------------------------------------------------

    def table(self, raw: object, key: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(key, f"expected a table, got {_kind(raw)}")
        required = tuple(required)
        allowed = set(required) | set(optional)
        for name in raw:
            if name not in allowed:
                raise self.fail(_join(key, name), f"unknown key (allowed here: {', '.join(sorted(allowed))})")
        for name in required:
            if name not in raw:
                raise self.fail(_join(key, name), "missing required key")
        return cast(dict[str, Any], raw)

    def array(self, raw: object, key: str) -> list[Any]:
        if not isinstance(raw, list):
            raise self.fail(key, f"expected an array, got {_kind(raw)}")
        return raw

    def text(self, raw: object, key: str, *, one_line: bool = False, max_chars: int | None = None) -> str:
        if not isinstance(raw, str):
            raise self.fail(key, f"expected a string, got {_kind(raw)}")
        value = raw.strip()
        if not value:
            raise self.fail(key, "must not be empty")
        if one_line and "\n" in value:
            raise self.fail(key, "must be a single line")
        if max_chars is not None and len(value) > max_chars:
            raise self.fail(key, f"is {len(value)} characters, at most {max_chars} allowed")
        if value.count("||") % 2:
            raise self.fail(key, "has an unbalanced spoiler marker '||'")
        return value

    def integer(self, raw: object, key: str, *, minimum: int = 1) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise self.fail(key, f"expected an integer, got {_kind(raw)}")
        if raw < minimum:
            raise self.fail(key, f"must be at least {minimum}, got {raw}")
        return raw

    def day(self, raw: object, key: str) -> date:
        if isinstance(raw, datetime):
            raise self.fail(key, "expected a date (YYYY-MM-DD), got a date-time")
        if isinstance(raw, date):
            return raw
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise self.fail(key, f"bad date {raw!r} (expected YYYY-MM-DD)") from None
        raise self.fail(key, f"expected a date (YYYY-MM-DD), got {_kind(raw)}")

    def choice(self, raw: object, key: str, options: tuple[_T, ...]) -> _T:
        if raw not in options:
            raise self.fail(key, f"must be one of {', '.join(map(str, options))}; got {raw!r}")
        return raw

    def hangul(self, raw: object, key: str) -> str:
        value = self.text(raw, key, one_line=True, max_chars=NAME_MAX_CHARS)
        if not _HANGUL.search(value):
            raise self.fail(key, f"{value!r} contains no Hangul")
        return value

    def ident(self, raw: object, key: str) -> str:
        value = self.text(raw, key, one_line=True, max_chars=ID_MAX_CHARS)
        if not _ID.match(value):
            raise self.fail(key, f"id {value!r} must be lowercase letters/digits joined by hyphens")
        return value

    def strings(self, raw: object, key: str) -> tuple[str, ...]:
        items = self.array(raw, key)
        values = tuple(
            self.text(item, f"{key}[{i}]", one_line=True, max_chars=NAME_MAX_CHARS) for i, item in enumerate(items)
        )
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value.casefold() in seen:
                raise self.fail(f"{key}[{i}]", f"duplicate entry {value!r}")
            seen.add(value.casefold())
        return values

    def items(self, raw: object, key: str, read: Callable[[object, str], _T]) -> tuple[_T, ...]:
        return tuple(read(item, f"{key}[{i}]") for i, item in enumerate(self.array(raw, key)))

    def unique(self, values: Iterable[tuple[str, object]], what: str) -> None:
        seen: dict[object, str] = {}
        for key, value in values:
            if value in seen:
                raise self.fail(key, f"duplicate {what} {value!r} (already used at {seen[value]})")
            seen[value] = key

    # -- pack sections ----------------------------------------------------------------------------

    def show(self, raw: dict[str, Any]) -> Show:
        top = self.table(raw, "", ("show", "seasons", "people", "characters", "credits"), ("arcs", "next_season"))
        head = self.table(
            top["show"], "show", ("id", "title", "title_ko", "network"), ("release_time", "release_timezone")
        )
        seasons = self.items(top["seasons"], "seasons", self.season)
        people = self.items(top["people"], "people", self.person)
        characters = self.items(top["characters"], "characters", self.character)
        credits = self.items(top["credits"], "credits", self.credit)
        arcs = self.items(top.get("arcs", []), "arcs", self.arc)
        next_season = self.release(top["next_season"], "next_season") if "next_season" in top else None

        self.unique(((f"seasons[{i}].number", s.number) for i, s in enumerate(seasons)), "season number")
        self.unique(((f"people[{i}].id", p.id) for i, p in enumerate(people)), "person id")
        self.unique(((f"characters[{i}].id", c.id) for i, c in enumerate(characters)), "character id")
        self.unique(((f"credits[{i}]", (c.season, c.person, c.character)) for i, c in enumerate(credits)), "credit")
        self.unique(((f"arcs[{i}]", (a.character, a.season)) for i, a in enumerate(arcs)), "arc")
        self.cross_check(seasons, people, characters, credits, arcs, next_season)
        return Show(
            id=self.ident(head["id"], "show.id"),
            title=self.text(head["title"], "show.title", one_line=True),
            title_ko=self.hangul(head["title_ko"], "show.title_ko"),
            network=self.text(head["network"], "show.network", one_line=True),
            seasons=seasons,
            people=people,
            characters=characters,
            credits=credits,
            arcs=arcs,
            next_season=next_season,
            release_clock=self.release_clock(head),
        )

    def release_clock(self, head: dict[str, Any]) -> ReleaseClock | None:
        """The platform's release time of day and its zone: both or neither (a time without a zone means nothing)."""
        if "release_time" not in head and "release_timezone" not in head:
            return None
        if "release_time" not in head or "release_timezone" not in head:
            missing = "show.release_time" if "release_time" not in head else "show.release_timezone"
            raise self.fail(missing, "give both release_time and release_timezone, or neither")
        raw = head["release_time"]
        if isinstance(raw, time):
            at = raw
        elif isinstance(raw, str) and re.fullmatch(r"\d{2}:\d{2}", raw.strip()):
            try:
                at = time.fromisoformat(raw.strip())
            except ValueError:
                raise self.fail("show.release_time", f"bad time {raw!r} (expected HH:MM, 24-hour)") from None
        else:
            raise self.fail("show.release_time", f'expected a time of day like "00:00", got {raw!r}')
        if at.tzinfo is not None:
            raise self.fail("show.release_time", "give the time without an offset; release_timezone says the zone")
        zone = self.text(head["release_timezone"], "show.release_timezone", one_line=True)
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(
                "show.release_timezone", f"unknown time zone {zone!r} (an IANA name, like America/Los_Angeles)"
            ) from None
        return ReleaseClock(time=at, timezone=zone)

    def season(self, raw: object, key: str) -> Season:
        t = self.table(raw, key, ("number", "overview"), ("release_date", "episodes", "notes"))
        episodes = self.items(t.get("episodes", []), f"{key}.episodes", self.episode)
        for i, episode in enumerate(episodes):
            if episode.number != i + 1:
                raise self.fail(
                    f"{key}.episodes[{i}].number", f"episodes must be numbered 1, 2, 3… in order; got {episode.number}"
                )
        return Season(
            number=self.integer(t["number"], f"{key}.number"),
            overview=self.text(t["overview"], f"{key}.overview"),
            release_date=self.day(t["release_date"], f"{key}.release_date") if "release_date" in t else None,
            episodes=episodes,
            notes=tuple(
                self.text(n, f"{key}.notes[{i}]") for i, n in enumerate(self.array(t.get("notes", []), f"{key}.notes"))
            ),
        )

    def episode(self, raw: object, key: str) -> Episode:
        t = self.table(raw, key, ("number", "release_date", "recap"))
        recap = self.text(t["recap"], f"{key}.recap")
        words = word_count(recap)
        if not RECAP_MIN_WORDS <= words <= RECAP_MAX_WORDS:
            raise self.fail(f"{key}.recap", f"recap is {words} words; it must be {RECAP_MIN_WORDS}–{RECAP_MAX_WORDS}")
        return Episode(
            number=self.integer(t["number"], f"{key}.number"),
            release_date=self.day(t["release_date"], f"{key}.release_date"),
            recap=recap,
        )

    def person(self, raw: object, key: str) -> Person:
        t = self.table(raw, key, ("id", "name"), ("hangul", "aliases"))
        return Person(
            id=self.ident(t["id"], f"{key}.id"),
            name=self.text(t["name"], f"{key}.name", one_line=True, max_chars=NAME_MAX_CHARS),
            hangul=self.hangul(t["hangul"], f"{key}.hangul") if "hangul" in t else None,
            aliases=self.strings(t.get("aliases", []), f"{key}.aliases"),
        )

    def character(self, raw: object, key: str) -> Character:
        t = self.table(raw, key, ("id", "name", "description"), ("hangul", "aliases", "fates"))
        return Character(
            id=self.ident(t["id"], f"{key}.id"),
            name=self.text(t["name"], f"{key}.name", one_line=True, max_chars=NAME_MAX_CHARS),
            description=self.text(
                t["description"], f"{key}.description", one_line=True, max_chars=DESCRIPTION_MAX_CHARS
            ),
            hangul=self.hangul(t["hangul"], f"{key}.hangul") if "hangul" in t else None,
            aliases=self.strings(t.get("aliases", []), f"{key}.aliases"),
            fates=self.items(t.get("fates", []), f"{key}.fates", self.fate),
        )

    def fate(self, raw: object, key: str) -> Fate:
        t = self.table(raw, key, ("season", "text"))
        return Fate(season=self.integer(t["season"], f"{key}.season"), text=self.text(t["text"], f"{key}.text"))

    def source(self, raw: object, key: str, extra: Iterable[str] = ()) -> Source:
        t = self.table(raw, key, ("outlet", *extra), ("date", "url"))
        url = self.text(t["url"], f"{key}.url", one_line=True) if "url" in t else None
        if url is not None and not url.startswith(("https://", "http://")):
            raise self.fail(f"{key}.url", f"expected an http(s) URL, got {url!r}")
        return Source(
            outlet=self.text(t["outlet"], f"{key}.outlet", one_line=True),
            date=self.day(t["date"], f"{key}.date") if "date" in t else None,
            url=url,
        )

    def credit(self, raw: object, key: str) -> Credit:
        required = ("season", "person", "billing", "kind", "status", "sources")
        t = self.table(raw, key, required, ("character", "note", "weak"))
        sources = self.items(t["sources"], f"{key}.sources", self.source)
        if not sources:
            raise self.fail(f"{key}.sources", "a credit needs at least one source")
        weak = t.get("weak", False)
        if not isinstance(weak, bool):
            raise self.fail(f"{key}.weak", f"expected true or false, got {weak!r}")
        status = self.choice(t["status"], f"{key}.status", CREDIT_STATUSES)
        if weak and status != "reported":
            raise self.fail(f"{key}.weak", "only a reported credit can rest on a weak source")
        return Credit(
            season=self.integer(t["season"], f"{key}.season"),
            person=self.ident(t["person"], f"{key}.person"),
            character=self.ident(t["character"], f"{key}.character") if "character" in t else None,
            billing=self.choice(t["billing"], f"{key}.billing", BILLINGS),
            kind=self.choice(t["kind"], f"{key}.kind", CREDIT_KINDS),
            status=status,
            sources=sources,
            note=self.text(t["note"], f"{key}.note") if "note" in t else None,
            weak=weak,
        )

    def arc(self, raw: object, key: str) -> Arc:
        t = self.table(raw, key, ("character", "season", "beats"))
        beats = self.items(t["beats"], f"{key}.beats", self.beat)
        if not beats:
            raise self.fail(f"{key}.beats", "an arc needs at least one beat")
        for i in range(1, len(beats)):
            if beats[i].episode < beats[i - 1].episode:
                raise self.fail(f"{key}.beats[{i}].episode", "beats must be in episode order")
        return Arc(
            character=self.ident(t["character"], f"{key}.character"),
            season=self.integer(t["season"], f"{key}.season"),
            beats=beats,
        )

    def beat(self, raw: object, key: str) -> Beat:
        t = self.table(raw, key, ("episode", "text"), ("kind",))
        return Beat(
            episode=self.integer(t["episode"], f"{key}.episode"),
            text=self.text(t["text"], f"{key}.text"),
            kind=self.choice(t.get("kind", "event"), f"{key}.kind", BEAT_KINDS),
        )

    def release(self, raw: object, key: str) -> ReleaseStatus:
        t = self.table(
            raw,
            key,
            ("season", "status", "precision", "summary", "as_of", "sources"),
            ("window_start", "window_end", "contradictions"),
        )
        start = self.day(t["window_start"], f"{key}.window_start") if "window_start" in t else None
        end = self.day(t["window_end"], f"{key}.window_end") if "window_end" in t else None
        if (start is None) != (end is None):
            raise self.fail(f"{key}.window_end", "give both window_start and window_end, or neither")
        if start is not None and end is not None and end < start:
            raise self.fail(f"{key}.window_end", f"window ends ({end}) before it starts ({start})")
        contradictions = self.array(t.get("contradictions", []), f"{key}.contradictions")
        return ReleaseStatus(
            season=self.integer(t["season"], f"{key}.season"),
            status=self.choice(t["status"], f"{key}.status", RELEASE_STATUSES),
            window_start=start,
            window_end=end,
            precision=self.choice(t["precision"], f"{key}.precision", PRECISIONS),
            summary=self.text(t["summary"], f"{key}.summary"),
            as_of=self.day(t["as_of"], f"{key}.as_of"),
            sources=self.items(t["sources"], f"{key}.sources", self.report),
            contradictions=tuple(self.text(c, f"{key}.contradictions[{i}]") for i, c in enumerate(contradictions)),
        )

    def report(self, raw: object, key: str) -> ReleaseReport:
        t = self.table(raw, key, ("outlet", "claim", "status"), ("date", "url"))
        return ReleaseReport(
            source=self.source({k: v for k, v in t.items() if k in ("outlet", "date", "url")}, key),
            claim=self.text(t["claim"], f"{key}.claim"),
            status=self.choice(t["status"], f"{key}.status", RELEASE_STATUSES),
        )

    def cross_check(
        self,
        seasons: tuple[Season, ...],
        people: tuple[Person, ...],
        characters: tuple[Character, ...],
        credits: tuple[Credit, ...],
        arcs: tuple[Arc, ...],
        next_season: ReleaseStatus | None,
    ) -> None:
        """Links between sections: everything a credit, fate or arc points at must exist."""
        by_number = {s.number: s for s in seasons}
        person_ids = {p.id for p in people}
        character_ids = {c.id for c in characters}
        for i, character in enumerate(characters):
            for j, fate in enumerate(character.fates):
                if fate.season not in by_number:
                    raise self.fail(f"characters[{i}].fates[{j}].season", f"no season {fate.season} in this pack")
        for i, credit in enumerate(credits):
            if credit.season not in by_number:
                raise self.fail(f"credits[{i}].season", f"no season {credit.season} in this pack")
            if credit.person not in person_ids:
                raise self.fail(f"credits[{i}].person", f"unknown person {credit.person!r} (not in [[people]])")
            if credit.character is not None and credit.character not in character_ids:
                raise self.fail(
                    f"credits[{i}].character", f"unknown character {credit.character!r} (not in [[characters]])"
                )
        for i, arc in enumerate(arcs):
            if arc.character not in character_ids:
                raise self.fail(f"arcs[{i}].character", f"unknown character {arc.character!r}")
            season = by_number.get(arc.season)
            if season is None:
                raise self.fail(f"arcs[{i}].season", f"no season {arc.season} in this pack")
            for j, beat in enumerate(arc.beats):
                if season.episode(beat.episode) is None:
                    raise self.fail(
                        f"arcs[{i}].beats[{j}].episode",
                        f"season {arc.season} has no episode {beat.episode} (it has {len(season.episodes)} episode(s))",
                    )
        if next_season is not None and next_season.season not in by_number:
            raise self.fail("next_season.season", f"no season {next_season.season} in this pack")


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _kind(value: object) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
