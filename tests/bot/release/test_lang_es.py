"""Spanish news through the release reader: the dates, bounds, distractors and attributions of the Spanish-
language entertainment press, each row with the claims a fan would take from it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.readings import (
    EX,
    HA,
    MO,
    PM,
    QU,
    RP,
    RU,
    SE,
    YE,
    C,
    Expected,
    Row,
    claims_of,
    ids,
)

MAR10 = date(2026, 3, 10)  # a Tuesday
OCT07 = date(2026, 10, 7)  # a Wednesday


EXACT: list[Row] = [
    ("day-month-year",
     "La segunda temporada llegará a Netflix el 4 de diciembre de 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("weekday-decorates-the-date",
     "«Estamos muertos» vuelve el viernes 4 de diciembre con ocho episodios.", OCT07,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("del-before-the-year",
     "Netflix estrenará la nueva temporada el 15 de enero del 2027.", None,
     [("2027-01-15", "2027-01-15", EX, C)]),
    ("ordinal-first-of-the-month",
     "El estreno será el 1º de diciembre en todo el mundo.", OCT07,
     [("2026-12-01", "2026-12-01", EX, C)]),
    ("capitalised-headline",
     "Estamos muertos 2 ya tiene fecha de estreno: 4 De Diciembre De 2026", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("year-less-date-takes-the-article-year",
     "La serie se estrena el próximo 4 de diciembre en Netflix.", OCT07,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("year-less-date-rolls-into-next-year",
     "La segunda temporada llegará el 22 de enero.", date(2026, 11, 20),
     [("2027-01-22", "2027-01-22", EX, C)]),
    ("year-less-date-without-article-date",
     "La segunda temporada se estrena el 4 de diciembre.", None,
     []),
    ("day-range",
     "Los episodios se estrenarán del 4 al 6 de diciembre de 2026.", None,
     [("2026-12-04", "2026-12-06", PM, C)]),
    ("two-days-share-one-month",
     "Las dos partes llegarán el 4 y el 18 de diciembre.", OCT07,
     [("2026-12-04", "2026-12-04", EX, C), ("2026-12-18", "2026-12-18", EX, C)]),
    ("two-parts-two-dates",
     "La primera parte llegará el 4 de diciembre y la segunda, el 8 de enero.", OCT07,
     [("2026-12-04", "2026-12-04", EX, C), ("2027-01-08", "2027-01-08", EX, C)]),
    ("clock-time-is-not-a-day",
     "La serie volverá el 4 de diciembre de 2026 a las 9:00, hora peninsular.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("day-first-numeric-date",
     "La segunda temporada se estrena el 24/12/2026 en Netflix.", None,
     [("2026-12-24", "2026-12-24", EX, C)]),
    ("ambiguous-numeric-date",
     "La segunda temporada llega el 4/12 a Netflix.", OCT07,
     []),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), EXACT, ids=ids(EXACT))
def test_exact_days(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """A fan reading "4 de diciembre de 2026" or "el viernes 4 de diciembre" gets that one day; without a year
    it needs the article's date."""
    assert claims_of(text, published) == expected


WINDOWS: list[Row] = [
    ("month-with-year",
     "La segunda temporada se estrenará en marzo de 2027.", None,
     [("2027-03-01", "2027-03-31", MO, C)]),
    ("month-of-next-year",
     "La serie volverá en febrero del próximo año.", OCT07,
     [("2027-02-01", "2027-02-28", MO, C)]),
    ("year-less-month",
     "La nueva temporada llegará en diciembre.", OCT07,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("two-months",
     "Netflix estrenará la temporada entre noviembre y diciembre de 2026.", None,
     [("2026-11-01", "2026-12-31", QU, C)]),
    ("early-month",
     "La serie llegará a principios de diciembre.", OCT07,
     [("2026-12-01", "2026-12-10", PM, C)]),
    ("end-of-month",
     "La temporada se estrenará a fines de noviembre de 2026.", None,
     [("2026-11-21", "2026-11-30", PM, C)]),
    ("late-year",
     "La segunda temporada llegará a finales de 2026.", None,
     [("2026-09-01", "2026-12-31", HA, C)]),
    ("late-this-numbered-year",
     "La serie llegará a finales de este 2026.", MAR10,
     [("2026-09-01", "2026-12-31", HA, C)]),
    ("end-of-this-year-without-a-number",
     "La serie llegará a finales de año.", OCT07,
     [("2026-09-01", "2026-12-31", HA, C)]),
    ("mid-next-year",
     "La serie volverá a mediados del año que viene.", OCT07,
     [("2027-05-01", "2027-08-31", HA, C)]),
    ("first-months-of-a-year",
     "El regreso está previsto para los primeros meses de 2027.", None,
     [("2027-01-01", "2027-04-30", HA, C)]),
    ("second-semester",
     "La serie se estrenará en el segundo semestre de 2026.", None,
     [("2026-07-01", "2026-12-31", HA, C)]),
    ("first-half-of-next-year",
     "La secuela verá la luz en la primera mitad del próximo año.", OCT07,
     [("2027-01-01", "2027-06-30", HA, C)]),
    ("third-quarter",
     "La temporada llegará en el tercer trimestre de 2027.", None,
     [("2027-07-01", "2027-09-30", QU, C)]),
    ("last-quarter-of-this-year",
     "La serie se estrenará en el último trimestre del año.", OCT07,
     [("2026-10-01", "2026-12-31", QU, C)]),
    ("year-less-quarter",
     "La serie se estrenará en el tercer trimestre.", MAR10,
     [("2026-07-01", "2026-09-30", QU, C)]),
    ("year-less-half-after-it-began",
     "La temporada llegará en el primer semestre, según Variety.", OCT07,
     [("2027-01-01", "2027-06-30", HA, RP)]),
    ("elliptical-quarter",
     "Llegará en el segundo trimestre de 2027 o en el tercero.", None,
     [("2027-04-01", "2027-09-30", HA, C)]),
    ("season-with-year",
     "La serie regresará en otoño de 2026.", None,
     [("2026-09-01", "2026-11-30", SE, C)]),
    ("two-seasons",
     "Los nuevos episodios llegarán en primavera o verano de 2027.", None,
     [("2027-03-01", "2027-08-31", HA, C)]),
    ("year-less-season",
     "La temporada llegará en otoño.", MAR10,
     [("2026-09-01", "2026-11-30", SE, C)]),
    ("winter-crosses-the-year",
     "La serie volverá este invierno.", OCT07,
     [("2026-12-01", "2027-02-28", SE, C)]),
    ("late-or-early",
     "La serie llegará a finales de 2026 o a principios de 2027.", None,
     [("2026-09-01", "2027-04-30", YE, C)]),
    ("between-two-year-parts",
     "La temporada se estrenará entre mediados y finales de 2027.", None,
     [("2027-05-01", "2027-12-31", YE, C)]),
    ("bare-year",
     "La secuela llegará a Netflix en algún momento de 2027.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("delay-to-a-new-month",
     "Netflix retrasó el estreno de marzo a junio de 2027.", None,
     [("2027-06-01", "2027-06-30", MO, C)]),
    ("delayed-until-a-year",
     "El regreso de la serie se ha aplazado hasta 2027 por problemas de agenda.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("delayed-to-a-month",
     "La serie estaba prevista para diciembre, pero Netflix la ha retrasado a enero de 2027.", None,
     [("2027-01-01", "2027-01-31", MO, C)]),
    ("planned-month-left-behind",
     "La serie, que iba a estrenarse en marzo, llegará finalmente en junio de 2027.", None,
     [("2027-06-01", "2027-06-30", MO, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), WINDOWS, ids=ids(WINDOWS))
def test_windows(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"A finales de 2026", "el segundo semestre", "el tercer trimestre", "en otoño" each count down to the
    window the press means, not to a guessed day."""
    assert claims_of(text, published) == expected


RELATIVE: list[Row] = [
    ("today", "La segunda temporada se estrena hoy en Netflix.", OCT07,
     [("2026-10-07", "2026-10-07", EX, C)]),
    ("tomorrow", "La serie llega mañana a Netflix.", OCT07,
     [("2026-10-08", "2026-10-08", EX, C)]),
    ("this-morning-is-not-tomorrow", "Esta mañana, Netflix anunció que la serie regresará en 2027.", OCT07,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("this-friday", "La segunda temporada se estrena este viernes.", OCT07,
     [("2026-10-09", "2026-10-09", EX, C)]),
    ("next-wednesday-is-not-today", "La serie se estrena el próximo miércoles.", OCT07,
     [("2026-10-14", "2026-10-14", EX, C)]),
    ("next-week", "La serie llegará la semana que viene.", OCT07,
     [("2026-10-12", "2026-10-18", PM, C)]),
    ("next-month", "La temporada se estrenará el mes que viene.", OCT07,
     [("2026-11-01", "2026-11-30", MO, C)]),
    ("named-next-month", "La serie volverá el próximo mes de diciembre.", OCT07,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("next-year", "La serie volverá el próximo año con nuevos episodios.", OCT07,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("later-this-year", "La segunda temporada llegará más adelante este año.", MAR10,
     [("2026-03-10", "2026-12-31", YE, C)]),
    ("next-summer", "Los nuevos episodios llegarán el próximo verano.", OCT07,
     [("2027-06-01", "2027-08-31", SE, C)]),
    ("relative-without-article-date", "La serie se estrena el año que viene.", None,
     []),
    ("nowadays-is-not-today", "Hoy en día la serie sigue siendo un éxito en Netflix.", OCT07,
     []),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), RELATIVE, ids=ids(RELATIVE))
def test_relative_phrases(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"El próximo año", "la semana que viene", "este viernes" and "mañana" are read against the article's
    date, give nothing without one, and "esta mañana" is no tomorrow."""
    assert claims_of(text, published) == expected


BOUNDS: list[Row] = [
    ("not-before", "La serie no llegará antes de 2027.", None,
     [("2027-01-01", None, YE, C)]),
    ("not-until-late-year", "La temporada no se estrenará hasta finales de 2027.", None,
     [("2027-09-01", None, HA, C)]),
    ("at-the-earliest", "La secuela llegará en 2027 como muy pronto.", None,
     [("2027-01-01", None, YE, C)]),
    ("not-until-told-first", "Hasta 2027 no llegará la segunda temporada.", None,
     [("2027-01-01", None, YE, C)]),
    ("at-the-earliest-between-commas", "La serie llegará, como pronto, en 2027.", None,
     [("2027-01-01", None, YE, C)]),
    ("at-the-latest", "La serie llegará a más tardar en diciembre de 2026.", None,
     []),
    ("before-a-month", "La temporada se estrenará antes de marzo de 2027.", None,
     []),
    ("available-until", "La primera temporada estará disponible hasta el 31 de diciembre de 2026.", None,
     []),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), BOUNDS, ids=ids(BOUNDS))
def test_bounds(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"No antes de" and "como muy pronto" open a window with no end; "a más tardar" and "antes de" promise
    no date at all."""
    assert claims_of(text, published) == expected


DISTRACTORS: list[Row] = [
    ("filming-start", "El rodaje de la segunda temporada comenzará en marzo de 2027.", None, []),
    ("production-start", "La producción de la temporada comenzó en junio de 2025 y el estreno está previsto para "
     "2026.", None, [("2026-01-01", "2026-12-31", YE, C)]),
    ("birthday", "La actriz protagonista cumple 30 años el 4 de diciembre de 2026.", None, []),
    ("trailer", "El tráiler de la nueva temporada se lanzará el 4 de noviembre de 2026.", None, []),
    ("military-service", "El actor iniciará el servicio militar en marzo de 2027.", None, []),
    ("festival", "La serie se proyectará en el Festival de Sitges el 8 de octubre de 2026.", None, []),
    ("viewing-week", "La serie fue la más vista en la semana del 4 de octubre de 2026.", None, []),
    ("renewal", "Netflix renovó la serie por una segunda temporada en junio de 2026.", None, []),
    ("earlier-season", "La primera temporada se estrenó el 28 de enero de 2022.", None, []),
    ("past-participle", "La primera temporada, estrenada en enero de 2022, fue un éxito mundial.", None, []),
    ("denial", "Netflix desmintió que la serie se estrene el 4 de diciembre de 2026.", None, []),
    ("award-ceremony", "La serie está nominada a los Premios Emmy Internacionales, que se celebrarán el 23 de "
     "noviembre de 2026.", None, []),
    ("denied-rumour", "Netflix ha desmentido los rumores que situaban el estreno en diciembre.", OCT07, []),
    ("false-date", "La fecha del 4 de diciembre de 2026 es falsa.", None, []),
    ("negation", "La nueva temporada no llegará en julio.", MAR10, []),
    ("delay-without-new-date", "El estreno, previsto para el 4 de diciembre, se ha retrasado sin nueva fecha.",
     OCT07, []),
    ("statement-day", "Netflix anunció el 3 de octubre de 2026 que la serie llegará en 2027.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("statement-weekday", "Netflix confirmó este lunes que la serie volverá el 4 de diciembre.", OCT07,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("statement-weekday-first", "El viernes, Netflix anunció que la serie llegará en 2027.", OCT07,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("other-show-only", "«El juego del calamar» estrena su tercera temporada el 27 de junio de 2026.", None, []),
    ("this-morning", "Por la mañana se publicó el póster oficial.", OCT07, []),
    ("birthday-in-a-relative-clause", "Yoon Chan-young, que cumplirá 25 años el 4 de diciembre, protagoniza la serie "
     "que llega en 2027.", OCT07, [("2027-01-01", "2027-12-31", YE, C)]),
    ("earlier-season-in-a-relative-clause", "La serie, que se estrenó en enero de 2022, regresará el 4 de diciembre "
     "de 2026.", None, [("2026-12-04", "2026-12-04", EX, C)]),
    ("filming-in-a-relative-clause", "La temporada, que terminó de grabarse en mayo de 2026, llegará en diciembre de "
     "2026.", None, [("2026-12-01", "2026-12-31", MO, C)]),
    ("not-this-but-that", "La serie no se estrenará en diciembre como se esperaba, sino en enero de 2027.", None,
     [("2027-01-01", "2027-01-31", MO, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), DISTRACTORS, ids=ids(DISTRACTORS))
def test_distractors(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """Filming, birthdays, trailers, festivals, past seasons, denials and statement days never start a
    countdown; the release date beside them still does."""
    assert claims_of(text, published) == expected


STATUS: list[Row] = [
    ("netflix-confirmed", "Netflix confirmó que la serie llegará en diciembre de 2026.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("according-to-netflix", "La serie llegará en diciembre de 2026, según Netflix.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("platform-confirmed-after", "La serie regresará en 2027, según ha confirmado la plataforma.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("according-to-an-outlet", "Según Variety, la serie llegaría en diciembre de 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("outlet-revealed", "La serie se estrena el 4 de diciembre, reveló el medio Star News.", OCT07,
     [("2026-12-04", "2026-12-04", EX, RP)]),
    ("agency-informed", "La serie llegará en 2027, informó la agencia del actor.", None,
     [("2027-01-01", "2027-12-31", YE, RP)]),
    ("modal-with-source", "La serie podría llegar en diciembre de 2026, según fuentes cercanas.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("press-conditional", "La serie llegaría en diciembre de 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("expected", "Se espera que la serie llegue en diciembre de 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("question-then-hedge",
     "¿Cuándo se estrena la segunda temporada? Todo apunta a que será en 2027.", None,
     [("2027-01-01", "2027-12-31", YE, RU)]),
    ("expected-for", "Para diciembre de 2026 se espera la segunda temporada.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("everything-points-to", "Todo apunta a que la serie volverá en 2027.", None,
     [("2027-01-01", "2027-12-31", YE, RU)]),
    ("awaited-is-no-hedge", "La esperada segunda temporada llegará el 4 de diciembre de 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("platform-calendar", "De acuerdo con el calendario de estrenos de Netflix, la serie llega el 4 de diciembre.",
     OCT07, [("2026-12-04", "2026-12-04", EX, C)]),
    ("director-speaks-for-himself", "El director confirmó en una entrevista que la serie volverá en 2027.", None,
     [("2027-01-01", "2027-12-31", YE, RP)]),
    ("rumours-are-no-source", "Según los rumores, la serie llegaría en diciembre de 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("question-headline", "¿Llegará la segunda temporada en diciembre de 2026?", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), STATUS, ids=ids(STATUS))
def test_status(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """A fan sees "confirmed" only when Netflix says so or the press states it flatly; "según" and a named
    outlet make it reported, the press's conditional and "se espera" rumoured."""
    assert claims_of(text, published) == expected
