"""The reader's compiled vocabulary: every language's date phrases and context words, joined.

Every pattern is compiled once at import. A news sentence is not sorted into a language first (headlines mix
them), so each judgement uses one regex made of all languages' alternatives; the language modules in
``bot.release.languages`` hold the words, this module only joins and compiles them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.release.languages import Language
from bot.release.languages.de import GERMAN
from bot.release.languages.en import ENGLISH
from bot.release.languages.es import SPANISH
from bot.release.languages.id import INDONESIAN
from bot.release.languages.ko import KOREAN
from bot.release.lexicon import MONTHS
from bot.release.prefilter import Needs, needs

LANGUAGES: tuple[Language, ...] = (ENGLISH, KOREAN, SPANISH, GERMAN, INDONESIAN)

# Kinds in the order they claim text: earlier kinds take their span first, so "early December 2026" is never
# read as "December 2026" or "2026", and "4 de diciembre de 2026" never as "diciembre de 2026".
KIND_ORDER: tuple[str, ...] = (
    "iso", "numeric", "range", "part_month", "exact", "month", "half", "quarter", "season", "year_part_range",
    "year_part", "year_relative", "month_relative", "week", "today", "tomorrow", "weekday", "month_alone",
    "year",
)  # fmt: skip


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, _rx(pattern))
    for ordered in KIND_ORDER
    for language in LANGUAGES
    for kind, pattern in language.dates
    if kind == ordered
)


# What each pattern cannot match without, so ``find_windows`` skips the ones a clause has no chance with.
PATTERN_NEEDS: tuple[Needs, ...] = tuple(needs(pattern) for _, pattern in PATTERNS)
NEEDED_STRINGS: frozenset[str] = frozenset().union(*(n for n in PATTERN_NEEDS if n is not None))


def _joined(part: Callable[[Language], str]) -> re.Pattern[str]:
    sources = [part(language) for language in LANGUAGES if part(language)]
    return _rx("|".join(f"(?:{source})" for source in sources))


RELEASE = _joined(lambda lang: lang.release)
EXCLUDE = _joined(lambda lang: lang.exclude)
PAST = _joined(lambda lang: lang.past)
NEGATION = _joined(lambda lang: lang.negation)
NEGATION_AFTER = _joined(lambda lang: lang.negation_after)
LOWER_BEFORE = _joined(lambda lang: lang.lower_before)
LOWER_AFTER = _joined(lambda lang: lang.lower_after)
UPPER_BEFORE = _joined(lambda lang: lang.upper_before)
UPPER_AFTER = _joined(lambda lang: lang.upper_after)
STATEMENT_BEFORE = _joined(lambda lang: lang.statement_before)
HEDGE = _joined(lambda lang: lang.hedge)
REPORTED = _joined(lambda lang: lang.reported)
OFFICIAL = _joined(lambda lang: lang.official)
DISMISSAL = _joined(lambda lang: lang.dismissal)
AFTER_BEFORE = _joined(lambda lang: lang.after_before)
STATEMENT_AFTER = _joined(lambda lang: lang.statement_after)
EXCLUDED_BEFORE_DATE = _joined(lambda lang: lang.excluded_subject)
# An article warning of clickbait or a hoax is no place to pick up any date.
TEXT_DISMISSAL = _rx(r"(?i:\bclickbait\b|\bhoax\w*|\bfake\s+news\b|\bdebunk\w*)|가짜\s*뉴스|낚시성")
# The show named without its name, before a date whose clause names only other shows after it.
BACK_REFERENCE = _rx(
    r"(?i:\bseason\s*\d+|\b(?:second|new|next|upcoming|sophomore)\s+(?:season|installment|instalment)\b"
    r"|\bsequel\b|\bthe\s+(?:series|show|drama|return|zombie\s+\w+|k-?drama|hit)\b|\bits\b"
    r"|\bla\s+(?:serie|segunda\s+temporada)\b|\bdie\s+(?:serie|zweite\s+staffel)\b|\bserial\s+ini\b"
    r"|\bmusim\s+(?:kedua|2)\b)|시즌\s*\d+|후속편"
)
# Plain "not" in the five languages, for a denial that sits between a date and its verb.
NOT = _rx(r"(?i:\b(?:not|never|won't|n't|nicht|nie|niemals|keine?n?|no|nunca|tidak|belum|tak|bukan)\b)|않|못\s*하")
# ", which premiered in 2022," / ", der 2022 die Charts anführte,": a relative clause between commas.
ASIDE = _rx(r"(?i:,\s*(?:which|who|der|die|das|den|dem|que|quien|yang)\b[^,;]{0,120},)")
# Where something was said: "during its Korea content showcase", "at a press event".
VENUE = _rx(r"(?i:\b(?:during|at|via|through|in)\s+(?:\w+\s+){0,4}?(?:showcase|event|conference|panel"
            r"|presentation|livestream|tudum|fan\s*meet\w*|press\s+site)\b)")
# A premiere at a festival is a festival screening, not the release.
FESTIVAL_VENUE = _rx(
    r"(?i:\b(?:at|beim|auf\s+dem|en\s+el|durante|di|pada|during)\s+(?:the\s+|dem\s+|el\s+)?(?:[\w'-]+\s+){0,5}?"
    r"(?:festival|filmfest\w*|berlinale|cannes|sundance|comic-?con)\b)|영화제"
)
# "OSEN: … set for December": a headline led by a source's name and a colon is that source's word.
SOURCE_LEAD = _rx(r"^\s*\[?(?P<source>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,2})\]?\s*:\s")
# "photos released", "trailer drops on": the thing released is named right before the release word.
# "The trailer for season 2 will be released": an excluded thing, then what it belongs to, then the verb.
EXCLUDED_SUBJECT = _rx(
    r"(?:" + EXCLUDE.pattern + r")[\w-]*\s+(?i:for|of|from|to|de|del|für|zu|von|untuk|dari)\s+[^,;]{0,80}$"
)
EXCLUDE_ADJACENT = _rx(r"(?:" + EXCLUDE.pattern + r")[\w-]*\s+(?:[\w-]+\s+)?$")

SEASON_MENTION = _rx(
    r"(?i:\b(?:season|temporada|staffel|musim)\s*(?:ke-?\s*)?(?P<n>\d+)\b|\bS(?P<s>\d+)\b|\bseason\s+(?P<wn>one|two|three|four)\b"
    r"|\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:season|installment|instalment)\b"
    r"|\b(?P<nxt>new\s+season|next\s+season|upcoming\s+season|sequel|follow-up|next\s+chapter)\b)"
    r"|시즌\s*(?P<ko>\d+)"
)
_MONTH_NAMES = "|".join(re.escape(name) for name in sorted(MONTHS, key=len, reverse=True))
# A capitalised title directly before "Season N": another show unless it is ours.
TITLE_SEASON = _rx(
    r"(?P<title>[A-Z0-9][\w'’&:!.-]*(?:\s+(?:[A-Z0-9][\w'’&:!.-]*|of|the|and|a|an|in|on|at|to|for|us|are|is))"
    r"{0,6})\s+(?i:season|temporada|staffel|musim)\s*(?:ke-?\s*)?\d+"
)
# "Sweet Home 3", "Squid Game 2": a capitalised title with a sequel number.
TITLE_NUMBER = _rx(
    r"(?P<title>[A-Z][\w'&:-]*(?:\s+(?:[A-Z][\w'&:-]*|of|the|and|in|on|us|are)){0,5})\s+(?P<n>[1-9])\b"
    # "… Tayang 4 Desember", "El 4 de diciembre": a day, not a sequel number
    r"(?![\d,.:]|\s*(?:st|nd|rd|th)\b|\.?\s+(?:(?i:de)\s+)?(?i:" + _MONTH_NAMES + r")\b)"
)
NOT_A_TITLE_END = frozenset({
    "season", "part", "top", "episode", "episodes", "vol", "volume", "chapter", "phase", "week", "day",
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
    "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "no", "number", "the",
    "staffel", "teil", "folge", "temporada", "parte", "volumen", "capítulo", "episodio", "musim", "bagian",
    "jilid", "vol.", "q", "h",
})  # fmt: skip
# A quoted title ("Sweet Home", «Berlín», „Kleo“, '지옥'), but not quoted speech ("…," said the director).
QUOTED_TITLE = _rx(
    r"(?:(?<=\s)|(?<=^)|(?<=\())[\"“‘'«„‚](?P<title>[^\"“”’'»\n]{2,50}?)[\"”’'»“‘](?![A-Za-z])"
    r"(?!\s*,?\s*(?i:dijo|afirmó|aseguró|explicó|comentó|señaló|declaró|añadió|said|says|told|sagte|erklärte"
    r"|kata|ujar|katanya)\b)"
)
GENERIC_TITLE_END = frozenset({
    "for", "of", "the", "a", "an", "its", "new", "next", "second", "third", "first", "release", "date",
    "drama", "series", "show", "netflix", "k-drama", "zombie", "and", "with", "in", "on", "to", "when",
    "will", "confirms", "confirmed", "announces", "reveals", "dated", "set", "netflix's", "upcoming",
    "tayang", "rilis", "jadwal", "umumkan", "resmi", "hadir", "drakor", "serial", "estreno", "fecha", "start",
    "termin", "serie",
})  # fmt: skip
SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "at", "to", "for", "us", "are", "is"})

# The platform's own word: a claim Netflix (or the channel, or the studio) makes itself is confirmed.
PLATFORM_OFFICIAL = _rx(
    r"(?i:\b(?:according\s+to|per)\s+(?:netflix|the\s+streamer|hbo|max|disney\+?|prime\s+video|apple\s+tv\+?)\b"
    r"|\baccording\s+to\s+(?:a|the|an)\s+(?:\w+\s+){0,2}?(?:listing|schedule|statement|press\s+release"
    r"|announcement|post|page|calendar|slate|lineup)\s+(?:\w+\s+){0,5}?(?:netflix|the\s+streamer)(?:'s)?\b"
    r"|\b(?:netflix|the\s+streamer|disney\+?|prime\s+video|hbo(?:\s+max)?|max|apple\s+tv\+?|tvn|jtbc|sbs|kbs|mbc"
    r"|coupang\s+play|tving)(?:\s+korea)?(?:'s)?(?:\s+(?:chief|boss|head|ceo|executive|exec|president"
    r"|spokesperson|representative|content\s+chief|programming\s+chief)(?:\s+[A-Z][\w-]*){0,2})?,?\s+"
    r"(?:has\s+|have\s+)?(?:officially\s+|finally\s+|since\s+|now\s+|also\s+|just\s+)?(?:announc\w*|confirm\w*|reveal\w*"
    r"|unveil\w*|said|says|set|dated|shared|told|posted|statement|press\s+release|release\s+schedule|lists?"
    r"|listed|listing|slate|lineup|line-up)"
    r"|\b(?:según|de\s+acuerdo\s+con)\s+(?:(?:lo\s+)?(?:ha\s+)?(?:confirm|anunci|inform|comunic|indic|revel)\w*"
    r"\s+(?:por\s+)?|(?:el|la)\s+(?:calendario|agenda|lista|listado|web|página)\s+(?:oficial\s+)?(?:de\s+"
    r"(?:estrenos|lanzamientos)\s+)?(?:oficial\s+)?de\s+)?(?:netflix|la\s+plataforma|el\s+gigante\s+del\s+streaming|la\s+productora|la\s+compañía"
    r"|el\s+servicio\s+de\s+streaming)\b|\b(?:confirm|anunci|revel|desvel|inform|comunic)(?:ó|aron|a|an)\s+"
    r"(?:oficialmente\s+|hoy\s+)?(?:netflix|la\s+plataforma|el\s+gigante\s+del\s+streaming|la\s+productora"
    r"|la\s+compañía|el\s+servicio\s+de\s+streaming)\b|\b(?:netflix|la\s+plataforma(?:\s+de\s+streaming)?"
    r"|el\s+gigante\s+del\s+streaming|la\s+productora|la\s+compañía|el\s+servicio\s+de\s+streaming"
    r"|(?:la\s+cadena\s+)?(?:tvn|jtbc|sbs|kbs|mbc)|disney\+?|prime\s+video|hbo(?:\s+max)?|apple\s+tv\+?)"
    r"(?:\s+(?:españa|latinoamérica|méxico|corea))?\s+(?:ya\s+"
    r"|finalmente\s+|por\s+fin\s+|también\s+)?(?:ha\s+|han\s+)?(?:oficialmente\s+)?(?:confirm|anunci|revel|desvel"
    r"|inform|comunic|fij|oficializ|public|compart|hizo\s+oficial|dio\s+a\s+conocer|dado\s+a\s+conocer)\w*"
    r"|\bnetflix\s+(?:hat|confirmó|anunció|ha\s+confirmado|ha\s+anunciado|mengumumkan|mengonfirmasi"
    r"|bestätigt\w*|angekündigt|kündigt|gab\s+bekannt|resmi)"
    r"|\bsprecher(?:in)?\s+(?:von\s+|des\s+|der\s+)?(?:netflix|streamingdienst(?:es)?|senders?|ard|zdf)\b"
    r"|\b(?:laut|nach\s+angaben\s+(?:von|des|der))\s+(?:dem\s+|der\s+)?(?:netflix|streamer|streamingdienst|sender"
    r"|ard|zdf|das\s+erste|sky|rtl\+?|prime\s+video|amazon|disney\+?|apple\s+tv\+?|paramount\+?|joyn|arte"
    r"|produktionsfirma|studio)\b|\b(?:netflix|dem\s+streamer|dem\s+streamingdienst|dem\s+sender)\s+zufolge\b"
    r"|\b(?:netflix|der\s+streamer|der\s+streaming-?(?:dienst|anbieter|riese)|der\s+sender|ard|zdf|das\s+erste"
    r"|sky|rtl\+?|prime\s+video"
    r"|amazon|disney\+?|apple\s+tv\+?|paramount\+?|joyn|arte|die\s+produktionsfirma|das\s+studio)"
    r"(?:\s+deutschland|-sprecher\w*)?\s+(?:hat\s+|haben\s+)?(?:(?:nun|jetzt|offiziell|inzwischen|bereits|heute"
    r"|am\s+\w+)\s+){0,2}(?:bestätig\w*|angekündigt|kündigt\w*|gab\s+(?:\w+\s+){0,2}?bekannt|gibt\s+(?:\w+\s+)"
    r"{0,2}?bekannt|bekannt\s*gegeben|teilte\s+(?:\w+\s+){0,2}?mit|teilt\s+(?:\w+\s+){0,2}?mit|mitgeteilt"
    r"|verkündet\w*|enthüllt\w*|nennt|nannte|listet|gelistet|terminiert\w*|datiert|sagte|sagt|erklärte|erklärt"
    r"|mitteilte|bekanntgab|ankündigte|verriet|verrät)"
    r"|\b(?:menurut|kata|ujar)\s+(?:(?!sumber|orang)\w+\s+){0,2}?netflix\b"
    r"|\b(?:netflix|disney\+?(?:\s+hotstar)?|prime\s+video|vidio|viu"
    r"|hbo(?:\s+go)?|tvn|jtbc|sbs|kbs|mbc)(?:\s+(?:indonesia|korea))?\s+(?:(?:secara\s+)?resmi\s+|telah\s+|sudah\s+"
    r"|akhirnya\s+|pun\s+){0,2}(?:(?:meng)?umumkan|(?:meng)?konfirmasi|mengonfirmasi|(?:mem)?pastikan"
    r"|(?:me)?nyatakan|(?:meng)?ungkap(?:kan)?|(?:men)?jadwalkan|tetapkan|menetapkan|(?:mem)?bagikan"
    r"|mengatakan|tegaskan|menegaskan|(?:me)?rilis\s+jadwal)"
    r"|\b(?:(?:menurut|kata|ujar)\s+)?(?:pihak|perwakilan|juru\s+bicara)\s+netflix(?:\s+(?:korea|indonesia))?"
    r"(?:\s+(?:mengatakan|menyatakan|mengungkapkan|menjelaskan|memastikan|mengonfirmasi|mengumumkan))?)"
    r"|넷플릭스[^.]{0,40}(?:발표|확정|밝혔|공개했|알렸|라인업|일정표)(?:\S*\s*에\s*따르면)?"
)
# Speech verbs: once the platform is the speaker, its "said" is no second source.
SPEECH = _rx(r"(?i:\b(?:said|says|say|told|tells|added)\b)")

# Judging stays inside one clause: in "filming wraps in May, while the release is set for 2027" the May
# date must not borrow the release word of the other half.
CLAUSE_SPLIT = _rx(
    r";|,?\s+(?i:while|whereas|but|although|though|however|meanwhile|pero|mientras|aunque|sin\s+embargo"
    r"|si\s+bien|no\s+obstante|en\s+cambio"
    r"|tetapi|tapi|namun|sedangkan|meski(?:pun)?|walau(?:pun)?|kendati|padahal"
    r"|sementara)\s+"
    r"|,\s+(?i:aber|während|jedoch|obwohl|doch|allerdings|wohingegen)\s+"
    r"|\s+[—–]\s+(?i:and|while|but)\s+|(?<=지만|으며|는데|했고|됐고|었고)\s*,?\s+"
)
LEADING_SUBCLAUSE = _rx(
    r"^(?i:although|though|while|even\s+though|despite|since|after|before|aunque|obwohl|nachdem|meski(?:pun)?"
    r"|walau(?:pun)?|kendati|setelah|sebelum|sejak)\b[^,]{0,120},"
)
# A German ordinal dot ("am 4. Dezember", "die 2. Staffel", "4. und 5. Mai") ends no sentence.
_ORDINAL_NEXT = (
    r"\s+(?:[a-zäöüß\d]|(?:Januar|Jänner|Februar|Feber|März|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez|Staffel|Teil|Folge|Episode|Quartal|Halbjahr"
    r"|Jahreshälfte|Hälfte|Platz|Mal|Woche|Kapitel|Band)\b)"
)
SENTENCE_SPLIT = _rx(
    r"(?<=[.!?])(?!(?<=\b\d\.)" + _ORDINAL_NEXT + r")(?!(?<=\b\d\d\.)" + _ORDINAL_NEXT + r")[\"”’)»]?\s+"
    r"|\n+|(?<=다\.)\s*|\s+[|•]\s+"
)
MONTH_ABBREVIATION_DOT = _rx(
    r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|St|Mr|Ms|Dr|Agt|Agu|Okt|Des|Nop|Dez|Mär|Mrz|Febr|Nr|bzw|ca"
    r"|vgl|evtl|ggf|inkl|Mio|Mrd"
    r"|usw)\."
)
SPACES = _rx(r"\s+")

# Between two dates: "late 2026 or early 2027" is one window; "moved from X to Y" is not (FROM before X).
JOINER = _rx(
    r"(?i:^\s*(?:,\s*)?(?:or|to|and|through|until|into|o|u|y|a|hasta|oder|bis|und|bzw\.?|beziehungsweise|atau|hingga"
    r"|sampai|dan|ke|또는|혹은|이나|나|에서|~|∼|-|–|—|/)\s*(?:in\s+|the\s+|en\s+|im\s+|el\s+|la\s+|de\s+|pada\s+"
    r"|in\s+der\s+|am\s+|zum\s+|zur\s+|dem\s+|den\s+|(?:bien\s+)?(?:en\s+el|en\s+la|a|al|para|para\s+el|hacia)\s+)?$)"
)
AND = _rx(r"(?i:^\s*,?\s*(?:and|y|e|und|dan|과|와)\s*(?:in\s+|the\s+|en\s+|im\s+|el\s+|la\s+|pada\s+)?$)")
BETWEEN = _rx(r"(?i:\b(?:between|entre|zwischen|antara)\s+(?:the\s+|el\s+|la\s+|dem\s+)?$)")
FROM = _rx(
    r"(?i:\b(?:from|desde|dari)\s+$|\b(?:retras|aplaz|pospu|pospon|posterg|traslad|adelant|movi|mueve|cambi)\w*"
    r"\s+(?:\w+\s+){0,3}?(?:del?|desde)\s+(?:el\s+|la\s+)?$)"
)
