"""The words of dates in the reader's five languages, and what each one means.

Month and weekday names come from dateparser's locale data (CLDR, maintained for 200 locales), so the
reader does not carry its own spelling lists; only the words dateparser has no notion of — "early",
"the second half", "fall", "this"/"next" — are listed here, each mapped to one meaning. Language modules
(``bot.release.languages``) build their date phrases from these names and capture the words in named
groups; the resolvers in ``windows`` turn any language's captured word into a number through this module.
"""

from __future__ import annotations

import calendar
import re
from functools import cache

from dateparser.languages import default_loader

LANGUAGES = ("en", "es", "de", "id")  # Korean dates are numeric ("12월 4일"): no names to load


def _locale_words(language: str, english_name: str) -> list[str]:
    words = default_loader.get_locale(language).info.get(english_name, [])
    return [str(word) for word in words]


def _names(english: list[str]) -> dict[str, int]:
    """Lower-cased name → number (1-based) across the languages; full names and abbreviations of 3+ letters."""
    table: dict[str, int] = {}
    for language in LANGUAGES:
        for number, name in enumerate(english, start=1):
            for word in _locale_words(language, name.lower()):
                if len(word) >= 3 and word.isalpha():
                    table.setdefault(word.lower(), number)
    return table


MONTHS: dict[str, int] = _names([calendar.month_name[i] for i in range(1, 13)])
MONTHS.update({"sept": 9, "setiembre": 9, "jänner": 1, "märz": 3, "mär": 3})
# Weekdays: 0 = Monday. Indonesian "minggu" is also "week"; the phrase patterns decide which is meant.
WEEKDAYS: dict[str, int] = {
    word: number - 1 for word, number in _names([calendar.day_name[i] for i in range(7)]).items()
}
WEEKDAYS.update({"jum'at": 4, "miercoles": 2, "sabado": 5, "sonnabend": 5})
WEEKDAYS.update({f"{name}요일": number for number, name in enumerate("월화수목금토일")})


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def month_names(language: str, *, abbreviations: bool = True) -> str:
    """A regex alternation of the language's month names, longest first (no group, no boundaries)."""
    words: list[str] = []
    for number in range(1, 13):
        for word in _locale_words(language, calendar.month_name[number].lower()):
            if word.isalpha() and (len(word) > 3 or (abbreviations and len(word) == 3)):
                words.append(word)
    return _alternation(words)


def weekday_names(language: str) -> str:
    """A regex alternation of the language's full weekday names."""
    words = [w for i in range(7) for w in _locale_words(language, calendar.day_name[i].lower()) if len(w) > 3]
    return _alternation(words)


def month_number(name: str) -> int:
    """The number of a month named in any of the languages ("Dec", "diciembre", "Dezember", "12월")."""
    key = name.lower().rstrip(".").removesuffix("월").strip()
    if key.isdigit():
        return int(key)
    if key in MONTHS:
        return MONTHS[key]
    return MONTHS[key[:3]]


def weekday_number(name: str) -> int:
    """0 for Monday … 6 for Sunday, from a weekday named in any of the languages."""
    key = name.lower()
    if key in WEEKDAYS:
        return WEEKDAYS[key]
    for word, number in WEEKDAYS.items():
        if key.startswith(word) or word.startswith(key):
            return number
    raise KeyError(name)


# Meaning words: each key is looked for as a whole word (or, for Korean, as a part) in the captured text.
_PART: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mid", ("mid", "middle", "mediados", "mitad", "mitte", "pertengahan", "tengah", "medio", "중순", "중반")),
    ("early", ("early", "beginning", "start", "principios", "principio", "inicios", "inicio", "comienzos",
               "comienzo", "primeros", "primeras", "anfang", "beginn", "awal", "초", "연초", "상순", "front", "earlier",
               "permulaan")),
    ("late", ("late", "later", "end", "finales", "final", "fines", "fin", "ende", "akhir", "말", "연말", "하순",
              "latter", "tail", "penghujung", "pengujung", "ujung", "últimos", "últimas", "ultimos")),
)
_HALF: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2, ("second", "2nd", "latter", "back", "segundo", "segunda", "zweiten", "zweite", "kedua", "ii", "2", "h2",
         "하반기")),
    (1, ("first", "1st", "front", "primer", "primera", "primero", "ersten", "erste", "pertama", "i", "1", "h1",
         "상반기")),
)
_QUARTER: tuple[tuple[int, tuple[str, ...]], ...] = (
    (4, ("fourth", "4th", "final", "last", "cuarto", "vierten", "viertes", "vierte", "vierter", "letzten", "letzte",
         "letztes", "keempat", "iv", "4", "q4",
         "terakhir", "último", "ultimo")),
    (3, ("third", "3rd", "tercer", "tercero", "dritten", "drittes", "dritte", "dritter", "ketiga", "iii", "3", "q3")),
    (2, ("second", "2nd", "segundo", "zweiten", "zweites", "zweite", "zweiter", "kedua", "ii", "2", "q2")),
    (1, ("first", "1st", "primer", "primero", "ersten", "erstes", "erste", "erster", "pertama", "i", "1", "q1")),
)
_SEASON: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("spring", ("spring", "primavera", "frühling", "frühjahr", "semi", "봄")),
    ("summer", ("summer", "verano", "sommer", "panas", "여름")),
    ("fall", ("fall", "autumn", "otoño", "herbst", "gugur", "가을")),
    ("winter", ("winter", "invierno", "dingin", "겨울")),
)
_NEXT = ("next", "coming", "following", "próximo", "próxima", "que viene", "entrante", "nächsten", "nächstes",
         "nächste",
         "kommenden", "kommendes", "kommende", "folgenden", "neuen", "depan", "mendatang", "내년", "다음", "오는")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w']+", text.lower()))


def _lookup(text: str, table: tuple[tuple[object, tuple[str, ...]], ...]) -> object | None:
    words = _words(text)
    lowered = text.lower()
    for meaning, keys in table:
        for key in keys:
            if key in words or (not key.isascii() and key in lowered):
                return meaning
    return None


@cache
def part_of(text: str) -> str | None:
    """"early", "mid" or "late" for a qualifier in any language ("a finales de" → "late")."""
    found = _lookup(text, _PART)
    return found if isinstance(found, str) else None


@cache
def half_of(text: str) -> int | None:
    """1 or 2 for a half named in any language ("segundo semestre" → 2)."""
    found = _lookup(text, _HALF)
    return found if isinstance(found, int) else None


@cache
def quarter_of(text: str) -> int | None:
    """1–4 for a quarter named in any language ("dritten Quartal" → 3)."""
    found = _lookup(text, _QUARTER)
    return found if isinstance(found, int) else None


@cache
def season_of(text: str) -> str | None:
    """"spring", "summer", "fall" or "winter" for a season named in any language."""
    found = _lookup(text, _SEASON)
    return found if isinstance(found, str) else None


@cache
def is_next(text: str) -> bool:
    """Whether a relative word points to the next period ("el próximo año", "tahun depan", "내년")."""
    lowered = text.lower()
    words = _words(text)
    return any(key in words or ((" " in key or not key.isascii()) and key in lowered) for key in _NEXT)
