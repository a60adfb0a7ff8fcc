"""German: the press's date phrases ("am 4. Dezember", "Ende 2026", "im dritten Quartal") and the words around them.

German grammar decides most of what is written here:
- a day is an ordinal with a dot ("4. Dezember", "4.12.2026": always day first), so the sentence splitter
  must not cut after it (``patterns.SENTENCE_SPLIT``);
- months, seasons and weekdays are capitalised nouns, so they are matched case-sensitively and "Mai" is never
  a verb or a hedge; the function words around them ("noch in diesem Jahr") may start a sentence and are not;
- a bare year needs no preposition ("startet 2027"), so it is taken after any lower-case word (a verb or an
  adverb) or after "Jahr", never after a capitalised noun or a title;
- the auxiliary says past or future: "wurde am 28. Januar veröffentlicht" is past, "wird am 4. Dezember
  veröffentlicht" is not, and "wurde auf den 4. Dezember verschoben" names the new date; so "wurde" right
  before a time phrase ("am", "im", "Anfang") turns the date down, while "auf"/"für" do not;
- a statement's own day sits between the finite verb and its particle ("gab am 23. Juli bekannt").
Year-less halves and quarters ("im ersten Halbjahr") are read as this year's: the resolvers take a year only
from a year or a relative-year phrase, so the half's own noun is captured as that phrase.
"""

from __future__ import annotations

from bot.release.languages import Language
from bot.release.lexicon import month_names


def _any(*alternatives: str) -> str:
    """Whole words (or phrases) in any case, with one word boundary for all: cheap where no word starts."""
    return r"(?i:\b(?:" + "|".join(alternatives) + r"))"


def _capitalised(alternation: str) -> str:
    words = {word[:1].upper() + word[1:] for word in alternation.split("|")}
    return "|".join(sorted(words, key=len, reverse=True))


_MONTHS = _capitalised(month_names("de"))
_M = r"(?P<m>" + _MONTHS + r")\b\.?"
_MONTH_WORD = r"(?:" + _MONTHS + r")\b"
_Y = r"(?P<y>20\d{2})\b"
_DAY = r"(?<![\d.])(?P<d>[12]\d|3[01]|0?[1-9])\."
_WEEKDAYS = r"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
_WD = r"(?:(?:" + _WEEKDAYS + r"),?\s+(?:(?:den|dem)\s+)?)?"
_SEASON = r"Frühjahr|Frühling|Sommer|Herbst|Winter"
_PART = r"Anfang|Mitte|Ende|Beginn"
# "nächsten Jahres", "des kommenden Jahres", "dieses Jahres": a relative year in the genitive, after a part,
# half, quarter, season or month.
_RY = (
    r"(?P<ry>(?:des\s+)?(?:kommenden|nächsten|folgenden|neuen)\s+Jahres|dieses\s+Jahres"
    r"|des\s+(?:laufenden\s+|aktuellen\s+)?Jahres)\b(?!\s+20\d{2})"
)
_YR = r"(?:(?:des\s+Jahres\s+)?" + _Y + r"|" + _RY + r")"
_ORD = r"erste[nrs]?|zweite[nrs]?|dritte[nrs]?|vierte[nrs]?|letzte[nrs]?|[1-4]\."
_HALF_WORD = r"(?:Jahreshälfte|Halbjahr(?:es)?|Hälfte)"
# After these words a month or season without a year is a date ("im Dezember", "für Herbst", "ab Mai").
_TIME_PREPOSITION = (
    r"(?=[A-ZÄÖÜ])(?:(?<=\b[iI]m )|(?<=\b[fF]ür )|(?<=\b[aA]b )|(?<=\bbis )|(?<=\bvor )|(?<=\bauf )|(?<=\bden )"
    r"|(?<=\bzum )|(?<=\b[sS]eit )|(?<=\bgegen )|(?<=\bnach )|(?<=\bin )|(?<=\bfrühestens )"
    r"|(?<=\bspätestens )|(?<=\berst )|(?<=\bnoch )|(?<=\boder )|(?<=\bund )|(?<=\bzwischen )"
    r"|(?<=\b[vV]on )|(?<=\bbzw )|(?<=\bbzw\. ))"
)
# A bare year needs no preposition in German: after a verb, modal or adverb ("startet 2027", "soll erst 2027"),
# or, when a noun comes first ("startet die Serie 2027"), at the clause's end or before the verb's other half
# ("soll die Serie 2027 erscheinen"). English words before a year ("its original 2026 window") are neither.
_WORDS_BEFORE_YEAR = (
    "startet", "starten", "kommt", "kommen", "erscheint", "erscheinen", "läuft", "laufen", "folgt", "landet",
    "kehrt", "kehren", "geht", "gehen", "soll", "sollen", "sollte", "wird", "werden", "dürfte", "dürften",
    "könnte", "könnten", "erst", "noch", "frühestens", "spätestens", "wohl", "voraussichtlich", "vermutlich",
    "wahrscheinlich", "möglicherweise", "eventuell", "womöglich", "vielleicht", "bereits", "schon", "bis", "ab",
    "vor", "nach", "seit", "für", "Jahr", "Jahres", "auch", "dann", "nun", "jetzt", "wieder", "offiziell",
    "endlich", "aber", "doch", "also", "nicht", "zwar", "sogar", "ebenfalls", "zeigt", "bringt", "gibt", "es",
    "weiter", "zurück", "kommenden", "Start", "Starttermin", "Termin", "Release", "Ab", "Bis", "Vor", "Nach", "Seit",
    "Erst", "Noch", "Frühestens", "Spätestens", "Auch",
)
_BEFORE_YEAR = "(?:" + "|".join(rf"(?<=\b{word} )" for word in _WORDS_BEFORE_YEAR) + r"|(?<=[-–/] )|(?<=[-–/]))"
_AFTER_YEAR = (
    r"(?=\s*(?:[.!?;]|$)|\s+(?:erscheinen|erscheint|starten|startet|kommen|kommt|laufen|anlaufen|an|zurück\w*"
    r"|fortgesetzt|veröffentlicht|ausgestrahlt|weiter\w*|folgen|online|auf|bei|mit|zu|wieder|geplant"
    r"|angesetzt|erwartet|neue)\b)"
)

_THE_TRAILER = (
    r"(?:trailer|teaser|poster|plakat|bilder|fotos|clip|soundtrack|song|featurette|making-of|first\s+look"
    r"|erste[rn]?\s+blick)"
)
# Other events a sentence may be about, as the nouns the press names them by.
_EVENT = (
    _THE_TRAILER + r"|dreh\w*|produktion\w*|besetzung\w*|casting\w*|leseprobe\w*|festival\w*|filmfest\w*"
    r"|weltpremiere\w*|vorführung\w*|screening\w*|fan-?treffen|fanmeeting\w*|wehrdienst\w*|militärdienst\w*"
    r"|geburtstag\w*|verleihung\w*|preisverleihung\w*|pressekonferenz\w*|panel\w*"
)
# The words that may stand before such a noun in its phrase ("einen neuen Teaser", "der erste Trailer").
_DETERMINERS = (
    r"(?:(?:der|die|das|den|dem|des|ein|eine|einen|einem|eines|erste[nrs]?|neue[nrs]?|offizielle[nrs]?"
    r"|finale[nrs]?|nächste[nrs]?|weitere[nrs]?|zweite[nrs]?|letzte[nrs]?|kurze[nrs]?|lange[nrs]?)\s+){0,3}"
)

GERMAN = Language(
    code="de",
    dates=(
        # 4.12.2026, 04.12.26, 4.12.: day first by the language's convention.
        ("numeric", r"(?<![\d.])(?P<a>[12]\d|3[01]|0?[1-9])(?P<dmy>\.)\s?(?P<b>1[0-2]|0?[1-9])\."
         r"(?:\s?(?P<y>20\d{2}|\d{2})(?!\d))?(?![\d])"),
        ("range", r"(?<![\d.])(?P<d1>[12]\d|3[01]|0?[1-9])\.?\s*(?:-|–|bis(?:\s+zum)?)\s*"
         r"(?P<d2>[12]\d|3[01]|0?[1-9])\.\s*" + _M + r"(?:,?\s+" + _Y + r")?"),
        ("part_month", r"\b(?P<q>" + _PART + r")\s+(?:des\s+)?" + _M + r"(?:,?\s+" + _Y + r")?"),
        ("exact", _WD + _DAY + r"\s*" + _M + r"(?:,?\s+" + _Y + r")?"),
        # "am 4. und 18. Dezember": the first day borrows the month (and year) of the second.
        ("exact", _DAY + r"(?=\s*(?:und|sowie|oder|&)\s+(?:am\s+|dem\s+)?[12]?\d\.\s*" + _M + r"(?:,?\s+" + _Y
         + r")?)"),
        ("month", _M + r"\s+" + _Y),
        ("month", _M + r"\s+" + _RY),
        ("half", r"\b(?P<h>erste[nr]?|zweite[nr]?|[12]\.)\s+" + _HALF_WORD + r"\s+(?:von\s+)?" + _YR),
        ("half", r"\b(?P<h>erste[nr]?|zweite[nr]?|[12]\.)\s+(?P<ry>Jahreshälfte|Halbjahr)\b"
         r"(?!\s+(?:20\d{2}|des|dieses|nächsten|kommenden|von))"),
        ("quarter", r"\b(?P<n>" + _ORD + r")\s+(?:Quartal\s+)?(?:oder|bis|und|-|–|/)\s+(?:im\s+|dem\s+)?(?P<n2>"
         + _ORD + r")\s+Quartal\s+(?:von\s+)?" + _YR),
        ("quarter", r"\b(?P<n>" + _ORD + r")\s+Quartal\s+(?:von\s+)?" + _YR
         + r"(?:,?\s+(?:oder|bis)\s+(?:im\s+|dem\s+)?(?P<n2>" + _ORD + r")(?!\s*(?:Halbjahr|Jahreshälfte|Staffel"
         r"|Teil|Folge|Quartal\s+20)))?"),
        ("quarter", r"\b(?P<n>" + _ORD + r")\s+(?P<ry>Quartal)\b(?!\s+(?:20\d{2}|des|dieses|nächsten|kommenden"
         r"|von))"),
        ("quarter", r"\b(?P<n>Q[1-4])\s*(?P<ry>(?:des\s+)?(?:kommenden|nächsten|folgenden)\s+Jahres"
         r"|dieses\s+Jahres)"),
        ("season", r"\b(?P<s1>" + _SEASON + r")\s*(?:oder|bis|und|/|-|–)\s*(?P<s>" + _SEASON + r")\s+" + _YR),
        ("season", r"\b(?P<s>" + _SEASON + r")\s+(?:des\s+Jahres\s+)?" + _Y + r"(?:\s*[-–/]\s*(?:20)?\d{2}\b)?"),
        ("season", r"\b(?P<s>" + _SEASON + r")\s+" + _RY),
        ("season", r"(?i:\b(?P<ry>diese[nrms]?|nächste[nrms]?|kommende[nrms]?)\s+)(?P<s>" + _SEASON + r")\b"),
        ("season", _TIME_PREPOSITION + r"(?P<s>" + _SEASON + r")\b"),
        # "Spätsommer 2027", "im Frühherbst": the season itself is the window.
        ("season", r"\b(?:Früh|Spät)(?P<s>sommer|herbst|winter)\s+(?:des\s+Jahres\s+)?" + _Y),
        ("season", _TIME_PREPOSITION + r"(?:Früh|Spät)(?P<s>sommer|herbst|winter)\b(?!\s+20\d{2})"),
        ("year_part_range", r"\b(?P<q1>Anfang|Mitte)\s*(?:bis|oder|-|–)\s*(?P<q2>Mitte|Ende)\s+" + _YR),
        ("year_part", r"\b(?P<q>" + _PART + r")\s+" + _YR),
        # "zum Jahresende", "Jahresmitte 2027": the noun names the year (this one unless a year follows).
        ("year_part", r"\b(?P<ry>Jahres)(?P<q>ende|anfang|beginn|start|mitte)\b(?:\s+" + _Y + r")?"),
        ("year_relative", r"(?i:\b(?P<later>noch\s+(?:in\s+|im\s+)?(?:diesem|dieses|laufenden|aktuellen)\s+Jahr"
         r"|noch\s+heuer|später\s+(?:in\s+)?(?:diesem|dieses)\s+Jahr|im\s+(?:laufe|lauf|verlauf)\s+(?:des|dieses)"
         r"\s+(?:laufenden\s+)?jahres|im\s+(?:weiteren\s+)?jahresverlauf|in\s+den\s+kommenden\s+monaten)\b)"
         r"(?!\s+20\d{2})"),
        ("year_relative", r"(?i:\b(?P<nx>nächste[ns]?|kommende[ns]?|folgende[ns]?)\s+Jahr(?:es)?\b)"),
        ("year_relative", r"(?i:\b(?:diese[mns]?\s+Jahr|heuer)\b)(?!\s+20\d{2})"),
        ("month_relative", r"(?i:\b(?:(?P<nx>nächste[nm]?|kommende[nm]?)\s+Monat|(?P<later>(?:noch|später)\s+"
         r"(?:in\s+)?(?:diesem|diesen)\s+Monat|im\s+laufe\s+des\s+monats)|(?:diesem|diesen)\s+Monat)\b)"),
        ("week", r"(?i:\b(?:(?P<nx>nächste[nr]?|kommende[nr]?)\s+Woche|diese[rn]?\s+Woche)\b)"),
        ("today", r"(?i:\bheute\b)"),
        ("tomorrow", r"(?=[mM]orgen\b)(?<!\bheute )(?<!\bHeute )(?<!\bam )(?<!\bAm )(?:\bmorgen\b|^Morgen\b)"),
        # not "jeden Freitag" (a schedule), "letzten Freitag" (past) or "hat am Freitag … veröffentlicht"
        ("weekday", r"\b(?<!\bjeden )(?<!\bimmer )(?<!\b[vV]on )(?<!\bbis )(?<!\b[lL]etzten )(?<!\b[vV]ergangenen )"
         r"(?<!\bhat )(?<!\bhaben )(?<!\bhatte )(?<!\bhat am )(?<!\bhaben am )(?<!\bhatte am )"
         r"(?:(?:[aA]m|[aA]b|[dD]iesen)\s+)?(?:(?P<nx>nächsten|kommenden)\s+)?"
         r"(?P<wd>" + _WEEKDAYS + r")\b(?!,?\s+(?:den\s+|dem\s+)?[0-3]?\d\.)"),
        ("month_alone", _TIME_PREPOSITION + _M + r"(?![\s,]*\d)"),
        ("month_alone", r"\b" + _M + r"(?=-(?:Start|Termin|Release|Premiere))"),
        ("year", r"(?=20\d{2}\b)" + _BEFORE_YEAR + _Y + r"(?![.,]\d|/\d)"),
        ("year", r"(?=20\d{2}\b)(?<=\w )(?<!Weihnachten )(?<!Ostern )(?<!Silvester )" + _Y + r"(?![.,]\d|/\d)"
         + _AFTER_YEAR),
    ),
    release=(
        r"\bStart(?:s|termin\w*|datum)?\b|\b[A-ZÄÖÜ]\w+start(?:termin)?\b|-Start\b|"
        + _any(
            # the release verbs and nouns
            r"start(?:et|en|ete|eten|termin\w*|datum)\b", r"erschein\w*", r"veröffentlich\w*", r"komm(?:t|en|e)\b",
            r"gibt\s+es\b", r"geht\s+online\b", r"zurück\w*", r"rückkehr\w*", r"kehr(?:t|en)\b", r"premiere\w*",
            r"läuft\b", r"laufen\b", r"anlaufen\b", r"ausgestrahlt\b", r"ausstrahlung\w*", r"strahl(?:t|en)\b",
            r"sende(?:t|n|termin)\b", r"zu\s+sehen\b", r"abrufbar\b", r"verfügbar\b", r"streamen\b", r"mediathek\b",
            r"debüt\w*", r"fortgesetzt\b", r"geht\s+(?:es\s+)?(?:[\w„“-]+\s+){0,5}?weiter\b",
            r"in\s+die\s+(?:\w+\s+)?runde\b", r"so\s+weit\b", r"release\w*", r"land(?:et|en)\b", r"folg(?:t|en)\b",
            r"zeig(?:t|en)\b", r"gezeigt\b", r"bring(?:t|en)\b", r"nachschub\b", r"neue\s+folgen\b",
            # a date set, moved or aimed at
            r"geplant\b", r"angesetzt\b", r"terminiert\b", r"datiert\b", r"termin\b", r"vorgesehen\b",
            r"verschoben\b", r"verlegt\b", r"vorgezogen\b", r"erwartet\b", r"angepeilt\b", r"anvisiert\b",
            r"peil\w*", r"zu\s+rechnen\b", r"rechne[nt]?\s+mit\b",
            # the fans' side of it: waiting for, looking forward to
            r"warten\b", r"gedulden\b", r"freuen\b",
        )
    ),
    exclude=_any(
        # filming and production
        r"dreh\w*", r"gedreht\b", r"abgedreht\b", r"(?:vor|post)?produktion\w*", r"leseprobe\w*", r"drehbuch\w*",
        r"skript\w*",
        # casting
        r"besetzung\w*", r"gecastet\b", r"casting\w*", r"(?:haupt|neben)?darsteller\w*",
        r"(?:haupt)?schauspieler\w*", r"ensemble\b", r"neuzugang\w*", r"stößt\b", r"stoßen\b", r"rolle\b",
        # people's own dates
        r"geburtstag\w*", r"geboren\b", r"wird\s+\d+\s+jahre\b", r"jubiläum\w*", r"jahrestag\w*",
        r"wehrdienst\w*", r"militärdienst\w*", r"armee\b", r"einberuf\w*", r"entlassen\b", r"entlassung\w*",
        # viewing figures and charts
        r"aufrufe\w*", r"abrufe\w*", r"zuschauer\w*", r"quoten\w*", r"einschaltquote\w*", r"stunden\b",
        r"gesehen\b", r"charts?\b", r"top[\s-]*10\b", r"platz\s+\d", r"marktanteil\w*", r"reichweite\w*",
        r"rekord\w*", r"ersten\s+(?:\w+\s+)?(?:tagen|wochen)\b", r"woche\s+vom\b",
        # renewals and cancellations
        r"verlänger\w*", r"grünes\s+licht\b", r"bestellt\b", r"in\s+auftrag\b", r"beauftragt\b", r"abgesetzt\b",
        r"eingestellt\b",
        # trailers, images, tie-ins; a trailer counts from its article ("einen neuen Teaser")
        _DETERMINERS + r"(?:trailer|teaser)\w*", r"plakat\w*", r"poster\w*", r"fotos?\b", r"bilder\b",
        r"szenenbild\w*", r"clip\w*", r"featurette\w*", r"erste[rn]?\s+blick\b", r"soundtrack\w*", r"song\w*",
        r"webtoon\w*", r"comic\w*", r"roman(?:e|en|vorlage\w*)?\b", r"podcast\w*", r"dvd\b", r"blu-?ray\b",
        r"kino\w*", r"umfrage\w*", r"abo(?:s|nnent\w*|preis\w*|modell\w*)?\b", r"preiserhöhung\w*",
        # events, festivals, awards
        r"interview\w*", r"fan-?treffen\b", r"fanmeeting\w*", r"konzert\w*", r"pressekonferenz\w*", r"panel\b",
        r"comic-?con\b", r"messe\b", r"festival\w*", r"filmfest\w*", r"festspiel\w*", r"berlinale\b",
        r"cannes\b", r"venedig\b", r"series\s+mania\b", r"canneseries\b", r"vorführung\w*", r"screening\w*",
        r"(?:preis)?verleihung\w*", r"preisträger\w*", r"ausgezeichnet\b", r"auszeichnung\w*", r"nominier\w*",
        r"emmys?\b", r"grimme\w*", r"gala\b", r"find(?:et|en)\b(?=[^,;]{0,60}\bstatt\b)", r"stattfind\w*",
        # the story's own time: "spielt im Jahr 2027"
        r"spiel(?:t|en)(?:\s+(?:im\s+jahr|in\s+den\s+jahren|im|in|um))?\b",
        # the prepositional phrase of a festival or event starts at its preposition ("laufen am 5. Oktober
        # beim Filmfest Hamburg": the festival is as near to the date as the verb).
        r"(?:beim|bei\s+der|bei\s+den|auf\s+der|auf\s+dem|im\s+rahmen\s+(?:des|der)|während\s+(?:des|der))\s+"
        r"(?:[\w-]+\s+){0,2}?(?:film)?(?:festival|fest\b|festspiel|berlinale|series\s+mania|canneseries|messe"
        r"|comic-?con|gala|verleihung|preisverleihung)\w*",
        # a trailer (poster, clip) as the subject of the release verb: "Der erste Trailer zur zweiten Staffel
        # erscheint am 20. November" releases the trailer, not the season…
        _THE_TRAILER + r"\w*\s+(?:[^,.;:!?]{0,70}?\s+)?(?:erschein\w*|komm(?:t|en)|start\w*|folg(?:t|en)"
        r"|veröffentlich\w*|gibt\s+es|zu\s+sehen|landet|landen|ist|sind|wird|werden|soll|sollen)\b",
        # …and in the other order: "Am 20. November erscheint der erste Trailer", "zeigt am Freitag einen Teaser".
        r"(?:erschein\w*|komm(?:t|en)|folg(?:t|en)|gibt\s+es|veröffentlich\w*|zeig(?:t|en)|start(?:et|en)|läuft"
        r"|laufen|beginn\w*|end(?:et|en))\s+(?:\S+\s+)?" + _DETERMINERS + r"(?:" + _EVENT + r")\b",
    ),
    past=_any(
        r"startete\w*", r"gestartet\w*", r"erschien\w*", r"lief(?:en)?\b", r"kam(?:en)?\b", r"feierte\w*",
        r"debütierte\w*", r"kehrte\w*", r"veröffentlichte\w*", r"ausgestrahlte\w*", r"gezeigte\w*",
        r"zeigte(?:n)?\b", r"flimmerte\w*", r"war(?:en)?\s+(?:\w+\s+){0,3}?zu\s+sehen\b",
        r"bereits\s+(?:seit|verfügbar|abrufbar)\b", r"seit\s+(?:(?:dem|der|ihrem|seinem|ihrer|seiner|deren|dessen"
        r"|dem\s+offiziellen)\s+)?(?:start|release|premiere|veröffentlichung|debüt)\b",
        r"vorherige\w*", r"vergangene\w*", r"bisherige\w*",
    ),
    negation=(
        r"(?i:\bnicht(?:\s+\S+){0,4}\s+$|\bnie(?:mals)?\b|\bkein(?:e|en|er|em|es)?(?:\s+\S+){0,2}\s+$"
        r"|\bursprünglich\w*|\beigentlich\b|\b(?:an)?statt(?:\s+\S+){0,2}\s+$"
        r"|\bverworfen\b|\babgesagt\b|\bzuvor\b|\bzunächst\s+(?:war|hieß|sollte|galt)\w*"
        r"|\bgerücht\w*\s+(?:über|um|von)\b|\bberichte\s+über\b|\bverschoben\s+von\b|\bverlegt\s+von\b"
        # a past auxiliary or verb right before a time phrase: "wurde am 28. Januar 2022 veröffentlicht", "war
        # im März zu sehen", "feierte im Januar Premiere"; "wurde auf den 4. Dezember verschoben" names the new
        # date and is not caught.
        r"|\b(?:wurden?|war(?:en)?|hatten?|feierten?|starteten?|lief(?:en)?|erschien(?:en)?|kam(?:en)?"
        r"|debütierten?|kehrten?|veröffentlichten?|zeigten?)\s+(?:(?:bereits|schon|erstmals|zuerst|damals|dann"
        r"|letztlich|ab|am|im|in|vom|dem|der|den|\w+lich)\s+){0,3}$|\bseit\s+(?:dem\s+|den\s+|der\s+)?$)"
    ),
    negation_after=(
        r"(?i:^\s*(?:noch\s+|doch\s+|also\s+|wohl\s+|definitiv\s+|sicher\s+)?(?:nicht|nie|keinesfalls|keineswegs)\b"
        r"|^[^,;]{0,40}?\b(?:ist|sind|war|wurden?)\s+(?:\w+\s+){0,2}?(?:vom\s+tisch|hinfällig|falsch|geplatzt"
        r"|dementiert|verschoben|abgesagt|gestrichen|passé|nicht\s+mehr\s+aktuell)"
        r"|^[^,;]{0,40}?\b(?:vom\s+tisch|hinfällig|geplatzt|nicht\s+zu\s+halten|falsch|unwahr|erfunden|dementiert)"
        # "von März auf Juni verschoben": the date moved away from.
        r"|^\s*,?\s*(?:20\d{2}\s+)?auf\s+(?:den\s+|das\s+)?(?:\d|anfang|mitte|ende|frühjahr|frühling|sommer|herbst"
        r"|winter|nächste|kommende|" + _MONTHS.lower() + r")"
        # a verb-final relative clause in the past: "…, die im Januar 2022 veröffentlicht wurde".
        r"|^\s*(?:\w+\s+){0,3}?(?:veröffentlicht|ausgestrahlt|gezeigt|gesendet|erschienen|gestartet|gelaufen)\s+"
        r"(?:wurden?|worden|ist|sind|war|waren)\b)"
    ),
    lower_before=(
        r"(?i:(?:\bnicht\s+(?:\w+\s+){0,2}?(?:vor|früher\s+als|bevor)|\bfrühestens|\berst(?:\s+(?:ab|nach))?"
        r"|\bkeinesfalls\s+vor|\bnicht\s+mehr\s+vor)\s+(?:(?:dem|den|der|im|am|in|ab|zum|zur)\s+){0,2}$)"
    ),
    # "2027 frühestens", and waiting until a date: "Fans müssen sich bis 2027 gedulden".
    lower_after=(
        r"(?i:^\s*,?\s*(?:frühestens|oder\s+später|oder\s+danach|und\s+später|und\s+danach)\b"
        r"|^\s*(?:\w+\s+){0,3}?(?:warten|gedulden|ausharren)\b)"
    ),
    upper_before=(
        r"(?i:(?:\bbis|\bspätestens|\bvor|\bnoch\s+vor|\bbevor|\bbinnen|\binnerhalb)\s+(?:(?:spätestens|zum|zur|dem"
        r"|den|der|im|in|am|des)\s+){0,2}$)"
    ),
    upper_after=r"(?i:^\s*,?\s*(?:spätestens|als\s+spätester\s+termin)\b)",
    statement_before=(
        r"(?i:\b(?:gab|gaben|gibt|teilte|teilten|teilt|kündigte|kündigten|bestätigte|bestätigten|verkündete"
        r"|verkündeten|erklärte|erklärten|sagte|sagten|meldete|meldeten|berichtete|berichteten|enthüllte|enthüllten"
        r"|verriet|verrieten|postete|posteten|schrieb|schrieben|äußerte|hieß\s+es|stand:)\s+"
        r"(?:(?:bereits|schon|offiziell|nun|jetzt|auch|dann|erst)\s+)?"
        r"(?:am\s+|vom\s+|im\s+)?$|\b(?:mitteilung|erklärung|bericht|interview|statement|beitrag|artikel|meldung"
        r"|ankündigung|post)\w*\s+vom\s+$)"
    ),
    hedge=_any(
        r"voraussichtlich\w*", r"könnte\w*", r"dürfte\w*", r"wahrscheinlich\w*", r"vermut\w*",
        r"möglicherweise\b", r"eventuell\b", r"womöglich\b", r"vielleicht\b", r"möglich\w*", r"potenziell\w*",
        r"wohl\b", r"soll\b", r"sollen\b", r"sollte\w*", r"würde\w*", r"erwart(?:et\w*|en\b)",
        r"rechne[nt]?\s+mit\b", r"gilt\s+als\b", r"gerücht\w*", r"gemunkelt\b", r"munkel\w*", r"spekul\w*",
        r"hoff(?:e|en|t|te|ten|nung\w*)\b", r"angepeilt\b", r"anvisiert\b", r"peil\w*", r"gehandelt\b", r"offenbar\b",
        r"anscheinend\b", r"scheinbar\b", r"scheint\b", r"prognos\w*", r"schätz\w*", r"unbestätigt\w*",
        r"inoffiziell\w*", r"noch\s+nicht\s+(?:offiziell\s+)?(?:bestätigt|angekündigt|bekannt)",
        r"nicht\s+offiziell\b", r"fans\s+(?:glauben|vermuten|hoffen|rechnen)\b",
    ),
    reported=_any(
        r"laut\b", r"bericht\w*", r"(?<!gerüchten )zufolge\b", r"insider\w*", r"quelle\w*", r"branchen\w*",
        r"medienbericht\w*",
        r"meld(?:et|ete|eten|en|ung|ungen)\b", r"erfuhr\b", r"erfahren\b", r"exklusiv\w*", r"angeblich\w*",
        r"schreibt\b", r"schrieb\b", r"sagte\w*", r"sagt\b", r"erzählte\w*", r"verriet\w*", r"verrät\b",
        r"agentur\b", r"management\s+(?:des|der|von|seine[rs]?|ihre[rs]?)\b",
        r"künstlermanagement\w*", r"sprecher\w*", r"produzent\w*", r"regisseu\w*", r"drehbuchautor\w*",
        r"showrunner\w*", r"zitiert\w*", r"geleakt\w*", r"durchgesickert\w*", r"nach\s+informationen\b",
        r"unter\s+berufung\b", r"gegenüber\b", r"deutete\w*\s+an\b", r"andeutung\w*", r"(?:im|einem)\s+interview\b",
        r"\w*kreise[n]?\b", r"hei(?:ß|ss)t\s+es\b", r"hie(?:ß|ss)\s+es\b",
    ),
    dismissal=_any(
        r"dementi\w*", r"dementier\w*", r"falsch\b", r"falschmeldung\w*", r"unwahr\b", r"frei\s+erfunden\b",
        r"nicht\s+zutreffend\b", r"trifft\s+nicht\s+zu\b", r"stimmt\s+nicht\b", r"haltlos\w*",
        r"gerüchteküche\b", r"zurückgewiesen\b", r"wies\s+\w+\s+zurück\b",
    ),
    # the clause's subject is another event, and the date is its own: "Der Drehstart ist für Januar geplant",
    # "Die Dreharbeiten zur zweiten Staffel sollen im Mai beginnen".
    excluded_subject=(
        r"(?i:(?:^|[,;:–]\s*|\bund\s+)\s*(?:(?:auch|nun|jetzt|dann|erst|bereits|schon)\s+)?" + _DETERMINERS
        + r"(?:" + _EVENT + r")\s+(?:[^,;:]{0,60}?\s+)?(?:ist|sind|war|waren|wird|werden|soll|sollen|beginn\w*"
        r"|start\w*|erschein\w*|komm(?:t|en)|folg(?:t|en)|steh(?:t|en)|find(?:et|en)|läuft|laufen|dauer\w*"
        r"|geh(?:t|en)|end(?:et|en))\s+[^,;:]{0,40}$)"
    ),
    # "nach 2026", "erst nach dem Sommer": an open window from the day after the named one.
    after_before=r"(?i:\b(?:erst\s+|irgendwann\s+|nicht\s+vor\s+)?nach\s+(?:dem\s+|der\s+)?$)",
    # the day of the statement in a verb-final clause: "wie Netflix am Montag bekanntgab", "heute mitgeteilt".
    statement_after=(
        # the date first, then the statement verb: "Am 23. Juli kündigte Netflix an, …"
        r"(?i:^\s+(?:gab|gaben|kündigte|kündigten|bestätigte|bestätigten|teilte|teilten|verkündete|erklärte"
        r"|meldete|verriet|enthüllte|hieß\s+es)\b"
        # the statement's participle closing its clause: "hat am Montag bekanntgegeben, dass …"
        r"|^\s*(?:\w+\s+){0,4}?(?:bestätigt|angekündigt|bekanntgegeben|bekannt\s+gegeben|mitgeteilt|verkündet"
        r"|enthüllt|verraten)\s*(?:,\s*dass\b|:)"
        r"|^\s*(?:offiziell\s+)?(?:bekanntgab|bekannt\s+gab|bekanntgegeben|bekannt\s+gegeben|mitteilte"
        r"|mitgeteilt|ankündigte|verkündete|erklärte|bestätigte|berichtete|meldete|(?:angekündigt|bestätigt)\s+"
        r"(?:hat|haben|wurde))\b)"
    ),
    official=_any(
        r"offiziell\w*", r"bestätig\w*", r"angekündigt\w*", r"kündigt\w*", r"bekannt\s*gegeben",
        r"bekanntgab\w*", r"gab\s+(?:\w+\s+){0,3}?bekannt", r"gibt\s+(?:\w+\s+){0,3}?bekannt", r"verkündet\w*",
        r"terminiert\b", r"datiert\b", r"steht\s+fest\b", r"festgelegt\b", r"fest\s+steht\b", r"angesetzt\b",
    ),
)
