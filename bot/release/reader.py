"""Turn a news headline and summary into release claims for one show.

News about an unreleased season is full of dates that are not its release: filming and wrap dates, the
first season's premiere, other shows, birthdays, viewing weeks, denials. A wrong countdown is worse than
none, so the reader keeps a date only when, within its sentence and clause, it sits closer to a release
word than to anything else, the show (or a plain reference back to it) is the subject, and no negation,
bound ("before", "not until") or other season number is attached to it. Anything doubtful yields no claim.

Pure and deterministic: all patterns are compiled once at import; no I/O, no clock (relative phrases
are resolved against the article's publish date).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.release.claims import Precision, ReleaseClaim, Source, Status, month_end

log = logging.getLogger(__name__)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Month names must be capitalised: "may" is a hedge and "march" a verb.
_M = (
    r"(?P<m>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_Y = r"(?P<y>20\d{2})\b"
_YEAR_OR_REL = r"(?:(?P<y>20\d{2})\b|(?i:(?P<ry>this|next|the)\s+year))"
_Q = (
    r"(?i:(?P<q>early|mid|late|the\s+(?:end|beginning|start|middle)\s+of|(?:end|beginning|start|middle)\s+of"
    r"|the\s+(?:early|later?)\s+(?:part|months)\s+of))"
)
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_ISO = _rx(r"\b(?P<y>20\d{2})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b")
_RANGE_DAYS = _rx(_M + r"\s+(?P<d1>[0-3]?\d)\s*[-–]\s*(?P<d2>[0-3]?\d)(?!\d)(?:,?\s+" + _Y + ")?")
_EXACT_MDY = _rx(
    r"(?:(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+)?" + _M + r"\s+" + _DAY + r"(?:,?\s+" + _Y + ")?"
)
_EXACT_DMY = _rx(r"(?<![Ss]eason )(?<![Ss]eason)(?<![Pp]art )(?<![\d-])" + _DAY + r"\s+(?:of\s+)?" + _M
                 + r"(?:,?\s+" + _Y + ")?")
_PART_MONTH = _rx(_Q + r"[\s-]*(?:in\s+)?" + _M + r"(?:,?\s+(?:of\s+)?" + _Y + ")?")
_MONTH_YEAR = _rx(_M + r",?\s+(?:of\s+)?" + _Y)
_HALF = _rx(
    r"(?i:(?:the\s+)?(?P<h>first|second|1st|2nd|latter|back|front)\s+half\s+(?:of\s+)?)" + _YEAR_OR_REL
)
_HALF_SHORT = _rx(r"\bH(?P<h>[12])\s*(?:of\s+)?" + _Y)
_QUARTER = _rx(
    r"(?:\bQ(?P<n>[1-4])\s*(?:of\s+)?|(?i:(?:the\s+)?(?P<w>first|second|third|fourth|final|last)\s+quarter\s+"
    r"(?:of\s+)?))" + _YEAR_OR_REL
)
_SEASON = _rx(
    r"(?i:\b(?P<s>spring|summer|fall|autumn|winter))\s*(?:of\s+)?" + _Y + r"(?:\s*[-–/]\s*(?:20)?\d{2}\b)?"
)
_SEASON_REL = _rx(r"(?i:\b(?P<rs>this|next|the\s+coming)\s+(?P<s>spring|summer|fall|autumn|winter)\b)")
_YEAR_PART = _rx(_Q + r"[\s-]*" + _YEAR_OR_REL)
_RELATIVE = _rx(
    r"(?i:\b(?P<r>later\s+this\s+year|later\s+this\s+month|next\s+month|this\s+month|next\s+week|this\s+week"
    r"|tomorrow|today|tonight|next\s+year|this\s+year|(?P<nx>next|last|past)\s+(?:mon|tues|wednes|thurs|fri"
    r"|satur|sun)day|(?:this\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b)"
)
_MONTH_ALONE = _rx(r"(?i:\b(?:in|this|come|coming|for|on)\s+)" + _M + r"(?![\s,]*\d)")
_MONTH_BEFORE_RELEASE = _rx(
    r"(?i:\b(?:an?|the|its)\s+)" + _M + r"(?=\s+(?i:release|premiere|debut|launch|return|bow)\b)"
)
_YEAR_BEFORE_RELEASE = _rx(
    r"(?i:\b(?:an?|the|its)\s+)" + _Y + r"(?=\s+(?i:release|premiere|debut|launch|return|bow)\b)"
)
_YEAR_ALONE = _rx(r"(?i:\b(?:in|during|for|sometime\s+in|some\s+time\s+in|within|throughout)\s+)" + _Y)
_YEAR_AFTER_JOINER = _rx(r"(?:(?<=\bor )|(?<=\bto )|(?<=[-–/] )|(?<=[-–/]))" + _Y)
_YEAR_PART_RANGE = _rx(r"(?i:\b(?P<q1>early|mid)[\s-]*(?:to|or)[\s-]*(?P<q2>mid|late)[\s-]*)" + _YEAR_OR_REL)
_KO_DATE = _rx(r"(?:(?P<y>20\d{2})\s*년\s*)?(?P<mo>1[0-2]|0?[1-9])\s*월(?:\s*(?P<d>[0-3]?\d)\s*일)?")
_KO_YEAR_PART = _rx(
    r"(?:(?P<y>20\d{2})\s*년|(?P<ry>올해|내년))\s*(?P<p>상반기|하반기|초|연초|말|연말|중반|[1-4]\s*분기)?"
)
_KO_WITHIN_YEAR = _rx(r"연내")

# Order matters: earlier patterns claim their span first, so "early December 2026" is never read as
# "December 2026" or "2026".
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", _ISO),
    ("range", _RANGE_DAYS),
    ("part_month", _PART_MONTH),
    ("mdy", _EXACT_MDY),
    ("dmy", _EXACT_DMY),
    ("month_year", _MONTH_YEAR),
    ("half", _HALF),
    ("half", _HALF_SHORT),
    ("quarter", _QUARTER),
    ("season", _SEASON),
    ("season", _SEASON_REL),
    ("year_part_range", _YEAR_PART_RANGE),
    ("year_part", _YEAR_PART),
    ("relative", _RELATIVE),
    ("month_alone", _MONTH_ALONE),
    ("month_alone", _MONTH_BEFORE_RELEASE),
    ("year_alone", _YEAR_ALONE),
    ("year_alone", _YEAR_BEFORE_RELEASE),
    ("year_alone", _YEAR_AFTER_JOINER),
    ("ko_date", _KO_DATE),
    ("ko_year", _KO_YEAR_PART),
    ("ko_within", _KO_WITHIN_YEAR),
)

_BOUND_BEFORE = _rx(
    r"(?i:(?:\bby|\bbefore|\bafter|\buntil|\btill|\bbeyond|\bearliest|\bno\s+earlier\s+than|\bno\s+later\s+than"
    r"|\bas\s+early\s+as|\bas\s+late\s+as|\bsince|\bpast|\bprior\s+to|\blast)\s+(?:the\s+)?(?:end\s+of\s+"
    r"|start\s+of\s+)?$)"
)
# "Netflix confirmed on July 23": the day of a statement, not of the release.
_STATEMENT_DATE = _rx(
    r"(?i:(?:announc\w*|confirm\w*|reveal\w*|\bsaid|\bsays|report\w*|\bposted|\bshared|unveil\w*|\bstated"
    r"|\bwrote|\btweeted|\bstatement|\bpress\s+release|\bnews)\s+(?:\w+\s+){0,2}?on\s+$)"
)
_BOUND_AFTER = _rx(r"(?i:^\s*(?:at\s+the\s+(?:earliest|latest)|or\s+later|or\s+after|onwards?|and\s+beyond))")
_NEGATION_BEFORE = _rx(
    r"(?i:\bnot\b|n't\b|\bnever\b|\bno\s+longer\b|\bunlikely\b|\bruled?\s+out\b|\binstead\s+of\b|\brather\s+than\b"
    r"|\bdenied\b|\bdenies\b|\bfalse\b|\bfake\b|\bdebunk\w*|\buntrue\b|\bmiss(?:es|ed)?\b|\bskip\w*|\bscrapped\b"
    r"|\bcancel\w*|\bpushed\s+(?:back\s+)?from\b|\bdelayed\s+from\b|\bpostponed\s+from\b|\bmoved\s+from\b|\bno\b"
    r"|\bearlier\b|\bpreviously\b|\boriginally\b|\binitially\b|\bformerly\b|\bhad\s+been\b)"
)
_NEGATION_AFTER = _rx(
    r"(?i:^[^,;]{0,30}?(?:\bis\s+off\b|\bruled\s+out\b|\bno\s+longer\b|\bunlikely\b|\bquestionable\b"
    r"|\bin\s+doubt\b|\bwas\s+wrong\b|\bfalse\b|\bdenied\b))"
)
_DISMISSED = _rx(r"(?i:\bfalse\b|\bfake\b|\bdebunk\w*|\buntrue\b|\bdenied\b|\bdenies\b|\bhoax\w*|\bclickbait\b)")
_KO_NEGATION = _rx(r"않|못\s*하|아니|미정|불발|무산|어렵|힘들|없|빠졌|빠진|제외")

_RELEASE = _rx(
    r"(?i:\breleas\w*|\bpremier\w*|\breturn\w*|\barriv\w*|\bdrop(?:s|ping|ped)?\b|\bstream\w*|\bdebut\w*"
    r"|\blaunch\w*|\bairs?\b|\bairing\b|\blands?\b|\blanding\b|\bcoming\b|\bcomes?\s+(?:out|back)\b"
    r"|\bbe\s+back\b|\bis\s+back\b|\bslated\b|\bdue\b|\bset\s+(?:for|to)\b|\bscheduled\b|\bdated\b|\bbows?\b"
    r"|\bhits?\s+(?:netflix|screens)\b|\bout\s+(?:on|in)\b|\btipped\b|\bexpected\b|\bpegged\b|\bwindow\b"
    r"|\btarget\w*|\bnetflix\s+dates\b|\beye(?:s|d|ing)\b)|공개|방영|방송|돌아|컴백|출격|선보"
)
_EXCLUDE = _rx(
    r"(?i:\bfilm\w*|\bshoot\w*|\bshot\b|\bwrap\w*|\bcrank\w*|\bproduction\b|\bpost-production\b|\bcasting\b"
    r"|\bcast\b|\bjoin(?:s|ed|ing)?\b|\baudition\w*|\btable\s+read\w*|\bscript\w*|\bbirthday\w*|\bborn\b"
    r"|\bturns\s+\d+|\banniversar\w*|\bhours\b|\bviewing\b|\bviewership\b|\bviews\b|\bweek\s+of\b|\btop\s*10\b"
    r"|\bcharts?\b|\brenew\w*|\btrailer\w*|\bteaser\w*|\bposters?\b|\benlist\w*|\bmilitary\b|\bdischarg\w*"
    r"|\bpremiered\b|\bdebuted\b|\b(?:was|were)\s+released\b|\bcame\s+out\b|\baired\b|\bdropped\b"
    r"|\bphotos?\b|\bstills?\b|\bimages?\b|\bpictures?\b|\bfirst\s+look\b|\bclips?\b|\bfootage\b|\bost\b"
    r"|\bsoundtrack\w*|\balbum\b|\bwebtoon\w*|\bmerch\w*|\bgame\s+(?:app|tie-in)\b|\bbehind-the-scenes\b"
    r"|\baward\w*|\bceremony\b|\bfestival\b|\binterview\w*|\bfan\s*meet\w*|\bconcert\w*|\bvfx\b|\bsurvey\w*)"
    r"|촬영|크랭크|제작|생일|입대|전역|시청|예고편|티저|포스터|스틸|사진|대본|OST"
)
# "photos released", "trailer drops on": the thing released is named right before the release word.
_EXCLUDE_ADJACENT = _rx(r"(?:" + _EXCLUDE.pattern + r")[\w-]*\s+(?:[\w-]+\s+)?$")
_SEASON_MENTION = _rx(
    r"(?i:\bseason\s*(?P<n>\d+)\b|\bS(?P<s>\d+)\b|\bseason\s+(?P<wn>one|two|three|four)\b"
    r"|\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:season|installment|instalment)\b"
    r"|\b(?P<nxt>new\s+season|next\s+season|upcoming\s+season|sequel|follow-up|next\s+chapter)\b)"
    r"|시즌\s*(?P<ko>\d+)"
)
_BACK_REFERENCE = _rx(
    r"(?i:\bseason\s*\d+|\b(?:second|new|next|upcoming)\s+season\b|\bsequel\b|\bthe\s+(?:series|show|drama)\b"
    r"|\bthe\s+(?:zombie|k-?drama|netflix|hit|horror)\s+\w+|\bit\b|\bits\b|\bthe\s+season\b)|시즌\s*\d+"
)
# A capitalised title directly before "Season N": another show unless it is ours.
_TITLE_SEASON = _rx(
    r"(?P<title>[A-Z0-9][\w'’&:!.-]*(?:\s+(?:[A-Z0-9][\w'’&:!.-]*|of|the|and|a|an|in|on|at|to|for|us|are|is))"
    r"{0,6})\s+(?i:season)\s*\d+"
)
# "Sweet Home 3", "Squid Game 2": a capitalised title with a sequel number.
_TITLE_NUMBER = _rx(
    r"(?P<title>[A-Z][\w'&:-]*(?:\s+(?:[A-Z][\w'&:-]*|of|the|and|in|on|us|are)){0,5})\s+(?P<n>[1-9])\b"
    r"(?![\d,.:]|\s*(?:st|nd|rd|th)\b)"
)
_NOT_A_TITLE_END = frozenset({
    "season", "part", "top", "episode", "episodes", "vol", "volume", "chapter", "phase", "week", "day",
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
    "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "no", "number", "the",
})  # fmt: skip
_QUOTED_TITLE = _rx(r"(?:(?<=\s)|(?<=^)|(?<=\())[\"“‘'](?P<title>[^\"”’'\n]{2,50}?)[\"”’'](?![A-Za-z])")
_GENERIC_TITLE_END = frozenset({
    "for", "of", "the", "a", "an", "its", "new", "next", "second", "third", "first", "release", "date",
    "drama", "series", "show", "netflix", "k-drama", "zombie", "and", "with", "in", "on", "to", "when",
    "will", "confirms", "confirmed", "announces", "reveals", "dated", "set", "netflix's", "upcoming",
})  # fmt: skip
_SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "at", "to", "for", "us", "are", "is"})

_HEDGE = _rx(
    r"(?i:\bexpect\w*|\btipped\b|\bcould\b|\blikely\b|\brumou?r\w*|\bspeculat\w*|\bpossibl\w*|\bprobabl\w*"
    r"|\bpredict\w*|\bmight\b|\bestimat\w*|\bguess\w*|\bpotential\w*|\bunconfirmed\b|\bhop(?:e|es|ed|ing)\b"
    r"|\bif\s+all\s+goes|\bpencil\w*|(?:\bnot|n't|\byet\s+to)\s+(?:\w+\s+){0,3}(?:confirm|announc|reveal)\w*)"
    r"|\bmay\b|전망|예상|가능성|관측|유력|추정|보인다|점쳐"
)
_NETFLIX_OFFICIAL = _rx(
    r"(?i:\baccording\s+to\s+netflix\b|\bper\s+netflix\b|\bnetflix(?:\s+korea)?(?:'s)?\s+(?:has\s+|have\s+)?"
    r"(?:officially\s+)?(?:announc\w*|confirm\w*|reveal\w*|unveil\w*|said|says|set|dated|shared|told|posted"
    r"|statement|press\s+release))|넷플릭스[^.]{0,40}(?:발표|확정|밝혔)"
)
_OFFICIAL = _rx(
    r"(?i:\bofficial\w*|\bannounc\w*|\bconfirm\w*|\bunveil\w*|\breveal\w*|\bset\s+(?:for|to)\b|\bhas\s+set\b"
    r"|\bdated\b)|확정|발표|공식"
)
_REPORTED = _rx(
    r"(?i:\breportedly\b|\baccording\s+to\b|\bsources?\b|\binsiders?\b|\breports?\b|\breported\b|\bper\s+[A-Z]"
    r"|\bciting\b|\bcited\b|\btold\b|\bsaid\b|\bsays\b|\bagency\b|\ban?\s+(?:industry\s+)?(?:official|insider"
    r"|representative|spokesperson)\b|\bsuggest\w*|\bclaim\w*|\blearn(?:ed|t)\b|\bexclusive\w*)|관계자|따르면|전해졌|알려졌|보도"
)

_CLAUSE_SPLIT = _rx(
    r";|,?\s+(?i:while|whereas|but|although|though|however|meanwhile)\s+|\s+[—–]\s+(?i:and|while|but)\s+"
)
_LEADING_SUBCLAUSE = _rx(r"^(?i:although|though|while|even\s+though|despite|since|after|before)\b[^,]{0,120},")
_SENTENCE_SPLIT = _rx(r"(?<=[.!?])[\"”’)]?\s+|\n+|(?<=다\.)\s*|\s+[|•]\s+")
_MONTH_ABBREVIATION_DOT = _rx(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|St|Mr|Ms|Dr)\.")
_SPACES = _rx(r"\s+")

# How far back a year-less date may point before it is read as a past date rather than next year's.
_PAST_GRACE = timedelta(days=120)
_FUTURE_LIMIT = timedelta(days=365 * 6)
# Headline and summary fit well inside this; longer input is cut so one huge item cannot stall the feed loop.
_MAX_TEXT = 4000
# How far before a date (or release word) its qualifiers ("not before", "photos released") are looked for.
_NEAR = 60


@dataclass(frozen=True, slots=True)
class Window:
    """A window of days with its width; what a date phrase means before the context is judged."""

    start: date
    end: date
    precision: Precision


@dataclass(frozen=True, slots=True)
class _Found:
    begin: int
    end: int
    window: Window | None  # None: a date the reader recognised but cannot turn into a window


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _whole_months(year: int, first: int, last: int, precision: Precision) -> Window:
    return Window(date(year, first, 1), month_end(year, last), precision)


def _next_occurrence(month: int, day: int | None, published: date) -> date | None:
    """A year-less date: this year's if not long past, else next year's; None for a recent past date."""
    try:
        candidate = date(published.year, month, day or 1)
    except ValueError:
        return None
    last_day = candidate if day else month_end(candidate.year, candidate.month)
    if last_day >= published:
        return candidate
    if published - last_day <= _PAST_GRACE:
        return None
    try:
        return date(published.year + 1, month, day or 1)
    except ValueError:
        return None


def _relative_year(token: str | None, year: str | None, published: date) -> int | None:
    if year:
        return int(year)
    if token is None:
        return None
    word = token.lower()
    if word == "next":
        return published.year + 1
    return published.year  # "this year", "the year"


def _part_of_month(qualifier: str, year: int, month: int) -> Window:
    q = _SPACES.sub(" ", qualifier.lower())
    last = month_end(year, month).day
    if "early" in q or "beginning" in q or "start" in q:
        return Window(date(year, month, 1), date(year, month, 10), Precision.PART_OF_MONTH)
    if q == "mid" or "middle" in q:
        return Window(date(year, month, 11), date(year, month, 20), Precision.PART_OF_MONTH)
    return Window(date(year, month, 21), date(year, month, last), Precision.PART_OF_MONTH)


def _part_of_year(qualifier: str, year: int) -> Window:
    q = _SPACES.sub(" ", qualifier.lower())
    if "early" in q or "beginning" in q or "start" in q:
        return _whole_months(year, 1, 4, Precision.HALF)
    if q == "mid" or "middle" in q:
        return _whole_months(year, 5, 8, Precision.HALF)
    return _whole_months(year, 9, 12, Precision.HALF)


def _season(name: str, year: int) -> Window:
    key = name.lower()
    if key == "winter":
        return Window(date(year, 12, 1), month_end(year + 1, 2), Precision.SEASON)
    first = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9}[key]
    return _whole_months(year, first, first + 2, Precision.SEASON)


def _window(kind: str, match: re.Match[str], published: date) -> Window | None:  # one branch per pattern kind
    g = match.groupdict()
    if kind == "iso":
        try:
            day = date(int(g["y"]), int(g["mo"]), int(g["d"]))
        except ValueError:
            return None
        return Window(day, day, Precision.EXACT)
    if kind in ("mdy", "dmy", "range"):
        month = _month_number(g["m"])
        first = int(g["d1"] if kind == "range" else g["d"])
        last = int(g["d2"]) if kind == "range" else first
        if g.get("y"):
            anchor: date | None = date(int(g["y"]), month, 1)
        else:
            anchor = _next_occurrence(month, None, published)
        if anchor is None or last < first:
            return None
        try:
            start, end = date(anchor.year, month, first), date(anchor.year, month, last)
        except ValueError:
            return None
        if not g.get("y") and kind != "range":
            resolved = _next_occurrence(month, first, published)
            if resolved is None:
                return None
            start = end = resolved
        return Window(start, end, Precision.EXACT if start == end else Precision.PART_OF_MONTH)
    if kind in ("part_month", "month_year", "month_alone"):
        month = _month_number(g["m"])
        if g.get("y"):
            year = int(g["y"])
        else:
            anchor = _next_occurrence(month, None, published)
            if anchor is None:
                return None
            year = anchor.year
        if kind == "part_month":
            return _part_of_month(g["q"], year, month)
        return _whole_months(year, month, month, Precision.MONTH)
    if kind == "half":
        year_h = _relative_year(g.get("ry"), g.get("y"), published)
        if year_h is None:
            return None
        second = g["h"].lower() in ("second", "2nd", "latter", "back", "2")
        return _whole_months(year_h, 7 if second else 1, 12 if second else 6, Precision.HALF)
    if kind == "quarter":
        year_q = _relative_year(g.get("ry"), g.get("y"), published)
        if year_q is None:
            return None
        words = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
        number = int(g["n"]) if g.get("n") else words[g["w"].lower()]
        return _whole_months(year_q, number * 3 - 2, number * 3, Precision.QUARTER)
    if kind == "season":
        name = g["s"]
        if g.get("y"):
            return _season(name, int(g["y"]))
        season = _season(name, published.year)
        if season.end < published or (g["rs"].lower() == "next" and season.start <= published):
            season = _season(name, published.year + 1)
        return season
    if kind == "year_part":
        year_p = _relative_year(g.get("ry"), g.get("y"), published)
        return None if year_p is None else _part_of_year(g["q"], year_p)
    if kind == "year_part_range":
        year_r = _relative_year(g.get("ry"), g.get("y"), published)
        if year_r is None:
            return None
        first_part, last_part = _part_of_year(g["q1"], year_r), _part_of_year(g["q2"], year_r)
        return Window(first_part.start, last_part.end, Precision.YEAR)
    if kind == "year_alone":
        return _whole_months(int(g["y"]), 1, 12, Precision.YEAR)
    if kind == "relative":
        return _relative(g["r"], g.get("wd"), published)
    if kind == "ko_date":
        return _korean_date(g, published)
    if kind == "ko_year":
        return _korean_year(g, published)
    if kind == "ko_within":
        return Window(published, date(published.year, 12, 31), Precision.YEAR)
    return None


def _relative(phrase: str, weekday: str | None, published: date) -> Window | None:
    p = _SPACES.sub(" ", phrase.lower())
    year = published.year
    if p.startswith(("next ", "last ", "past ")) and p.endswith("day"):
        return None  # "next Friday" means different days to different writers
    if weekday:
        target = _WEEKDAYS.index(weekday.lower())
        day = published + timedelta(days=(target - published.weekday()) % 7)
        return Window(day, day, Precision.EXACT)
    if p in ("today", "tonight"):
        return Window(published, published, Precision.EXACT)
    if p == "tomorrow":
        day = published + timedelta(days=1)
        return Window(day, day, Precision.EXACT)
    if p == "this week":
        return Window(published, published + timedelta(days=6 - published.weekday()), Precision.PART_OF_MONTH)
    if p == "next week":
        monday = published + timedelta(days=7 - published.weekday())
        return Window(monday, monday + timedelta(days=6), Precision.PART_OF_MONTH)
    if p == "this month":
        return Window(published, month_end(year, published.month), Precision.MONTH)
    if p == "later this month":
        if published == month_end(year, published.month):
            return None
        return Window(published + timedelta(days=1), month_end(year, published.month), Precision.MONTH)
    if p == "next month":
        first = month_end(year, published.month) + timedelta(days=1)
        return _whole_months(first.year, first.month, first.month, Precision.MONTH)
    if p == "later this year":
        if published.month == 12:
            return None
        return Window(date(year, published.month + 1, 1), date(year, 12, 31), Precision.YEAR)
    if p == "this year":
        return _whole_months(year, 1, 12, Precision.YEAR)
    if p == "next year":
        return _whole_months(year + 1, 1, 12, Precision.YEAR)
    return None


def _korean_date(g: dict[str, str | None], published: date) -> Window | None:
    month = int(g["mo"] or 0)
    day_text = g.get("d")
    day = int(day_text) if day_text else None
    if g.get("y"):
        year = int(g["y"] or 0)
    else:
        anchor = _next_occurrence(month, day, published)
        if anchor is None:
            return None
        year = anchor.year
    try:
        if day:
            exact = date(year, month, day)
            return Window(exact, exact, Precision.EXACT)
    except ValueError:
        return None
    return _whole_months(year, month, month, Precision.MONTH)


def _korean_year(g: dict[str, str | None], published: date) -> Window | None:
    year = int(g["y"] or 0) if g.get("y") else published.year + (1 if g.get("ry") == "내년" else 0)
    part = _SPACES.sub("", g.get("p") or "")
    if part == "상반기":
        return _whole_months(year, 1, 6, Precision.HALF)
    if part == "하반기":
        return _whole_months(year, 7, 12, Precision.HALF)
    if part in ("초", "연초"):
        return _whole_months(year, 1, 4, Precision.HALF)
    if part == "중반":
        return _whole_months(year, 5, 8, Precision.HALF)
    if part in ("말", "연말"):
        return _whole_months(year, 9, 12, Precision.HALF)
    if part.endswith("분기"):
        number = int(part[0])
        return _whole_months(year, number * 3 - 2, number * 3, Precision.QUARTER)
    return _whole_months(year, 1, 12, Precision.YEAR)


def _find_windows(clause: str, published: date) -> list[_Found]:
    taken: list[tuple[int, int]] = []
    found: list[_Found] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(clause):
            begin, end = match.span()
            if any(begin < t_end and t_begin < end for t_begin, t_end in taken):
                continue
            taken.append((begin, end))
            found.append(_Found(begin, end, _window(kind, match, published)))
    found.sort(key=lambda f: f.begin)
    return _merge_alternatives(clause, found)


_JOINER = _rx(r"(?i:^\s*(?:,\s*)?(?:or|to|and|through|until|-|–|—|/)\s*(?:in\s+|the\s+)?$)")
_FROM = _rx(r"(?i:\bfrom\s+$)")


def _merge_alternatives(clause: str, found: list[_Found]) -> list[_Found]:
    """Join "late 2026 or early 2027" (and "between X and Y") into one window spanning both."""
    merged: list[_Found] = []
    for item in found:
        if merged:
            previous = merged[-1]
            gap = clause[previous.end : item.begin]
            moved = _FROM.search(clause[: previous.begin]) is not None
            if _JOINER.match(gap) and previous.window and item.window and not moved:
                first, second = previous.window, item.window
                start, end = min(first.start, second.start), max(first.end, second.end)
                precision = max(first.precision, second.precision, _precision_for(start, end), key=_rank)
                merged[-1] = _Found(previous.begin, item.end, Window(start, end, precision))
                continue
        merged.append(item)
    return merged


def _rank(precision: Precision) -> int:
    return precision.rank


def _precision_for(start: date, end: date) -> Precision:
    days = (end - start).days + 1
    for limit, precision in ((1, Precision.EXACT), (11, Precision.PART_OF_MONTH), (31, Precision.MONTH),
                             (92, Precision.QUARTER), (184, Precision.HALF)):
        if days <= limit:
            return precision
    return Precision.YEAR


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'")
    return _MONTH_ABBREVIATION_DOT.sub(r"\1", text)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(_normalise(text)) if s and s.strip()]


def _clauses(sentence: str) -> list[str]:
    parts: list[str] = []
    lead = _LEADING_SUBCLAUSE.match(sentence)
    if lead:
        parts.append(sentence[: lead.end()])
        sentence = sentence[lead.end() :]
    parts.extend(p for p in _CLAUSE_SPLIT.split(sentence) if p and p.strip())
    return parts


def _name_pattern(show_names: Sequence[str]) -> re.Pattern[str]:
    names = sorted({_normalise(n).strip() for n in show_names if n.strip()}, key=len, reverse=True)
    if not names:
        raise ValueError("at least one show name is needed")
    alternatives = "|".join(_SPACES.sub(r"\\s+", re.escape(n).replace(r"\ ", " ")) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _is_ours(title: str, names: re.Pattern[str]) -> bool:
    return names.search(title) is not None


def _other_show_spans(clause: str, names: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, length) of titles in the clause that are some other show."""
    positions: list[tuple[int, int]] = []
    for match in _TITLE_SEASON.finditer(clause):
        title = match.group("title")
        last = title.split()[-1].lower().strip(":")
        if not _is_ours(title, names) and last not in _GENERIC_TITLE_END:
            positions.append((match.start(), len(match.group(0))))
    for match in _TITLE_NUMBER.finditer(clause):
        title = match.group("title")
        last = title.split()[-1].lower()
        if last not in _NOT_A_TITLE_END and not _is_ours(title, names):
            positions.append((match.start(), len(match.group(0))))
    for match in _QUOTED_TITLE.finditer(clause):
        title = match.group("title").strip()
        words = title.split()
        titled = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL_WORDS for w in words)
        korean = any("\uac00" <= ch <= "\ud7a3" for ch in title)
        if (titled or korean) and len(words) <= 6 and not _is_ours(title, names):
            positions.append((match.start(), len(match.group(0))))
    return positions


def _distance(found: _Found, position: int, length: int = 0) -> int:
    if position + length <= found.begin:
        return found.begin - (position + length)
    if position >= found.end:
        return position - found.end
    return 0


def _nearest(found: _Found, pattern: re.Pattern[str], clause: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(clause))
    return min(matches, key=lambda m: _distance(found, m.start(), len(m.group(0)))) if matches else None


def _span_distance(found: _Found, match: re.Match[str]) -> int:
    return _distance(found, match.start(), len(match.group(0)))


def _season_number(match: re.Match[str], next_season: int) -> int:
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "first": 1, "second": 2, "third": 3, "fourth": 4,
             "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
    for key in ("n", "s", "ko"):
        if match.group(key):
            return int(match.group(key))
    if match.group("wn"):
        return words[match.group("wn").lower()]
    if match.group("ord"):
        return words[match.group("ord").lower()]
    return next_season


def _about_release(found: _Found, previous_end: int, clause: str, names: re.Pattern[str],
                   next_season: int) -> bool:
    """Whether a date in this clause is the next season's release, judged only by the words around it.

    Negations and bounds count only between the previous date and this one, so "won't arrive in 2026
    and is now expected in early 2027" keeps the second date.
    """
    before, after = clause[previous_end : found.begin], clause[found.end :]
    near = before[-_NEAR:]
    if _BOUND_BEFORE.search(near) or _BOUND_AFTER.match(after) or _STATEMENT_DATE.search(near):
        return False
    if _NEGATION_BEFORE.search(before) or _NEGATION_AFTER.match(after) or _KO_NEGATION.search(clause):
        return False
    release = _nearest(found, _RELEASE, clause)
    if release is None or _EXCLUDE_ADJACENT.search(clause[max(0, release.start() - _NEAR) : release.start()]):
        return False
    exclude = _nearest(found, _EXCLUDE, clause)
    if exclude is not None and _span_distance(found, exclude) <= _span_distance(found, release):
        return False
    seasons = [(_distance(found, m.start(), len(m.group(0))), _season_number(m, next_season))
               for m in _SEASON_MENTION.finditer(clause)]
    if seasons and min(seasons)[1] != next_season:
        return False
    ours = [(m.start(), len(m.group(0))) for m in names.finditer(clause)]
    others = _other_show_spans(clause, names)
    if not ours:
        return not others and _BACK_REFERENCE.search(clause) is not None
    if not others:
        return True
    return _subject_is_ours(found, ours, others)


def _subject_is_ours(found: _Found, ours: list[tuple[int, int]], others: list[tuple[int, int]]) -> bool:
    """With two shows in a clause, the date belongs to the nearest one named before it ("X arrives in
    December"), or, when none comes before, to the nearest after it ("In December, X arrives")."""
    mentions = [(start, length, True) for start, length in ours] + [(s, n, False) for s, n in others]
    before = [m for m in mentions if m[0] < found.begin]
    pool = before or mentions
    nearest = min(pool, key=lambda m: _distance(found, m[0], m[1]))
    return nearest[2]


def _status(sentence: str) -> Status | None:
    """The writer's attribution: hedges beat reports, reports beat official words; None when silent."""
    if _HEDGE.search(sentence):
        return Status.RUMOURED
    without_netflix = _NETFLIX_OFFICIAL.sub(" ", sentence)
    if without_netflix != sentence:
        return Status.CONFIRMED if not _REPORTED.search(without_netflix) else Status.REPORTED
    if _REPORTED.search(sentence):
        return Status.REPORTED
    if _OFFICIAL.search(sentence):
        return Status.CONFIRMED
    return None


def read_claims(
    text: str,
    published: date,
    show_names: Sequence[str],
    *,
    source: Source | None = None,
    next_season: int = 2,
) -> list[ReleaseClaim]:
    """Release claims for the show's next season found in ``text`` (headline and summary together).

    ``published`` anchors year-less and relative dates. Claims come in text order without duplicates;
    ``best_claim`` picks one per article. ``source`` defaults to the text's first line as the title.
    """
    names = _name_pattern(show_names)
    text = text[:_MAX_TEXT]
    sentences = _sentences(text)
    if not sentences or not any(names.search(s) for s in sentences):
        return []
    if _DISMISSED.search(text):
        return []  # an article calling some date fake is no place to pick one up
    source = source or Source(title=sentences[0][:200], outlet="", url="", published=published)
    headline_status = _status(sentences[0])
    claims: list[ReleaseClaim] = []
    for sentence in sentences:
        status = _status(sentence) or headline_status or Status.RUMOURED
        if sentence.endswith("?"):
            status = Status.RUMOURED  # a headline asking is not telling
        for clause in _clauses(sentence):
            previous_end = 0
            for found in _find_windows(clause, published):
                window, start_of_segment, previous_end = found.window, previous_end, found.end
                if window is None or window.end < published or window.start > published + _FUTURE_LIMIT:
                    continue
                if not _about_release(found, start_of_segment, clause, names, next_season):
                    continue
                claim = ReleaseClaim(window.start, window.end, window.precision, status, source,
                                     show_names[0])
                if claim not in claims:
                    claims.append(claim)
    log.debug("read %d claim(s) from %r", len(claims), text[:80])
    return claims


def parse_window(words: str, today: date) -> Window | None:
    """A moderator's window in words ("early December 2026", "Q1 2027") as one window, or None.

    Unlike ``read_claims`` there is no context to judge: the whole text must be one date phrase.
    """
    phrase = _normalise(words).strip().rstrip(".")
    found = _find_windows(phrase, today)
    if len(found) != 1 or found[0].window is None:
        return None
    leftover = (phrase[: found[0].begin] + phrase[found[0].end :]).strip(" ,")
    if leftover and leftover.lower() not in ("in", "on", "the", "between", "sometime in"):
        return None
    return found[0].window
