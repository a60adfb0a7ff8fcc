"""The words the news reader looks for: date phrases, and the words around a date that decide what it means.

Every pattern is compiled once at import. Month names must be capitalised and most vocabulary matches whole
words only, because the cheap mistakes are common ones: "may" is a hedge, "march" a verb, "shot" a filming
word. Korean alternatives sit beside the English ones so one judgement serves both.
"""

from __future__ import annotations

import re

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

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
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
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

# Words next to a date that make it a bound, the day of a statement, or a denied date: not a release.
BOUND_BEFORE = _rx(
    r"(?i:(?:\bby|\bbefore|\bafter|\buntil|\btill|\bbeyond|\bearliest|\bno\s+earlier\s+than|\bno\s+later\s+than"
    r"|\bas\s+early\s+as|\bas\s+late\s+as|\bsince|\bpast|\bprior\s+to|\blast)\s+(?:the\s+)?(?:end\s+of\s+"
    r"|start\s+of\s+)?$)"
)
# "Netflix confirmed on July 23": the day of a statement, not of the release.
STATEMENT_DATE = _rx(
    r"(?i:(?:announc\w*|confirm\w*|reveal\w*|\bsaid|\bsays|report\w*|\bposted|\bshared|unveil\w*|\bstated"
    r"|\bwrote|\btweeted|\bstatement|\bpress\s+release|\bnews)\s+(?:\w+\s+){0,2}?on\s+$)"
)
BOUND_AFTER = _rx(r"(?i:^\s*(?:at\s+the\s+(?:earliest|latest)|or\s+later|or\s+after|onwards?|and\s+beyond))")
NEGATION_BEFORE = _rx(
    r"(?i:\bnot\b|n't\b|\bnever\b|\bno\s+longer\b|\bunlikely\b|\bruled?\s+out\b|\binstead\s+of\b|\brather\s+than\b"
    r"|\bdenied\b|\bdenies\b|\bfalse\b|\bfake\b|\bdebunk\w*|\buntrue\b|\bmiss(?:es|ed)?\b|\bskip\w*|\bscrapped\b"
    r"|\bcancel\w*|\bpushed\s+(?:back\s+)?from\b|\bdelayed\s+from\b|\bpostponed\s+from\b|\bmoved\s+from\b|\bno\b"
    r"|\bearlier\b|\bpreviously\b|\boriginally\b|\binitially\b|\bformerly\b|\bhad\s+been\b)"
)
NEGATION_AFTER = _rx(
    r"(?i:^[^,;]{0,30}?(?:\bis\s+off\b|\bruled\s+out\b|\bno\s+longer\b|\bunlikely\b|\bquestionable\b"
    r"|\bin\s+doubt\b|\bwas\s+wrong\b|\bfalse\b|\bdenied\b))"
)
DISMISSED = _rx(r"(?i:\bfalse\b|\bfake\b|\bdebunk\w*|\buntrue\b|\bdenied\b|\bdenies\b|\bhoax\w*|\bclickbait\b)")
KO_NEGATION = _rx(r"않|못\s*하|아니|미정|불발|무산|어렵|힘들|없|빠졌|빠진|제외")

RELEASE = _rx(
    r"(?i:\breleas\w*|\bpremier\w*|\breturn\w*|\barriv\w*|\bdrop(?:s|ping|ped)?\b|\bstream\w*|\bdebut\w*"
    r"|\blaunch\w*|\bairs?\b|\bairing\b|\blands?\b|\blanding\b|\bcoming\b|\bcomes?\s+(?:out|back)\b"
    r"|\bbe\s+back\b|\bis\s+back\b|\bslated\b|\bdue\b|\bset\s+(?:for|to)\b|\bscheduled\b|\bdated\b|\bbows?\b"
    r"|\bhits?\s+(?:netflix|screens)\b|\bout\s+(?:on|in)\b|\btipped\b|\bexpected\b|\bpegged\b|\bwindow\b"
    r"|\btarget\w*|\bnetflix\s+dates\b|\beye(?:s|d|ing)\b)|공개|방영|방송|돌아|컴백|출격|선보"
)
EXCLUDE = _rx(
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
EXCLUDE_ADJACENT = _rx(r"(?:" + EXCLUDE.pattern + r")[\w-]*\s+(?:[\w-]+\s+)?$")
SEASON_MENTION = _rx(
    r"(?i:\bseason\s*(?P<n>\d+)\b|\bS(?P<s>\d+)\b|\bseason\s+(?P<wn>one|two|three|four)\b"
    r"|\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:season|installment|instalment)\b"
    r"|\b(?P<nxt>new\s+season|next\s+season|upcoming\s+season|sequel|follow-up|next\s+chapter)\b)"
    r"|시즌\s*(?P<ko>\d+)"
)
BACK_REFERENCE = _rx(
    r"(?i:\bseason\s*\d+|\b(?:second|new|next|upcoming)\s+season\b|\bsequel\b|\bthe\s+(?:series|show|drama)\b"
    r"|\bthe\s+(?:zombie|k-?drama|netflix|hit|horror)\s+\w+|\bit\b|\bits\b|\bthe\s+season\b)|시즌\s*\d+"
)
# A capitalised title directly before "Season N": another show unless it is ours.
TITLE_SEASON = _rx(
    r"(?P<title>[A-Z0-9][\w'’&:!.-]*(?:\s+(?:[A-Z0-9][\w'’&:!.-]*|of|the|and|a|an|in|on|at|to|for|us|are|is))"
    r"{0,6})\s+(?i:season)\s*\d+"
)
# "Sweet Home 3", "Squid Game 2": a capitalised title with a sequel number.
TITLE_NUMBER = _rx(
    r"(?P<title>[A-Z][\w'&:-]*(?:\s+(?:[A-Z][\w'&:-]*|of|the|and|in|on|us|are)){0,5})\s+(?P<n>[1-9])\b"
    r"(?![\d,.:]|\s*(?:st|nd|rd|th)\b)"
)
NOT_A_TITLE_END = frozenset({
    "season", "part", "top", "episode", "episodes", "vol", "volume", "chapter", "phase", "week", "day",
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
    "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "no", "number", "the",
})  # fmt: skip
QUOTED_TITLE = _rx(r"(?:(?<=\s)|(?<=^)|(?<=\())[\"“‘'](?P<title>[^\"”’'\n]{2,50}?)[\"”’'](?![A-Za-z])")
GENERIC_TITLE_END = frozenset({
    "for", "of", "the", "a", "an", "its", "new", "next", "second", "third", "first", "release", "date",
    "drama", "series", "show", "netflix", "k-drama", "zombie", "and", "with", "in", "on", "to", "when",
    "will", "confirms", "confirmed", "announces", "reveals", "dated", "set", "netflix's", "upcoming",
})  # fmt: skip
SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "at", "to", "for", "us", "are", "is"})

# The writer's attribution for a whole sentence: a hedge, Netflix's own word, a report, an official word.
HEDGE = _rx(
    r"(?i:\bexpect\w*|\btipped\b|\bcould\b|\blikely\b|\brumou?r\w*|\bspeculat\w*|\bpossibl\w*|\bprobabl\w*"
    r"|\bpredict\w*|\bmight\b|\bestimat\w*|\bguess\w*|\bpotential\w*|\bunconfirmed\b|\bhop(?:e|es|ed|ing)\b"
    r"|\bif\s+all\s+goes|\bpencil\w*|(?:\bnot|n't|\byet\s+to)\s+(?:\w+\s+){0,3}(?:confirm|announc|reveal)\w*)"
    r"|\bmay\b|전망|예상|가능성|관측|유력|추정|보인다|점쳐"
)
NETFLIX_OFFICIAL = _rx(
    r"(?i:\baccording\s+to\s+netflix\b|\bper\s+netflix\b|\bnetflix(?:\s+korea)?(?:'s)?\s+(?:has\s+|have\s+)?"
    r"(?:officially\s+)?(?:announc\w*|confirm\w*|reveal\w*|unveil\w*|said|says|set|dated|shared|told|posted"
    r"|statement|press\s+release))|넷플릭스[^.]{0,40}(?:발표|확정|밝혔)"
)
OFFICIAL = _rx(
    r"(?i:\bofficial\w*|\bannounc\w*|\bconfirm\w*|\bunveil\w*|\breveal\w*|\bset\s+(?:for|to)\b|\bhas\s+set\b"
    r"|\bdated\b)|확정|발표|공식"
)
REPORTED = _rx(
    r"(?i:\breportedly\b|\baccording\s+to\b|\bsources?\b|\binsiders?\b|\breports?\b|\breported\b|\bper\s+[A-Z]"
    r"|\bciting\b|\bcited\b|\btold\b|\bsaid\b|\bsays\b|\bagency\b|\ban?\s+(?:industry\s+)?(?:official|insider"
    r"|representative|spokesperson)\b|\bsuggest\w*|\bclaim\w*|\blearn(?:ed|t)\b|\bexclusive\w*)|관계자|따르면|전해졌|알려졌|보도"
)

# Judging stays inside one clause: in "filming wraps in May, while the release is set for 2027" the May
# date must not borrow the release word of the other half.
CLAUSE_SPLIT = _rx(
    r";|,?\s+(?i:while|whereas|but|although|though|however|meanwhile)\s+|\s+[—–]\s+(?i:and|while|but)\s+"
)
LEADING_SUBCLAUSE = _rx(r"^(?i:although|though|while|even\s+though|despite|since|after|before)\b[^,]{0,120},")
SENTENCE_SPLIT = _rx(r"(?<=[.!?])[\"”’)]?\s+|\n+|(?<=다\.)\s*|\s+[|•]\s+")
MONTH_ABBREVIATION_DOT = _rx(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|St|Mr|Ms|Dr)\.")
SPACES = _rx(r"\s+")

# Between two dates: "late 2026 or early 2027" is one window; "moved from X to Y" is not (FROM before X).
JOINER = _rx(r"(?i:^\s*(?:,\s*)?(?:or|to|and|through|until|-|–|—|/)\s*(?:in\s+|the\s+)?$)")
FROM = _rx(r"(?i:\bfrom\s+$)")
