"""German news through the release reader: the dates, bounds, distractors and attributions of the German-
language entertainment press, each row with the claims a fan would take from it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.release.claims import Precision, Status
from bot.release.reader import Reading, read

SHOW = "All of Us Are Dead"
OCT07 = date(2026, 10, 7)  # a Wednesday
NOV20 = date(2026, 11, 20)  # a Friday

C, RP, RU = Status.CONFIRMED, Status.REPORTED, Status.RUMOURED
EX, PM, MO = Precision.EXACT, Precision.PART_OF_MONTH, Precision.MONTH
SE, QU, HA, YE = Precision.SEASON, Precision.QUARTER, Precision.HALF, Precision.YEAR

Expected = tuple[str, str | None, Precision, Status]
Row = tuple[str, str, date | None, list[Expected]]


def _claims(text: str, published: date | None) -> list[Expected]:
    readings: list[Reading] = read(text, published, SHOW)
    return [(r.start.isoformat(), r.end.isoformat() if r.end else None, r.precision, r.status) for r in readings]


def _ids(rows: list[Row]) -> list[str]:
    return [row[0] for row in rows]


EXACT: list[Row] = [
    ("ordinal-day-month-year",
     "Die zweite Staffel startet am 4. Dezember 2026 auf Netflix.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("weekday-with-den-decorates-the-date",
     "„All of Us Are Dead“ kehrt am Freitag, den 4. Dezember 2026, zurück.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("numeric-day-first",
     "Die neuen Folgen erscheinen am 4.12.2026 weltweit.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("numeric-without-year-needs-the-article",
     "Die neuen Folgen sind ab dem 04.12. abrufbar.", OCT07,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("abbreviated-month-with-dot",
     "Die Fortsetzung kommt am 4. Dez. 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("year-less-date-takes-the-article-year",
     "Die zweite Staffel ist ab dem 18. Dezember verfügbar.", OCT07,
     [("2026-12-18", "2026-12-18", EX, C)]),
    ("year-less-date-rolls-into-next-year",
     "Die zweite Staffel erscheint am 22. Januar.", NOV20,
     [("2027-01-22", "2027-01-22", EX, C)]),
    ("year-less-date-without-article-date",
     "Die zweite Staffel erscheint am 22. Januar.", None,
     []),
    ("day-range",
     "Netflix zeigt die neuen Folgen vom 4. bis 6. Dezember 2026.", None,
     [("2026-12-04", "2026-12-06", PM, C)]),
    ("two-days-sharing-a-month",
     "Die Episoden starten am 4. und 18. Dezember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C), ("2026-12-18", "2026-12-18", EX, C)]),
    ("between-two-days",
     "Die Staffel erscheint zwischen dem 4. und 18. Dezember 2026.", None,
     [("2026-12-04", "2026-12-18", MO, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), EXACT, ids=_ids(EXACT))
def test_exact_days(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """A fan reading "am 4. Dezember 2026", "Freitag, den 4. Dezember" or "4.12.2026" gets that one day (the
    German ordinal dot does not end the sentence); without a year it needs the article's date."""
    assert _claims(text, published) == expected


WINDOWS: list[Row] = [
    ("month-with-year",
     "Die zweite Staffel läuft im Januar 2027 an.", None,
     [("2027-01-01", "2027-01-31", MO, C)]),
    ("month-alone-takes-next-occurrence",
     "Die zweite Staffel startet im Februar.", OCT07,
     [("2027-02-01", "2027-02-28", MO, C)]),
    ("early-month",
     "Die Fortsetzung kommt Anfang Dezember.", OCT07,
     [("2026-12-01", "2026-12-10", PM, C)]),
    ("mid-month-with-year",
     "Die Fortsetzung kommt Mitte Januar 2027.", None,
     [("2027-01-11", "2027-01-20", PM, C)]),
    ("end-of-month",
     "Die Fortsetzung kommt Ende Februar 2027.", None,
     [("2027-02-21", "2027-02-28", PM, C)]),
    ("early-year",
     "Die neuen Folgen erscheinen Anfang 2027.", None,
     [("2027-01-01", "2027-04-30", HA, C)]),
    ("middle-of-next-year",
     "Die neuen Folgen erscheinen Mitte nächsten Jahres.", OCT07,
     [("2027-05-01", "2027-08-31", HA, C)]),
    ("end-of-the-year",
     "Die Serie kehrt gegen Ende des Jahres zurück.", OCT07,
     [("2026-09-01", "2026-12-31", HA, C)]),
    ("year-end-noun",
     "Die Serie kehrt zum Jahresende zurück.", OCT07,
     [("2026-09-01", "2026-12-31", HA, C)]),
    ("second-half-of-year",
     "Die zweite Staffel erscheint in der zweiten Jahreshälfte 2027.", None,
     [("2027-07-01", "2027-12-31", HA, C)]),
    ("first-half-year-noun",
     "Die zweite Staffel erscheint im ersten Halbjahr 2027.", None,
     [("2027-01-01", "2027-06-30", HA, C)]),
    ("half-of-the-coming-year",
     "Die zweite Staffel erscheint in der ersten Hälfte des kommenden Jahres.", OCT07,
     [("2027-01-01", "2027-06-30", HA, C)]),
    ("third-quarter",
     "Die zweite Staffel startet im dritten Quartal 2027.", None,
     [("2027-07-01", "2027-09-30", QU, C)]),
    ("numbered-quarter",
     "Die zweite Staffel startet im 1. Quartal 2027.", None,
     [("2027-01-01", "2027-03-31", QU, C)]),
    ("two-quarters",
     "Die zweite Staffel startet im zweiten oder dritten Quartal 2027.", None,
     [("2027-04-01", "2027-09-30", HA, C)]),
    ("elliptical-quarter",
     "Die zweite Staffel startet im ersten Quartal 2027 oder im zweiten.", None,
     [("2027-01-01", "2027-06-30", HA, C)]),
    ("autumn-with-year",
     "Die zweite Staffel startet im Herbst 2027.", None,
     [("2027-09-01", "2027-11-30", SE, C)]),
    ("spring-word-fruehjahr",
     "Die zweite Staffel startet im Frühjahr 2027.", None,
     [("2027-03-01", "2027-05-31", SE, C)]),
    ("late-summer-is-summer",
     "Die zweite Staffel soll im Spätsommer 2027 erscheinen.", None,
     [("2027-06-01", "2027-08-31", SE, RU)]),
    ("start-of-the-year-noun",
     "Zum Jahresstart 2027 kommt die zweite Staffel.", None,
     [("2027-01-01", "2027-04-30", HA, C)]),
    ("winter-spanning-two-years",
     "Die zweite Staffel startet im Winter 2026/27.", None,
     [("2026-12-01", "2027-02-28", SE, C)]),
    ("summer-or-autumn",
     "Die zweite Staffel startet im Sommer oder Herbst 2027.", None,
     [("2027-06-01", "2027-11-30", HA, C)]),
    ("late-or-early-across-years",
     "Die zweite Staffel kommt Ende 2026 oder Anfang 2027.", None,
     [("2026-09-01", "2027-04-30", YE, C)]),
    ("mid-to-late-year",
     "Die zweite Staffel kommt Mitte bis Ende 2027.", None,
     [("2027-05-01", "2027-12-31", YE, C)]),
    ("two-months",
     "Die zweite Staffel kommt im November oder Dezember.", OCT07,
     [("2026-11-01", "2026-12-31", QU, C)]),
    ("between-two-months",
     "Die zweite Staffel kommt zwischen Oktober und Dezember 2026.", None,
     [("2026-10-01", "2026-12-31", QU, C)]),
    ("from-month-to-month",
     "Die zweite Staffel läuft von Oktober bis Dezember 2026 im Ersten.", None,
     [("2026-10-01", "2026-12-31", QU, C)]),
    ("beziehungsweise-joins-alternatives",
     "Die zweite Staffel kommt Ende 2026 bzw. Anfang 2027.", None,
     [("2026-09-01", "2027-04-30", YE, C)]),
    ("parts-of-two-months",
     "Die zweite Staffel kommt Ende November/Anfang Dezember.", OCT07,
     [("2026-11-21", "2026-12-10", MO, C)]),
    ("bare-year-after-the-verb",
     "Die zweite Staffel erscheint 2027.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("bare-year-after-the-subject",
     "Nach Angaben von Netflix startet die zweite Staffel 2027.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("bare-year-before-the-infinitive",
     "Die Fortsetzung soll die Serie 2027 erscheinen.", None,
     [("2027-01-01", "2027-12-31", YE, RU)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), WINDOWS, ids=_ids(WINDOWS))
def test_windows(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"Ende 2026", "im ersten Halbjahr", "im dritten Quartal" and "im Herbst" count down to the window the
    press means, not to a guessed day; "oder", "bis" and "zwischen" join two dates into one window."""
    assert _claims(text, published) == expected


RELATIVE: list[Row] = [
    ("later-this-year",
     "Die zweite Staffel erscheint noch in diesem Jahr.", OCT07,
     [("2026-10-07", "2026-12-31", YE, C)]),
    ("in-the-course-of-the-year",
     "Im Laufe des Jahres startet die zweite Staffel.", OCT07,
     [("2026-10-07", "2026-12-31", YE, C)]),
    ("next-year",
     "Die zweite Staffel erscheint nächstes Jahr.", OCT07,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("the-coming-year",
     "Die zweite Staffel erscheint im kommenden Jahr.", OCT07,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("next-month",
     "Die zweite Staffel startet nächsten Monat.", OCT07,
     [("2026-11-01", "2026-11-30", MO, C)]),
    ("next-week",
     "Die zweite Staffel startet nächste Woche.", OCT07,
     [("2026-10-12", "2026-10-18", PM, C)]),
    ("this-friday",
     "Die zweite Staffel startet diesen Freitag.", OCT07,
     [("2026-10-09", "2026-10-09", EX, C)]),
    ("on-friday",
     "„All of Us Are Dead“ startet am Freitag mit neuen Folgen.", OCT07,
     [("2026-10-09", "2026-10-09", EX, C)]),
    ("today",
     "Ab heute ist die zweite Staffel abrufbar.", OCT07,
     [("2026-10-07", "2026-10-07", EX, C)]),
    ("tomorrow",
     "Die zweite Staffel startet morgen.", OCT07,
     [("2026-10-08", "2026-10-08", EX, C)]),
    ("this-morning-is-no-tomorrow",
     "Heute Morgen startete der Vorverkauf, die Staffel selbst startet am Freitag.", OCT07,
     [("2026-10-09", "2026-10-09", EX, C)]),
    ("this-winter",
     "Die zweite Staffel startet diesen Winter.", OCT07,
     [("2026-12-01", "2027-02-28", SE, C)]),
    ("season-of-next-year",
     "Die zweite Staffel startet im Sommer nächsten Jahres.", OCT07,
     [("2027-06-01", "2027-08-31", SE, C)]),
    ("relative-without-article-date",
     "Die zweite Staffel startet nächsten Monat.", None,
     []),
    ("weekday-schedule-is-no-date",
     "Die Folgen laufen von Montag bis Freitag.", OCT07,
     []),
    ("last-friday-is-past",
     "Letzten Freitag startete der Vorverkauf, die Staffel selbst startet am Freitag.", OCT07,
     [("2026-10-09", "2026-10-09", EX, C)]),
    ("perfect-tense-friday-is-past",
     "Netflix hat am Freitag die zweite Staffel veröffentlicht.", OCT07,
     []),
    ("every-friday-is-no-date",
     "Neue Folgen erscheinen jeden Freitag.", OCT07,
     []),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), RELATIVE, ids=_ids(RELATIVE))
def test_relative_phrases(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"Nächstes Jahr", "nächste Woche", "diesen Freitag", "morgen" and "noch in diesem Jahr" are read against
    the article's date and give nothing without one; "heute Morgen" is no tomorrow."""
    assert _claims(text, published) == expected


BOUNDS: list[Row] = [
    ("at-the-earliest",
     "Die zweite Staffel kommt frühestens Ende 2026.", None,
     [("2026-09-01", None, HA, C)]),
    ("not-before",
     "„All of Us Are Dead“ wird nicht vor 2027 fortgesetzt.", None,
     [("2027-01-01", None, YE, C)]),
    ("erst-means-not-until",
     "Die zweite Staffel kommt erst im Frühjahr 2027.", None,
     [("2027-03-01", None, SE, C)]),
    ("after-a-year",
     "Die zweite Staffel kommt erst nach 2027.", None,
     [("2028-01-01", None, YE, C)]),
    ("waiting-until",
     "Fans müssen sich bis 2027 gedulden.", None,
     [("2027-01-01", None, YE, C)]),
    ("by-the-end-of",
     "Netflix will die zweite Staffel bis Ende 2026 veröffentlichen.", None,
     []),
    ("at-the-latest",
     "Die zweite Staffel soll spätestens im Frühjahr 2027 erscheinen.", None,
     []),
    ("before-the-summer",
     "Die zweite Staffel soll noch vor dem Sommer 2027 erscheinen.", None,
     []),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), BOUNDS, ids=_ids(BOUNDS))
def test_bounds(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"Frühestens", "nicht vor", "erst" and "nach" open a window with no end; "bis", "spätestens" and "vor"
    promise no date at all."""
    assert _claims(text, published) == expected


DISTRACTORS: list[Row] = [
    ("filming-start",
     "Die Dreharbeiten zur zweiten Staffel beginnen im Januar 2027 in Seoul.", None,
     []),
    ("filming-start-as-subject",
     "Der Drehstart ist für Januar 2027 geplant.", None,
     []),
    ("filming-then-release",
     "Die Dreharbeiten endeten im Mai; die Premiere ist für Dezember 2026 geplant.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("casting",
     "Im Januar 2027 stößt ein neuer Darsteller zum Ensemble.", None,
     []),
    ("birthday",
     "Der Hauptdarsteller feiert am 3. März 2027 seinen 30. Geburtstag.", None,
     []),
    ("military-service",
     "Der Schauspieler tritt im März 2027 seinen Wehrdienst an.", None,
     []),
    ("trailer-as-subject",
     "Der erste Trailer zur zweiten Staffel erscheint am 20. November.", OCT07,
     []),
    ("trailer-after-the-verb",
     "Am 20. November erscheint der erste Trailer zur zweiten Staffel.", OCT07,
     []),
    ("teaser-as-object",
     "Netflix veröffentlicht am Freitag einen neuen Teaser.", OCT07,
     []),
    ("festival-screening",
     "Die ersten Folgen laufen am 5. Oktober 2027 beim Filmfest Hamburg.", None,
     []),
    ("viewing-week",
     "Die Serie erreichte in der Woche vom 4. bis 10. Oktober Platz 1 der Charts.", OCT07,
     []),
    ("renewal",
     "Netflix hat die Serie im Juni 2022 um eine zweite Staffel verlängert.", None,
     []),
    ("past-simple",
     "Die erste Staffel startete am 28. Januar 2022 auf Netflix.", None,
     []),
    ("past-passive",
     "Die erste Staffel wurde am 28. Januar 2022 veröffentlicht.", None,
     []),
    ("past-verb-before-the-date",
     "Die erste Staffel feierte im Januar 2022 Premiere.", None,
     []),
    ("since-its-start",
     "Seit ihrem Start im Januar 2022 gehört die Serie zu den erfolgreichsten Netflix-Serien.", None,
     []),
    ("trailer-after-verb-and-subject",
     "Am 20. November 2026 veröffentlicht Netflix den offiziellen Trailer.", None,
     []),
    ("past-relative-clause",
     "Die erste Staffel, die im Januar 2022 veröffentlicht wurde, war ein Hit.", None,
     []),
    ("already-available-since",
     "Die erste Staffel ist seit Januar 2022 auf Netflix verfügbar.", None,
     []),
    ("denial",
     "Netflix dementierte Berichte über einen Start im Dezember.", OCT07,
     []),
    ("called-false",
     "Berichte über einen Start am 4. Dezember seien falsch.", OCT07,
     []),
    ("originally-planned",
     "Ursprünglich war der Start für März 2026 geplant.", None,
     []),
    ("moved-away-from-a-date",
     "Der Start wurde von März auf Juni 2027 verschoben.", None,
     [("2027-06-01", "2027-06-30", MO, C)]),
    ("negated-month",
     "Die zweite Staffel startet nicht im Dezember.", OCT07,
     []),
    ("negation-then-the-real-date",
     "Die zweite Staffel startet nicht im Dezember, sondern im Februar.", OCT07,
     [("2027-02-01", "2027-02-28", MO, C)]),
    ("statement-day-in-the-verb-bracket",
     "Netflix gab am 23. Juli bekannt, dass die Serie im Januar 2027 zurückkehrt.", date(2026, 7, 24),
     [("2027-01-01", "2027-01-31", MO, C)]),
    ("statement-day-first",
     "Am 23. Juli 2026 kündigte Netflix an, dass die Serie im Januar 2027 zurückkehrt.", None,
     [("2027-01-01", "2027-01-31", MO, C)]),
    ("statement-day-in-a-subclause",
     "Wie Netflix am Montag bekanntgab, startet die Serie im Januar 2027.", OCT07,
     [("2027-01-01", "2027-01-31", MO, C)]),
    ("premiere-event-takes-place",
     "Die Premiere findet am 4. Dezember 2026 in Seoul statt, auf Netflix startet die Staffel am 5. Dezember 2026.",
     None, [("2026-12-05", "2026-12-05", EX, C)]),
    ("story-set-in-a-year",
     "Die zweite Staffel spielt im Jahr 2030 und startet im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("instead-of-a-date",
     "Die zweite Staffel startet im Februar 2027 statt im Dezember 2026.", None,
     [("2027-02-01", "2027-02-28", MO, C)]),
    ("other-show-only",
     "Außerdem startet „Squid Game“ im Januar 2027.", None,
     []),
    ("while-splits-two-events",
     "Die Dreharbeiten enden im Mai, während die Premiere für Dezember 2026 geplant ist.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), DISTRACTORS, ids=_ids(DISTRACTORS))
def test_distractors(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """Filming, casting, birthdays, trailers, festivals, past seasons, denials, negations and statement days
    never start a countdown; the release date beside them still does."""
    assert _claims(text, published) == expected


STATUS: list[Row] = [
    ("laut-an-outlet",
     "Laut einem Bericht von Variety startet die zweite Staffel im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("as-the-press-reports",
     "Wie koreanische Medien berichten, soll die zweite Staffel im Dezember 2026 erscheinen.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("berichten-zufolge",
     "Berichten zufolge kommt die zweite Staffel im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("insiders-with-a-modal",
     "Die zweite Staffel könnte laut Insidern im Dezember 2026 starten.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("circles-are-a-source",
     "Die zweite Staffel soll im Dezember 2026 erscheinen, heißt es aus Produktionskreisen.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("an-agency-is-not-the-platform",
     "Offiziell: Die Agentur des Hauptdarstellers bestätigt den Start im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("a-netflix-spokesperson-is-the-platform",
     "Ein Sprecher von Netflix bestätigte den Start im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("trailing-netflix-attribution",
     "Die zweite Staffel kommt im Dezember 2026, teilte Netflix mit.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("rumours-are-no-source",
     "Gerüchten zufolge erscheint die zweite Staffel im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("soll-without-a-source",
     "Die zweite Staffel soll im Dezember 2026 starten.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("voraussichtlich",
     "Die zweite Staffel erscheint voraussichtlich im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("duerfte",
     "Die zweite Staffel dürfte im Dezember 2026 erscheinen.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("question-headline",
     "Startet die zweite Staffel im Dezember 2026?", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("netflix-confirmed",
     "Netflix hat bestätigt, dass die zweite Staffel im Dezember 2026 startet.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("as-netflix-announced",
     "Die zweite Staffel startet im Dezember 2026, wie Netflix ankündigte.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("laut-netflix-is-the-platform",
     "Laut Netflix startet die zweite Staffel im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("officially",
     "Die zweite Staffel startet offiziell im Dezember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("plain-statement",
     "Die zweite Staffel startet im Dezember 2026 auf Netflix.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), STATUS, ids=_ids(STATUS))
def test_status(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """A fan sees "confirmed" only when Netflix says so or the press states it flatly; "laut", "berichten" and
    insiders make it reported, "soll", "voraussichtlich" and "dürfte" on their own rumoured."""
    assert _claims(text, published) == expected


def test_two_sentences_with_ordinal_dots() -> None:
    """An article of two sentences whose dates end in ordinal dots still gives each sentence its own claim
    and its own status."""
    text = ("Netflix hat bestätigt: Teil eins startet am 4. Dezember 2026. "
            "Der zweite Teil soll laut Insidern am 18. Dezember 2026 folgen.")
    assert _claims(text, None) == [("2026-12-04", "2026-12-04", EX, C), ("2026-12-18", "2026-12-18", EX, RP)]
