"""Indonesian news through the release reader: the dates, bounds, distractors and attributions of the
Indonesian entertainment press, each row with the claims a fan would take from it."""

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
SEP10 = date(2026, 9, 10)  # a Thursday


EXACT: list[Row] = [
    ("full-date-announced",
     "Netflix resmi mengumumkan musim kedua All of Us Are Dead tayang pada 4 Desember 2026.", MAR10,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("title-case-headline",
     "All of Us Are Dead Season 2 Resmi Tayang 29 Januari 2027", MAR10,
     [("2027-01-29", "2027-01-29", EX, C)]),
    ("weekday-decorates-the-date",
     "Musim kedua akan hadir di Netflix pada Jumat, 4 Desember 2026 pukul 15.00 WIB.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("abbreviated-month-with-tanggal",
     "Musim kedua dijadwalkan tayang tanggal 4 Des. 2026 di Netflix.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("year-less-date-takes-the-article-year",
     "Menurut laporan Star News, musim kedua tayang pada 4 Desember.", MAR10,
     [("2026-12-04", "2026-12-04", EX, RP)]),
    ("year-less-date-rolls-into-next-year",
     "Musim kedua diperkirakan tayang pada 15 Januari.", date(2026, 11, 20),
     [("2027-01-15", "2027-01-15", EX, RU)]),
    ("year-less-date-without-article-date",
     "Musim kedua tayang pada 4 Desember di Netflix.", None,
     []),
    ("day-range",
     "Musim kedua tayang di bioskop terpilih pada 4-6 Desember 2026.", None,
     [("2026-12-04", "2026-12-06", PM, C)]),
    ("screening-range-is-not-the-release",
     "Dua episode pertama diputar di bioskop pada 4 hingga 6 Desember 2026.", None,
     []),
    ("two-parts-two-dates",
     "Musim kedua dirilis dalam dua bagian: bagian pertama pada 6 November 2026 dan bagian kedua pada "
     "20 November 2026.", None,
     [("2026-11-06", "2026-11-06", EX, C), ("2026-11-20", "2026-11-20", EX, C)]),
    ("availability-from-a-day",
     "Musim kedua bisa disaksikan di Netflix mulai 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), EXACT, ids=ids(EXACT))
def test_exact_days(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """A fan reading "4 Desember 2026" or "Jumat, 4 Desember" gets that one day; without a year it needs the
    article's date."""
    assert claims_of(text, published) == expected


WINDOWS: list[Row] = [
    ("month-with-year",
     "Musim kedua All of Us Are Dead dikabarkan tayang pada Desember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("pada-bulan-month",
     "Musim kedua dijadwalkan tayang pada bulan Desember.", MAR10,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("upcoming-month",
     "Netflix memastikan musim kedua tayang Agustus mendatang.", MAR10,
     [("2026-08-01", "2026-08-31", MO, C)]),
    ("between-two-months",
     "Musim kedua tayang antara November dan Desember 2026.", None,
     [("2026-11-01", "2026-12-31", QU, C)]),
    ("early-month",
     "Musim kedua kemungkinan tayang awal Desember.", MAR10,
     [("2026-12-01", "2026-12-10", PM, RU)]),
    ("middle-of-month",
     "Netflix mengonfirmasi musim kedua tayang pertengahan Maret 2027.", None,
     [("2027-03-11", "2027-03-20", PM, C)]),
    ("end-of-month",
     "Musim kedua tayang pada akhir bulan Juni 2026, menurut sumber dari rumah produksi.", None,
     [("2026-06-21", "2026-06-30", PM, RP)]),
    ("late-year",
     "Musim kedua dikabarkan tayang akhir 2026.", None,
     [("2026-09-01", "2026-12-31", HA, RP)]),
    ("end-of-this-year",
     "Musim kedua diprediksi tayang penghujung tahun ini.", MAR10,
     [("2026-09-01", "2026-12-31", HA, RU)]),
    ("mid-year-medio",
     "Menurut laporan media Korea, musim kedua tayang medio 2027.", None,
     [("2027-05-01", "2027-08-31", HA, RP)]),
    ("mid-to-late-year",
     "Musim kedua tayang pertengahan hingga akhir 2026.", None,
     [("2026-05-01", "2026-12-31", YE, C)]),
    ("second-half",
     "Musim kedua dijadwalkan tayang pada paruh kedua 2026.", None,
     [("2026-07-01", "2026-12-31", HA, C)]),
    ("first-semester-next-year",
     "Musim kedua tayang pada semester pertama tahun depan.", MAR10,
     [("2027-01-01", "2027-06-30", HA, C)]),
    ("year-less-half-is-the-next-one",
     "Musim kedua tayang pada semester pertama.", SEP10,
     [("2027-01-01", "2027-06-30", HA, C)]),
    ("fourth-quarter",
     "Netflix mengonfirmasi musim kedua tayang pada kuartal keempat 2026.", None,
     [("2026-10-01", "2026-12-31", QU, C)]),
    ("roman-quarter",
     "Musim kedua tayang pada kuartal III 2026.", None,
     [("2026-07-01", "2026-09-30", QU, C)]),
    ("elliptical-quarters",
     "Musim kedua kemungkinan tayang pada kuartal pertama atau kedua 2027.", None,
     [("2027-01-01", "2027-06-30", HA, RU)]),
    ("quarter-with-its-code", "Musim kedua tayang pada kuartal keempat (Q4) 2026.", None,
     [("2026-10-01", "2026-12-31", QU, C)]),
    ("code-quarter-this-year", "Musim kedua tayang pada Q4 tahun ini.", MAR10,
     [("2026-10-01", "2026-12-31", QU, C)]),
    ("year-less-quarter",
     "Musim kedua tayang pada kuartal ketiga.", MAR10,
     [("2026-07-01", "2026-09-30", QU, C)]),
    ("autumn",
     "Musim kedua diperkirakan tayang pada musim gugur 2026.", None,
     [("2026-09-01", "2026-11-30", SE, RU)]),
    ("summer-or-autumn",
     "Musim kedua tayang pada musim panas atau gugur 2026.", None,
     [("2026-06-01", "2026-11-30", HA, C)]),
    ("winter-this-year",
     "Musim kedua kemungkinan tayang musim dingin tahun ini.", MAR10,
     [("2026-12-01", "2027-02-28", SE, RU)]),
    ("late-or-early-across-years",
     "Menurut laporan, musim kedua tayang akhir 2026 atau awal 2027.", None,
     [("2026-09-01", "2027-04-30", YE, RP)]),
    ("bare-year",
     "Netflix mengumumkan musim kedua akan tayang pada 2027.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("year-after-release-verb",
     "Musim kedua All of Us Are Dead rilis 2027.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), WINDOWS, ids=ids(WINDOWS))
def test_windows(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"Akhir 2026", "paruh kedua", "kuartal III", "musim gugur" each count down to the window the press
    means, not to a guessed day."""
    assert claims_of(text, published) == expected


RELATIVE: list[Row] = [
    ("next-year", "Netflix memastikan musim kedua tayang tahun depan.", MAR10,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("this-year-reported", "Musim kedua dikabarkan tayang tahun ini.", MAR10,
     [("2026-01-01", "2026-12-31", YE, RP)]),
    ("rest-of-this-year", "Netflix memastikan musim kedua tayang dalam sisa tahun ini.", MAR10,
     [("2026-03-10", "2026-12-31", YE, C)]),
    ("next-month", "Musim kedua diperkirakan tayang bulan depan.", MAR10,
     [("2026-04-01", "2026-04-30", MO, RU)]),
    ("next-week", "Musim kedua tayang minggu depan.", MAR10,
     [("2026-03-16", "2026-03-22", PM, C)]),
    ("next-week-pekan", "Musim kedua tayang pekan depan di Netflix.", MAR10,
     [("2026-03-16", "2026-03-22", PM, C)]),
    ("sunday-is-not-a-week", "Musim kedua tayang hari Minggu.", MAR10,
     [("2026-03-15", "2026-03-15", EX, C)]),
    ("this-friday", "Musim kedua tayang Jumat ini.", MAR10,
     [("2026-03-13", "2026-03-13", EX, C)]),
    ("tomorrow", "Musim kedua tayang besok di Netflix.", MAR10,
     [("2026-03-11", "2026-03-11", EX, C)]),
    ("today", "Musim kedua tayang hari ini di Netflix.", MAR10,
     [("2026-03-10", "2026-03-10", EX, C)]),
    ("friday-of-this-week", "Musim kedua tayang Jumat pekan ini.", MAR10,
     [("2026-03-13", "2026-03-13", EX, C)]),
    ("every-friday-is-no-day", "Episode baru musim kedua dirilis setiap Jumat.", MAR10, []),
    ("upcoming-summer-is-this-one", "Musim kedua diharapkan tayang pada musim panas mendatang.", MAR10,
     [("2026-06-01", "2026-08-31", SE, RU)]),
    ("summer-next-year", "Musim kedua tayang musim panas tahun depan.", MAR10,
     [("2027-06-01", "2027-08-31", SE, C)]),
    ("relative-without-article-date", "Musim kedua dijadwalkan tayang tahun depan.", None, []),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), RELATIVE, ids=ids(RELATIVE))
def test_relative_phrases(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"Tahun depan", "minggu depan", "Jumat ini" and "besok" are read against the article's date, and give
    nothing when the feed gave none."""
    assert claims_of(text, published) == expected


BOUNDS: list[Row] = [
    ("at-the-earliest", "Musim kedua paling cepat tayang akhir 2026, menurut laporan Sports Chosun.", None,
     [("2026-09-01", None, HA, RP)]),
    ("not-before", "Musim kedua tidak akan tayang sebelum 2027.", None,
     [("2027-01-01", None, YE, C)]),
    ("only-then", "Musim kedua diperkirakan baru tayang pada 2027.", None,
     [("2027-01-01", None, YE, RU)]),
    ("new-version-is-not-only-then", "Versi baru tayang Jumat ini.", MAR10,
     [("2026-03-13", "2026-03-13", EX, C)]),
    ("at-the-latest", "Netflix menargetkan musim kedua tayang paling lambat akhir 2026.", None, []),
    ("before-a-month", "Musim kedua dikabarkan tayang sebelum Maret 2027.", None, []),
    ("after-a-year", "Musim kedua baru bisa dinikmati setelah 2026.", None,
     [("2027-01-01", None, YE, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), BOUNDS, ids=ids(BOUNDS))
def test_bounds(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """"Paling cepat" and "baru … pada" open a window with no end; "paling lambat" and "sebelum" promise
    no date at all."""
    assert claims_of(text, published) == expected


DISTRACTORS: list[Row] = [
    ("filming-start-then-release",
     "Syuting musim kedua dimulai pada Juni 2026 dan tayang pada 2027.", None,
     [("2027-01-01", "2027-12-31", YE, C)]),
    ("filming-wrap", "Syuting musim kedua All of Us Are Dead rampung pada Agustus 2025.", None, []),
    ("birthday", "Pemeran utama All of Us Are Dead merayakan ulang tahun pada 15 Desember.", MAR10, []),
    ("military-service", "Salah satu pemeran akan menjalani wajib militer pada Maret 2027.", None, []),
    ("viewing-window", "All of Us Are Dead ditonton 124 juta jam dalam 28 hari pertama penayangannya.", MAR10, []),
    ("festival", "Dua episode pertama akan diputar di Festival Film Internasional Busan pada 3 Oktober 2026.",
     None, []),
    ("trailer-heads-the-sentence", "Trailer resmi All of Us Are Dead musim 2 dirilis 20 November.", MAR10, []),
    ("teaser-this-friday", "Teaser musim kedua All of Us Are Dead dirilis Jumat ini.", MAR10, []),
    ("teaser-for-a-season-that-airs", "Netflix merilis teaser musim kedua yang akan tayang 4 Desember 2026.",
     None, [("2026-12-04", "2026-12-04", EX, C)]),
    ("festival-acronym", "Dua episode pertama ditayangkan perdana di BIFF pada 3 Oktober 2026.", None, []),
    ("postponed-away-from-a-date", "Netflix menunda penayangan musim kedua yang dijadwalkan Desember 2026.", None,
     []),
    ("postponed-to-a-month", "Netflix menunda penayangan musim kedua hingga Maret 2027.", None,
     [("2027-03-01", "2027-03-31", MO, C)]),
    ("weekly-slot", "Drama ini tayang setiap Sabtu dan Minggu pukul 21.00 WIB.", MAR10, []),
    ("born-then-stars-again", "Park Ji-hu, yang lahir pada 12 Desember 2003, kembali membintangi musim kedua.",
     None, []),
    ("renewal", "Netflix memperpanjang All of Us Are Dead untuk musim kedua pada Juni 2022.", None, []),
    ("announcement-to-come", "Tanggal tayang musim kedua akan diumumkan pada November.", MAR10, []),
    ("statement-day-before-the-verb",
     "Netflix pada 23 Juli 2026 mengumumkan musim kedua tayang Januari 2027.", None,
     [("2027-01-01", "2027-01-31", MO, C)]),
    ("statement-today", "Netflix hari ini mengumumkan musim kedua tayang 4 Desember.", MAR10,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("statement-today-before-bahwa", "Netflix mengumumkan hari ini bahwa musim kedua tayang 4 Desember.", MAR10,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("statement-weekday-in-brackets", "Netflix Korea, Selasa (10/3), memastikan musim kedua tayang 4 Desember.",
     MAR10, [("2026-12-04", "2026-12-04", EX, C)]),
    ("first-season-aired", "Musim pertama All of Us Are Dead, yang tayang pada Januari 2022, menjadi hit.", None, []),
    ("already-aired-ago", "Musim kedua telah tayang pada 4 Desember lalu.", date(2026, 12, 20), []),
    ("aired-since", "Musim kedua sudah tayang sejak 4 Desember 2026.", None, []),
    ("denied", "Netflix membantah kabar bahwa musim kedua tayang Desember.", MAR10, []),
    ("hoax", "Kabar bahwa musim kedua tayang 4 Desember ternyata hoaks.", MAR10, []),
    ("negated", "Musim kedua tidak akan tayang Juli ini.", MAR10, []),
    ("not-but", "Musim kedua tidak tayang pada Desember, melainkan Januari 2027.", None,
     [("2027-01-01", "2027-01-31", MO, C)]),
    ("postponed-without-date", "Jadwal tayang musim kedua yang semula Maret 2027 diundur tanpa kepastian.", None,
     []),
    ("postponed-to-a-new-date", "Musim kedua yang semula dijadwalkan Maret diundur ke Juni 2027.", None,
     [("2027-06-01", "2027-06-30", MO, C)]),
    ("other-show", "Sementara itu, Squid Game musim 3 tayang pada 27 Juni 2026.", MAR10, []),
    ("slipped-to-a-new-year", "Musim kedua molor ke 2027.", None, [("2027-01-01", "2027-12-31", YE, C)]),
    ("aired-years-ago", "Musim pertama tayang pada Januari 2022 silam.", None, []),
    ("when-it-came-out", "Serial ini sukses besar saat dirilis pada 2022.", None, []),
    ("filming-wrap-after-release-words", "Lee Jae-kyoo memastikan naskah musim kedua rampung pada Desember 2024.",
     None, []),
    ("earlier-is-only-a-transition", "Sebelumnya, Netflix mengumumkan musim kedua tayang 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("previously-scheduled-date-is-old", "Musim kedua, yang sebelumnya dijadwalkan tayang Desember 2026, diundur "
     "ke Maret 2027.", None, [("2027-03-01", "2027-03-31", MO, C)]),
    ("no-less-exciting-is-no-negation", "Musim kedua yang tak kalah seru akan tayang Desember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("denial-in-a-leading-clause", "Meski tidak mengungkap tanggal pasti, Netflix memastikan musim kedua tayang "
     "akhir 2026.", None, [("2026-09-01", "2026-12-31", HA, C)]),
    ("denied-rumour-then-confirmed", "Netflix membantah kabar tersebut, dan memastikan musim kedua tayang "
     "Desember 2026.", None, [("2026-12-01", "2026-12-31", MO, C)]),
    ("fans-cannot-wait", "Fans tak sabar menunggu musim kedua yang tayang 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), DISTRACTORS, ids=ids(DISTRACTORS))
def test_distractors(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """Filming, birthdays, trailers, festivals, past seasons, denials and statement days never start a
    countdown; the release date beside them still does."""
    assert claims_of(text, published) == expected


STATUS: list[Row] = [
    ("according-to-netflix-is-official", "Menurut Netflix, musim kedua tayang 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("platform-account", "Netflix Indonesia melalui akun Instagram resminya mengumumkan musim kedua tayang "
     "4 Desember 2026.", None, [("2026-12-04", "2026-12-04", EX, C)]),
    ("director-said", "Sutradara Lee Jae-kyoo mengatakan musim kedua akan tayang pada akhir 2026.", None,
     [("2026-09-01", "2026-12-31", HA, RP)]),
    ("outlet-quoted", "Seperti dilansir Soompi, musim kedua tayang Desember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("outlet-named-after", "Drama ini bakal tayang di penghujung tahun 2026, lapor Star News.", None,
     [("2026-09-01", "2026-12-31", HA, RP)]),
    ("agency-is-not-the-platform", "Agensi Park Ji-hu mengonfirmasi musim kedua tayang 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, RP)]),
    ("rumour-circulates", "Beredar kabar musim kedua tayang 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, RU)]),
    ("platform-schedule", "Menurut jadwal resmi Netflix, musim kedua tayang 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("platform-insider-is-a-source", "Menurut sumber Netflix, musim kedua tayang 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, RP)]),
    ("headline-verb-without-prefix", "Netflix Ungkap Jadwal Tayang All of Us Are Dead 2: 4 Desember 2026", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("rumoured-word", "Musim kedua diisukan tayang Desember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("reportedly", "Musim kedua kabarnya tayang Desember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("hedge-could", "Musim kedua bisa saja tayang pada Desember 2026.", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("hedge-over-no-confirmation", "Meski belum ada konfirmasi resmi, musim kedua disebut-sebut tayang "
     "Desember 2026.", None, [("2026-12-01", "2026-12-31", MO, RU)]),
    ("question-headline", "Apakah musim kedua All of Us Are Dead tayang Desember 2026?", None,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("watchable-from-is-plain-fact", "Musim kedua sudah bisa disaksikan di Netflix mulai 4 Desember 2026.", None,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("platform-then-report", "Netflix mengonfirmasi musim kedua tayang Desember 2026, menurut laporan Star News.",
     None, [("2026-12-01", "2026-12-31", MO, RP)]),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), STATUS, ids=ids(STATUS))
def test_status(case: str, text: str, published: date | None, expected: list[Expected]) -> None:
    """A fan sees "confirmed" only when Netflix says so or the press states it flatly; "menurut", "kabarnya"
    and a named source make it reported, the writer's "bisa" or "disebut-sebut" rumoured."""
    assert claims_of(text, published) == expected
