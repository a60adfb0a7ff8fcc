"""The news reader: a table of headlines and summaries, each with the claims a countdown should take."""

from __future__ import annotations

from datetime import date

import pytest

from bot.release import Precision, Source, Status, parse_window, read_claims
from bot.release.reader import read

NAMES = ["All of Us Are Dead", "지금 우리 학교는", "AOUAD", "All of Us Are Dead season 2"]
FEB21 = date(2026, 2, 21)  # a Saturday

C, RP, RU = Status.CONFIRMED, Status.REPORTED, Status.RUMOURED
EX, PM, MO = Precision.EXACT, Precision.PART_OF_MONTH, Precision.MONTH
SE, QU, HA, YE = Precision.SEASON, Precision.QUARTER, Precision.HALF, Precision.YEAR

Expected = tuple[str, str, Precision, Status]

# (case id, text, publish date, expected claims as (start, end, precision, status))
CASES: list[tuple[str, str, date, list[Expected]]] = [
    # --- exact dates in their common forms
    ("netflix-confirms-full-date",
     "Netflix confirms All of Us Are Dead season 2 will premiere on December 4, 2026", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("abbreviated-month-no-year-set",
     "All of Us Are Dead Season 2 Release Date Set For Dec. 4", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("day-month-year-announced",
     "All of Us Are Dead season 2 arrives 4 December 2026, Netflix announced.", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("iso-date-netflix-said",
     "All of Us Are Dead season 2 streams from 2026-12-04, Netflix said.", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("weekday-and-ordinal",
     "All of Us Are Dead returns Friday, December 4th for its second season, according to Netflix.",
     date(2026, 11, 20), [("2026-12-04", "2026-12-04", EX, C)]),
    ("yearless-date-rolls-into-next-year",
     "All of Us Are Dead season 2 will stream on January 15, reports say.", date(2026, 12, 20),
     [("2027-01-15", "2027-01-15", EX, RP)]),
    ("recent-announcement-date-is-not-the-release",
     "Netflix announced on November 20 that All of Us Are Dead season 2 premieres December 4.",
     date(2026, 11, 23), [("2026-12-04", "2026-12-04", EX, C)]),
    ("korean-exact-date-official",
     "넷플릭스는 '지금 우리 학교는' 시즌2를 2026년 12월 4일 공개한다고 밝혔다.", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    # --- months and parts of months
    ("month-reportedly",
     "All of Us Are Dead season 2 will reportedly arrive in December 2026.", FEB21,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("korean-plain-statement-is-confirmed",
     "'지금 우리 학교는' 시즌2가 2026년 12월 공개된다.", FEB21,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("korean-month-without-year",
     "지금 우리 학교는 시즌2, 12월 공개 유력", FEB21,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("month-alone-takes-next-occurrence",
     "AOUAD season 2 is expected to land in January, insiders claim.", date(2026, 9, 3),
     [("2027-01-01", "2027-01-31", MO, RP)]),
    ("early-month-attributed-despite-modal",
     "Netflix has not announced a premiere date for All of Us Are Dead season 2, but reports suggest it "
     "could arrive around early December 2026.", FEB21,
     [("2026-12-01", "2026-12-10", PM, RP)]),
    ("mid-month-without-year",
     "All of Us Are Dead season 2 is tipped to drop in mid-December.", FEB21,
     [("2026-12-11", "2026-12-20", PM, RU)]),
    ("late-month-sources-say",
     "Sources say All of Us Are Dead season 2 will land in late December 2026.", FEB21,
     [("2026-12-21", "2026-12-31", PM, RP)]),
    ("end-of-month",
     "All of Us Are Dead season 2 is slated for the end of November 2026, per Soompi.", FEB21,
     [("2026-11-21", "2026-11-30", PM, RP)]),
    # --- parts of a year, halves, quarters, seasons, years
    ("late-year-tipped",
     "All of Us Are Dead season 2 tipped for late 2026", FEB21,
     [("2026-09-01", "2026-12-31", HA, RU)]),
    ("early-year-likely",
     "All of Us Are Dead season 2 is now likely to return in early 2027.", FEB21,
     [("2027-01-01", "2027-04-30", HA, RU)]),
    ("mid-year-outlet-reported",
     "All of Us Are Dead season 2 will premiere in mid-2027, Variety reported.", FEB21,
     [("2027-05-01", "2027-08-31", HA, RP)]),
    ("mid-to-late-year",
     "All of Us Are Dead season 2 will arrive mid-to-late 2026, NewsX says.", FEB21,
     [("2026-05-01", "2026-12-31", YE, RP)]),
    ("first-half-expected",
     "All of Us Are Dead season 2 is expected in the first half of 2027.", FEB21,
     [("2027-01-01", "2027-06-30", HA, RU)]),
    ("second-half-agency",
     "According to Star News, All of Us Are Dead season 2 will be released in the second half of 2026.", FEB21,
     [("2026-07-01", "2026-12-31", HA, RP)]),
    ("h1-shorthand",
     "All of Us Are Dead season 2 could debut in H1 2027.", FEB21,
     [("2027-01-01", "2027-06-30", HA, RU)]),
    ("quarter-confirmed",
     "All of Us Are Dead season 2 is coming in Q1 2027, Netflix confirmed.", FEB21,
     [("2027-01-01", "2027-03-31", QU, C)]),
    ("quarter-in-words",
     "All of Us Are Dead season 2 is reportedly due in the fourth quarter of 2026.", FEB21,
     [("2026-10-01", "2026-12-31", QU, RP)]),
    ("summer-outlet-named",
     "All of Us Are Dead season 2 arrives in summer 2027, according to Star News.", FEB21,
     [("2027-06-01", "2027-08-31", SE, RP)]),
    ("winter-spans-year-end",
     "All of Us Are Dead season 2 is rumoured to return in winter 2026.", FEB21,
     [("2026-12-01", "2027-02-28", SE, RU)]),
    ("this-fall-relative",
     "Netflix has set All of Us Are Dead season 2 to premiere this fall.", FEB21,
     [("2026-09-01", "2026-11-30", SE, C)]),
    ("plain-year-per-outlet",
     "All of Us Are Dead season 2 will premiere in 2027, per Soompi.", FEB21,
     [("2027-01-01", "2027-12-31", YE, RP)]),
    ("late-or-early-is-one-window",
     "All of Us Are Dead season 2 could arrive in late 2026 or early 2027.", FEB21,
     [("2026-09-01", "2027-04-30", YE, RU)]),
    ("between-two-months",
     "Insiders say All of Us Are Dead season 2 will stream between December 2026 and February 2027.", FEB21,
     [("2026-12-01", "2027-02-28", YE, RP)]),
    ("late-year-or-next-year",
     "All of Us Are Dead season 2 may premiere in late 2026 or 2027.", FEB21,
     [("2026-09-01", "2027-12-31", YE, RU)]),
    # --- relative phrases against the publish date
    ("next-month-reportedly",
     "All of Us Are Dead season 2 is reportedly set to return next month.", FEB21,
     [("2026-03-01", "2026-03-31", MO, RP)]),
    ("later-this-year",
     "All of Us Are Dead season 2 is set to stream later this year.", FEB21,
     [("2026-02-21", "2026-12-31", YE, C)]),
    ("this-friday",
     "All of Us Are Dead season 2 premieres this Friday, Netflix announced.", FEB21,
     [("2026-02-27", "2026-02-27", EX, C)]),
    ("next-week",
     "Netflix confirmed All of Us Are Dead season 2 drops next week.", FEB21,
     [("2026-02-23", "2026-03-01", PM, C)]),
    ("tomorrow",
     "All of Us Are Dead season 2 arrives on Netflix tomorrow, Netflix Korea announced.", FEB21,
     [("2026-02-22", "2026-02-22", EX, C)]),
    ("early-next-year",
     "All of Us Are Dead season 2 is expected to return early next year.", date(2026, 6, 1),
     [("2027-01-01", "2027-04-30", HA, RU)]),
    ("korean-within-the-year-reported",
     "넷플릭스 관계자에 따르면 '지금 우리 학교는' 시즌2는 연내 공개될 예정이다.", FEB21,
     [("2026-02-21", "2026-12-31", YE, RP)]),
    ("korean-next-year-first-half",
     "지금 우리 학교는 시즌2 내년 상반기 공개 전망", FEB21,
     [("2027-01-01", "2027-06-30", HA, RU)]),
    # --- status from attribution
    ("hedge-beats-official-word",
     "All of Us Are Dead season 2 could be confirmed soon for a December 2026 release.", FEB21,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("netflix-platform-alone-is-not-confirmation",
     "All of Us Are Dead season 2 will stream on Netflix in December 2026, reports say.", FEB21,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("unattributed-statement-is-confirmed",
     "All of Us Are Dead season 2 returns in October 2026.", FEB21,
     [("2026-10-01", "2026-10-31", MO, C)]),
    ("headline-attribution-covers-summary",
     "Netflix confirms All of Us Are Dead season 2 date\nThe zombie drama returns on December 4, 2026.", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("pronoun-in-next-sentence",
     "All of Us Are Dead wrapped filming this week. Reports say it will stream in December 2026.", FEB21,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("denied-year-then-new-window",
     "All of Us Are Dead season 2 will not arrive in 2026 and is now expected in early 2027.", FEB21,
     [("2027-01-01", "2027-04-30", HA, RU)]),
    ("delay-keeps-only-the-new-window",
     "All of Us Are Dead season 2 release pushed back from December 2026 to early 2027, reports say.", FEB21,
     [("2027-01-01", "2027-04-30", HA, RP)]),
    ("wrap-date-and-release-in-one-sentence",
     "Filming wrapped in February, and All of Us Are Dead season 2 will premiere in December 2026, "
     "Netflix said.", FEB21,
     [("2026-12-01", "2026-12-31", MO, C)]),
    ("outlet-has-learned",
     "All of Us Are Dead season 2 will hit Netflix in the spring of 2027, Variety has learned.", FEB21,
     [("2027-03-01", "2027-05-31", SE, RP)]),
    ("two-windows-in-one-article",
     "All of Us Are Dead season 2 is tipped for late 2026; sources say it could arrive in early December 2026.",
     FEB21,
     [("2026-09-01", "2026-12-31", HA, RU), ("2026-12-01", "2026-12-10", PM, RP)]),
    ("superseded-expectation-gives-way",
     "All of Us Are Dead season 2 was earlier expected in December 2026, but it is now expected to arrive "
     "in early 2027.", FEB21,
     [("2027-01-01", "2027-04-30", HA, RU)]),
    ("question-headline-is-rumour",
     "Netflix confirmed: is All of Us Are Dead season 2 out in December 2026?", FEB21,
     [("2026-12-01", "2026-12-31", MO, RU)]),
    ("month-before-release-noun",
     "Netflix is targeting a December release for All of Us Are Dead season 2, insiders say.", FEB21,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("our-show-is-the-subject-beside-another",
     "All of Us Are Dead season 2 arrives in December 2026, a month after Sweet Home 3, Netflix confirmed.",
     FEB21, [("2026-12-01", "2026-12-31", MO, C)]),
    ("year-before-release-noun",
     "All of Us Are Dead Season 2 Confirmed For A 2027 Release", FEB21,
     [("2027-01-01", "2027-12-31", YE, C)]),
    # --- hard negatives: dates that are not the next season's release
    ("statement-day-is-not-release",
     "Yoon Chan-young will return for All of Us Are Dead season 2, Netflix confirmed on July 23.", FEB21, []),
    ("sequel-number-title-nearer-the-date",
     "Netflix's 2026 slate: Sweet Home 3 arrives in December 2026, with All of Us Are Dead season 2 absent.",
     FEB21, []),
    ("korean-missing-from-lineup", "'지금 우리 학교는' 시즌2, 넷플릭스 2026년 공개 라인업에서 빠졌다", FEB21, []),
    ("first-look-photos",
     "All of Us Are Dead season 2 first look photos released on March 2, 2026", FEB21, []),
    ("clickbait-warning", "All of Us Are Dead season 2 coming next month? Beware of clickbait.", FEB21, []),
    ("season-one-premiere", "All of Us Are Dead season 1 premiered January 28, 2022.", FEB21, []),
    ("past-tense-premiere-without-year",
     "All of Us Are Dead first premiered on January 28.", date(2026, 11, 20), []),
    ("filming-wrap-expected",
     "Filming for All of Us Are Dead season 2 is expected to wrap in February 2026.", date(2026, 1, 5), []),
    ("shooting-start", "All of Us Are Dead season 2 begins shooting in June 2025.", date(2025, 5, 1), []),
    ("other-show-with-while",
     "Squid Game season 3 arrives June 27, while All of Us Are Dead season 2 is still in post-production.",
     date(2025, 5, 1), []),
    ("other-show-season-nearer-the-date",
     "Netflix confirmed Kingdom season 3 for December 4, 2026, and All of Us Are Dead season 2 is still "
     "being edited.", FEB21, []),
    ("other-show-in-headline-sentence",
     "Sweet Home season 3 drops July 19. All of Us Are Dead season 2 is still in production.",
     date(2024, 7, 1), []),
    ("birthday",
     "Park Ji-hu of All of Us Are Dead celebrates her birthday on November 12.", date(2026, 11, 1), []),
    ("viewing-hour-window",
     "All of Us Are Dead logged 124.79 million viewing hours in the week of Jan 24–30, 2022.", FEB21, []),
    ("denial-wont-arrive",
     "All of Us Are Dead season 2 won't arrive in 2026, insiders say.", FEB21, []),
    ("denial-not-in-year",
     "All of Us Are Dead season 2 is coming, but not in 2026.", FEB21, []),
    ("delayed-beyond", "All of Us Are Dead season 2 has been delayed beyond 2026.", FEB21, []),
    ("not-before-is-no-claim", "All of Us Are Dead season 2 will not premiere before 2027.", FEB21, []),
    ("no-earlier-than",
     "All of Us Are Dead season 2 will arrive no earlier than late 2026, reports say.", FEB21, []),
    ("by-the-end-of-is-a-bound",
     "All of Us Are Dead season 2 should arrive by the end of 2026.", FEB21, []),
    ("as-early-as", "All of Us Are Dead season 2 could stream as early as December 2026.", FEB21, []),
    ("show-not-named",
     "Season 2 of the zombie hit arrives December 4, Netflix confirmed.", FEB21, []),
    ("netflix-has-not-confirmed",
     "Netflix has not confirmed that All of Us Are Dead season 2 will premiere in December 2026.", FEB21, []),
    ("rumour-called-false",
     "Rumours of a December 2026 release for All of Us Are Dead season 2 are false, the studio says.", FEB21,
     []),
    ("trailer-date", "Netflix will drop the All of Us Are Dead season 2 trailer on October 1.",
     date(2026, 9, 1), []),
    ("casting-news",
     "Ahn Dong-goo joins All of Us Are Dead season 2 in June 2025.", date(2025, 5, 1), []),
    ("next-friday-is-the-first-after-the-article",
     "All of Us Are Dead season 2 arrives next Friday.", FEB21, [("2026-02-27", "2026-02-27", EX, C)]),
    ("renewal-date", "All of Us Are Dead was renewed for season 2 on June 7, 2022.", FEB21, []),
    ("later-season",
     "Netflix is reportedly weighing All of Us Are Dead season 3, which could arrive in 2028.", FEB21, []),
    ("korean-filming", "'지금 우리 학교는' 시즌2는 2025년 6월 촬영을 시작했다.", date(2025, 5, 1), []),
    ("korean-denial", "'지금 우리 학교는' 시즌2의 2026년 공개는 어렵다.", FEB21, []),
    ("fan-event-no-release-word",
     "All of Us Are Dead season 2 fans gather in Seoul on March 14.", FEB21, []),
    ("name-inside-another-word-is-not-the-show",
     "Taoauad season 2 arrives December 4, Netflix confirmed.", FEB21, []),
    ("teaser-headline-label-keeps-the-season-date",
     "New teaser: All of Us Are Dead season 2 premieres December 4, 2026", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("german-teaser-label-is-no-source",
     "Neuer Teaser: Die zweite Staffel von All of Us Are Dead startet am 4. Dezember 2026", FEB21,
     [("2026-12-04", "2026-12-04", EX, C)]),
    ("teaser-release-date-is-not-the-season", "The teaser for All of Us Are Dead season 2 drops December 4.",
     date(2026, 11, 20), []),
    ("outlet-colon-headline-is-reported", "OSEN: All of Us Are Dead 2 set for a December 2026 release", FEB21,
     [("2026-12-01", "2026-12-31", MO, RP)]),
    ("weekday-named-show-is-a-title",
     "Netflix confirms Wednesday season 3 arrives in 2027, while All of Us Are Dead season 2 lands in January.",
     date(2026, 11, 20), [("2027-01-01", "2027-01-31", MO, C)]),
]


@pytest.mark.parametrize(("text", "published", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reader_table(text: str, published: date, expected: list[Expected]) -> None:
    """Each headline yields exactly the release windows and certainty a fan should be shown, or none."""
    claims = read_claims(text, published, NAMES)
    got = [(c.start.isoformat(), c.end.isoformat(), c.precision, c.status) for c in claims]
    assert got == expected


def test_table_is_large_enough() -> None:
    """The reader is held to at least sixty written cases, with hard negatives among them."""
    assert len(CASES) >= 60
    assert sum(1 for case in CASES if not case[3]) >= 20


def test_claims_carry_source_and_show() -> None:
    """A claim names the article it came from and the show's main name, for the pinned message."""
    source = Source("AOUAD S2 date", "Soompi", "https://example.org/a", FEB21)
    [claim] = read_claims("AOUAD season 2 premieres December 4, 2026, Netflix said.", FEB21, NAMES, source=source)
    assert claim.source == source
    assert claim.show == "All of Us Are Dead"


def test_other_show_names_are_respected() -> None:
    """The reader follows the show it is given, so a different show's server gets its own dates."""
    text = "Kingdom season 3 arrives in March 2027, Netflix confirmed."
    assert read_claims(text, FEB21, NAMES) == []
    [claim] = read_claims(text, FEB21, ["Kingdom"], next_season=3)
    assert (claim.start, claim.end, claim.status) == (date(2027, 3, 1), date(2027, 3, 31), Status.CONFIRMED)


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("early December 2026", "2026-12-01", "2026-12-10"),
        ("December 4, 2026", "2026-12-04", "2026-12-04"),
        ("Q1 2027", "2027-01-01", "2027-03-31"),
        ("late 2026 or early 2027", "2026-09-01", "2027-04-30"),
        ("summer 2027", "2027-06-01", "2027-08-31"),
    ],
)
def test_parse_window_reads_moderator_words(words: str, start: str, end: str) -> None:
    """A moderator can type a window in words and the countdown gets exactly that window."""
    window = parse_window(words, FEB21)
    assert window is not None
    assert (window.start.isoformat(), window.end.isoformat()) == (start, end)


@pytest.mark.parametrize("words", ["soon", "December 2026 maybe or so", "2026 and 2027 and 2028 or whenever"])
def test_parse_window_refuses_vague_words(words: str) -> None:
    """Words that are not one clear window are refused instead of guessed."""
    assert parse_window(words, FEB21) is None


NOV20 = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An aside between commas speaks of something else: its chart words do not touch the date.
        ("The zombie hit, which topped the charts in 2022, returns to Netflix on December 18.",
         [("2026-12-18", "2026-12-18", "confirmed")]),
        # The event where a date was announced is no event the date belongs to.
        ("Netflix confirmed the sequel for Q1 2027 during its content showcase in Seoul.",
         [("2027-01-01", "2027-03-31", "confirmed")]),
        # A premiere at a festival is a festival screening.
        ("The first two episodes premiere on December 5 at the Busan International Film Festival.", []),
        # A denial between a date and its verb.
        ("In January the second season will not arrive, Netflix said.", []),
        # "Before 2027 … not" is a lower bound.
        ("Before 2027 the series will not return, its director said.", [("2027-01-01", None, "reported")]),
        # A season word naming something else.
        ("The second season could drop on Friday, December 18, just in time for the winter break.",
         [("2026-12-18", "2026-12-18", "rumoured")]),
        # "on Wednesday" is a day even though "Wednesday" is also a show.
        ("Netflix's lineup, unveiled on Wednesday, puts the return of the series in February, a month after "
         "'Weak Hero'.", [("2027-02-01", "2027-02-28", "confirmed")]),
        # The platform's own listing, cited.
        ("The season returns Jan. 15, according to a listing on the streamer's own press site.",
         [("2027-01-15", "2027-01-15", "confirmed")]),
    ],
)
def test_rules_found_on_fresh_coverage(text: str, expected: list[tuple[str, str | None, str]]) -> None:
    """Shapes real coverage takes that the first reader missed: asides, venues, festivals, late denials."""
    readings = read(text, NOV20, "All of Us Are Dead")
    got = [(r.start.isoformat(), r.end.isoformat() if r.end else None, r.status.value) for r in readings]
    assert got == expected
