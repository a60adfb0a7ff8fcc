"""Spanish: "4 de diciembre de 2026", "a finales de 2026", "el segundo semestre", and the press's attributions.

Spanish dates are built from a day, a lower-case month and a year joined by "de" ("el viernes 4 de diciembre
de 2026", "a mediados del próximo año"), so the phrases below follow that grammar rather than a list of
sentences. Headlines capitalise freely ("Diciembre"), so month and weekday names match in any case.

Prepositions that bound a window ("hasta", "antes de", "no … antes de") are kept outside the date's span so
the judging sees them; neutral ones ("en", "para", "durante") are required by look-behind only, for the
same reason. The press's conditional ("llegaría", "se estrenaría") is the writer's hedge unless a source
is named, and "según Netflix" is the platform's own word.
"""

from __future__ import annotations

from bot.release.languages import Language
from bot.release.lexicon import month_names

_MONTHS = month_names("es", abbreviations=False)
_M = r"(?P<m>(?i:" + _MONTHS + r"))\b"
_Y = r"(?P<y>20\d{2})\b"
# A year after "de"/"del": a number ("de 2026", "del año 2026") or a relative one ("del próximo año",
# "de este año", "del año que viene", and a bare "de año" as in "a finales de año" = this year's).
_YR = (
    r"(?:(?:(?i:este|el\s+próximo|el)\s+)?(?:(?i:año)\s+)?(?P<y>20\d{2})\b"
    r"|(?i:(?P<ry>(?:este|el\s+presente|presente|el\s+próximo|próximo)\s+año"
    r"|año\s+(?:que\s+viene|próximo|entrante)|año(?!\s+(?:pasado|anterior|siguiente|\d)))\b))"
)
_OF = r"\s+(?:(?i:del?)\s+)?"  # "diciembre de 2026", "diciembre del 2026", "diciembre 2026"
_WEEKDAYS = r"lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
_WD = r"(?:(?i:(?:" + _WEEKDAYS + r")),?\s+(?:(?i:día)\s+)?)?"  # "el viernes 4 de diciembre": decoration
# A day number, not a season or part number ("temporada 2 de …") nor part of a larger number.
_DAY = (
    r"(?<![Tt]emporada )(?<![Pp]arte )(?<![Ee]pisodio )(?<![Cc]apítulo )(?<![Tt]op )(?<!TOP )(?<![\d.,:/])"
    r"(?P<d>[0-3]?\d)(?:º|°|\.º|ro)?(?![\d,.:/]?\d)"
)
_YEAR_AFTER_DAY = r"(?:\s*,?\s+(?:(?i:del?)\s+)?(?:(?i:año)\s+)?" + _Y + ")?"
# Month parts: "principios/mediados/finales de diciembre", "el final de", "los últimos días de".
_QM = (
    r"(?i:\b(?P<q>principios|mediados|finales|fines|comienzos|inicios|(?:(?:el|la|al)\s+)?(?:principio|inicio"
    r"|comienzo|final|fin|(?<!primera\s)(?<!segunda\s)mitad)|(?:los|las)\s+(?:primeros|primeras|últimos|últimas)"
    r"\s+(?:días|semanas))\s+del?\s+(?:mes\s+de\s+)?)"
)
# Year parts: "principios de 2027", "a mitad de año", "los primeros meses del próximo año".
_QY = (
    r"(?i:\b(?P<q>principios|mediados|finales|fines|comienzos|inicios|(?:(?:el|la|al)\s+)?(?:principio|inicio"
    r"|comienzo|final|fin|mitad)|(?:los|las)\s+(?:primeros|últimos|ultimos)\s+meses)\s+del?\s+)"
)
_ORD = (
    r"(?P<{g}>primer|primero|primera|segundo|segunda|tercer|tercero|cuarto|último|ultimo|[1-4])"
    r"(?:er|º|ª|°|\.º|\.ª|o|a|do|da|ro|to)?"
)
_SEASONS = r"primavera|verano|otoño|invierno"
# Neutral words before a bare year or month; kept out of the span by look-behind.
_BEFORE_YEAR = (
    r"(?i:(?<=\ben )|(?<=\ben el )|(?<=\bpara )|(?<=\bpara el )|(?<=\bdurante )|(?<=\bdurante el )"
    r"|(?<=\bhacia )|(?<=\bdesde )|(?<=\bhasta )|(?<=\bhasta el )|(?<=\bantes de )|(?<=\bantes del )"
    r"|(?<=\bdespués de )|(?<=\bdespués del )|(?<=\bde cara a )|(?<=\bde cara al )|(?<=\blo largo de )"
    r"|(?<=\blo largo del )|(?<=\bpartir de )|(?<=\bpartir del )|(?<=\bentre )|(?<=\bmomento de )"
    r"|(?<=\bmomento del )|(?<=\bel año )|(?<=\ben el año )|(?<=\bo )|(?<=\bu )|(?<=\by )|(?<=\ba )"
    r"|(?<=[-–/] )|(?<=[-–/])|(?<=\bestreno: )|(?<=\bestreno en )|(?<=\beste )|(?<=\bpróximo ))"
)
_BEFORE_MONTH = (
    r"(?i:(?<=\ben )|(?<=\bpara )|(?<=\bdurante )|(?<=\bhacia )|(?<=\bdesde )|(?<=\bhasta )|(?<=\bantes de )"
    r"|(?<=\bdespués de )|(?<=\bpartir de )|(?<=\bde cara a )|(?<=\beste )|(?<=\bpróximo )|(?<=\bmes de )"
    r"|(?<=\bentre )|(?<=\bo )|(?<=\bu )|(?<=\by )|(?<=\ba ))"
)


def _words(alternatives: str, then: str = "") -> str:
    """Alternatives that each start a word, tested once per word start rather than once per alternative."""
    return r"(?i:\b(?:" + alternatives + r")" + then + r")"


# The preposition that ties a past or non-release event to its date ("se estrenó en", "terminó de grabarse
# en") belongs to that event: "La serie, que se estrenó en 2022, volverá en 2027" keeps 2022 with the past.
_TIED = (
    r"(?:\s+(?:a\s+netflix\s+)?(?:en(?:\s+el)?|el|del|durante|desde|hasta"
    r"|a\s+(?:principios|mediados|finales|fines)\s+de)\b)?"
)


_NOT_DATED = r"(?!\s*,?\s*(?:(?i:del?)\s+)?(?:\d|(?i:este\s+año|próximo\s+año|año\b|pasad)))"

SPANISH = Language(
    code="es",
    dates=(
        # "24/12/2026": day first, read only when the day is above 12 (the English pattern takes the rest)
        ("numeric", r"(?<![\d/.])(?P<a>1[3-9]|2\d|3[01])/(?P<b>0?[1-9]|1[0-2])(?:/(?P<y>(?:20)?\d{2}))?(?![\d/])"),
        # "del 4 al 6 de diciembre", "4-6 de diciembre"; "entre el 4 y el 6 de diciembre"
        ("range", r"(?<![\d.,:/])(?P<d1>[0-3]?\d)\s*(?:(?i:al)|-|–)\s*(?P<d2>[0-3]?\d)\s+(?i:de)\s+" + _M
         + _YEAR_AFTER_DAY),
        ("range", r"(?i:\bentre\s+(?:el\s+)?)(?P<d1>[0-3]?\d)\s+(?i:y)\s+(?:(?i:el)\s+)?(?P<d2>[0-3]?\d)\s+"
         r"(?i:de)\s+" + _M + _YEAR_AFTER_DAY),
        ("part_month", _QM + _M + r"(?:" + _OF + _YR + r")?"),
        ("exact", r"(?=[\dLlMmJjVvSsDd])" + _WD + _DAY + r"\s+(?:(?i:de)\s+)?" + _M + _YEAR_AFTER_DAY),
        # "el 4 y el 18 de diciembre", "el 4 o el 5 de diciembre": the first day borrows the month after it
        ("exact", _DAY + r"(?=,?\s+(?i:y|e|o|u)\s+(?:[^\W\d]+,?\s+){0,4}?[0-3]?\d\s+(?i:de)\s+" + _M
         + _YEAR_AFTER_DAY + r")"),
        # "diciembre 4, 2026" (some Latin American outlets), not "en diciembre 12 series nuevas"
        ("exact", r"(?=[LlMmJjVvSsDdEeFfAaOoNn])" + _WD + _M + r"\s+" + _DAY + r"(?:\s*,?\s+(?:(?i:de)\s+)?"
         + _Y + r")?(?=\s*(?:[,.;:)]|$|\s(?i:a\s+las|en|y|o)\b))"),
        ("month", _M + _OF + _YR),
        ("half", r"(?i:\b" + _ORD.format(g="h") + r"\s+(?:semestre|mitad)\s+del?\s+)" + _YR),
        ("quarter", r"(?i:\b" + _ORD.format(g="n") + r"\s+(?:trimestre\s+)?(?:o|u|y|a|al)\s+(?:el\s+)?"
         + _ORD.format(g="n2") + r"\s+trimestres?\s+del?\s+)" + _YR),
        ("quarter", r"(?i:\b" + _ORD.format(g="n") + r"\s+trimestre\s+del?\s+)" + _YR
         + r"(?:(?i:,?\s+(?:o|u|y|a|al)\s+(?:en\s+)?(?:el\s+)?" + _ORD.format(g="n2")
         + r")\b(?!\s+(?i:semestre|mitad|trimestre|temporada)))?"),
        # "en el tercer trimestre", "en el segundo semestre" with no year: the article's (windows decides)
        ("half", r"(?i:\b" + _ORD.format(g="h") + r"\s+semestre\b)(?!\s+(?i:del?|de\s+este)\s)"),
        ("quarter", r"(?i:\b" + _ORD.format(g="n") + r"\s+trimestre\b)(?!\s+(?i:del?|de\s+este)\s)"),
        ("season", r"(?i:\b(?P<s1>" + _SEASONS + r")\s+(?:o|u|y|a|-|/)\s+(?:(?:el|la|en)\s+)?(?P<s>" + _SEASONS
         + r"))" + _OF + _Y),
        ("season", r"(?i:\b(?P<s>" + _SEASONS + r"))" + _OF + _Y),
        ("season", r"(?i:\b(?P<s>" + _SEASONS + r")\s+de\s+(?P<ry>este\s+año)\b)"),
        ("season", r"(?i:\b(?P<ry>esta|este|la\s+próxima|el\s+próximo|próxima|próximo)\s+(?P<s>" + _SEASONS
         + r")\b)"),
        ("season", r"(?i:\b(?:la|el)\s+(?P<s>" + _SEASONS + r")\s+(?P<ry>que\s+viene|próxim[oa]|entrante)\b)"),
        ("season", r"(?i:(?=[pvoi])(?:(?<=\ben )|(?<=\bpara )|(?<=\bdurante )|(?<=\bhacia )|(?<=\ben el )|(?<=\ben la )"
         r"|(?<=\bpara el )|(?<=\bpara la ))(?P<s>" + _SEASONS + r")\b(?!\s+(?:del?\s+)?(?:\d|este|próximo"
         r"|año|pasad)))"),
        ("year_part_range", r"(?i:\b(?P<q1>principios|comienzos|inicios|mediados)\s+(?:y|o|a|hasta)\s+(?:el\s+"
         r"|la\s+)?(?P<q2>mediados|finales|fines|final|fin)\s+del?\s+)" + _YR),
        ("year_part", _QY + _YR),
        ("year_relative", r"(?i:\b(?P<later>más\s+adelante\s+(?:este|en\s+el|durante\s+el|a\s+lo\s+largo\s+de"
         r"(?:l|\s+este))\s+año|más\s+tarde\s+(?:este|en\s+el)\s+año|(?:en\s+)?lo\s+que\s+(?:queda|resta)\s+"
         r"(?:del?\s+)?(?:este\s+)?año)\b)"),
        # not "diciembre del próximo año", which the month reads (month_alone comes later in the order)
        ("year_relative", r"(?i:(?<!\bde )(?<!\bdel )\b(?:el\s+)?(?P<nx>próximo)\s+año\b)"),
        ("year_relative", r"(?i:(?<!\bde )(?<!\bdel )\b(?:el\s+)?año\s+(?P<nx>que\s+viene|próximo|entrante)\b)"),
        ("year_relative", r"(?i:(?<!\bde )\b(?:este|el\s+presente)\s+(?:mismo\s+)?año\b)"),
        ("month_relative", r"(?i:\b(?:(?P<later>más\s+adelante\s+este\s+mes|(?:en\s+)?lo\s+que\s+(?:queda"
         r"|resta)\s+del?\s+mes)|(?:el\s+)?(?P<nx>próximo)\s+mes|este\s+(?:mismo\s+)?mes)\b(?!\s+de\s))"),
        ("month_relative", r"(?i:\b(?:el\s+)?mes\s+(?P<nx>que\s+viene|próximo|entrante)\b)"),
        ("week", r"(?i:\b(?:la\s+)?(?P<nx>próxima)\s+semana\b)"),
        ("week", r"(?i:\b(?:la\s+)?semana\s+(?P<nx>que\s+viene|próxima|entrante)\b)"),
        ("week", r"(?i:\besta\s+(?:misma\s+)?semana\b)"),
        # not "a día de hoy" (as of today), "hoy en día" (nowadays), nor the day of "Netflix anuncia hoy"
        ("today", r"(?i:(?<!de )(?<!anuncia )(?<!confirma )(?<!revela )(?<!desvela )(?<!informa )(?<!comunica )"
         r"\bhoy\b(?!\s+(?:en\s+)?día)|\besta\s+noche\b)"),
        # "mañana" is tomorrow, but not in "esta mañana", "por la mañana", "el día de mañana", "pasado mañana"
        ("tomorrow", r"(?i:(?<!esta )(?<!la )(?<!de )(?<!pasado )(?<!una )(?<!cada )(?<!toda )(?<!esa )"
         r"\bmañana\b)"),
        ("weekday", r"(?i:\b(?:(?:el|este)\s+)?(?P<nx>próximo)\s+(?P<wd>" + _WEEKDAYS + r")\b)"
         r"(?!,?\s+(?:[0-3]?\d\b|(?i:día)\b))"),
        ("weekday", r"(?i:\bel\s+(?P<wd>" + _WEEKDAYS + r")\s+(?P<nx>que\s+viene|próximo|entrante)\b)"),
        ("weekday", r"(?i:\b(?:este|el|este\s+mismo)\s+(?P<wd>" + _WEEKDAYS + r")\b)"
         r"(?!,?\s+(?:[0-3]?\d\b|(?i:día\b|pasado\b|de\s+la\s+semana\s+pasada)))"),
        ("month_alone", _M + _OF + r"(?i:(?P<ry>(?:este|el\s+presente|presente|el\s+próximo|próximo)\s+año"
         r"|año\s+(?:que\s+viene|próximo|entrante))\b)"),  # "diciembre del próximo año": no digit
        ("month_alone", r"(?=[EeFfMmAaJjSsOoNnDd])" + _BEFORE_MONTH + _M + _NOT_DATED),
        ("month_alone", r"(?<=\b[Dd]e )" + _M + r"(?=\s+(?i:a|al|hasta)\s+(?i:" + _MONTHS + r")\b)"),
        ("year", r"(?=20\d\d)" + _BEFORE_YEAR + _Y),  # the look-ahead skips the look-behinds cheaply
    ),
    release=_words(
        r"estren\w*|lleg\w*|regres\w*|veremos\b|verán\b|vuelv\w*|volv\w*|vuelta\b|retorn\w*|"
        r"lanz(?:a|an|ará|arán|aría|arían|amiento|ó|aron|ado|ada|arse|ar)\b|debut\w*|disponible\w*|emisión\b|"
        r"emitir\w*|se\s+emit\w*|ver(?:á|ía)?\s+la\s+luz\b|aterriz\w*|desembarc\w*|fecha\b|previst[oa]s?\b|"
        r"programad[oa]s?\b|fijad[oa]s?\b|calendario\b|ventana\b|sald(?:rá|rán|ría|rían)\b|salga(?:n)?\b|"
        r"se\s+podrá\s+ver\b|podrá\s+verse\b|en\s+netflix\b|cita\b|agendad[oa]\b|premier\w*|"
        r"para\s+(?:ver|disfrutar)\b|se\s+esper(?:a|an|aba|aban)\b|ser(?:á|ía)\s+(?:en|el|a|para|durante|hacia)\b|"
        # a delay that names its new date: "aplazada hasta 2027", "la ha retrasado a enero"
        r"(?:retras|aplaz|pospu|pospon|posterg|traslad)\w*\s+(?:\w+\s+){0,3}?(?:hasta|a|al|para)\b|adelantad[oa]\b",
    ),
    exclude=_words(
        r"rod(?:aje|ajes|ar|arse|ará|arán|ó|aron|ando|ado|ada|an|a)\b|"
        r"grab(?:ación|aciones|ar|arse|ará|arán|ó|aron|ando|ado|ada|an|a)\b|"
        r"film(?:ación|aciones|ar|arse|ará|arán|ó|aron|ando|ado|ada)\b|postproducción\b|preproducción\b|"
        r"producción\s+(?:[\w-]+\s+){0,5}?(?:comenz|arranc|empez|termin|finaliz|conclu|inici|paraliz|retom|reanud)\w*|"
        r"(?:comenz|empez|arranc|inici)(?:ó|aron|a|an|ará|arán)\s+(?:la\s+)?producción\b|"
        r"(?:inicio|comienzo|arranque|fin|final)\s+de\s+(?:la\s+)?producción\b|casting\b|reparto\b|elenco\b|"
        r"fich(?:aje|ajes|a|ó|ado|ada)\b|"
        r"se\s+(?:une|unirá|unió|suma|sumará|sumó|incorpora|incorporará|incorporó)\b|audici\w*|guion\w*|guión\b|"
        r"cumpl\w*|naci(?:ó|miento)\b|aniversario\w*|visualizaci\w*|visionado\w*|"
        r"horas\s+(?:vistas|de\s+visualizaci)|audiencia\w*|espectadores\b|top\s*10\b|ranking\w*|semana\s+del\b|"
        r"primeros\s+\w+\s+días\b|renov\w*|tr[aá]iler\w*|avances?\b|teasers?\b|adelantos?\b|p[oó]ster\w*|"
        r"cartel\w*|im[aá]genes\b|fotos?\b|fotograf[ií]as?\b|primer\s+vistazo\b|clips?\b|banda\s+sonora\b|"
        r"[aá]lbum\w*|webtoon\w*|servicio\s+militar\b|ej[eé]rcito\b|alist\w*|licenci(?:amiento|ará|ó)\b|"
        r"premios?\b|gala\b|ceremonia\w*|nominaci\w*|nominad[oa]s?\b|festival\w*|"
        r"proyect(?:ará|arán|ó|aron|ado|ada|arse|a|an)\b|proyecci\w*|alfombra\s+roja\b|rueda\s+de\s+prensa\b|"
        r"conferencia\s+de\s+prensa\b|comic-?con\b|tudum\b|entrevista\w*|fan\s*meeting\w*|"
        r"encuentro\s+con\s+(?:los\s+)?fans\b|concierto\w*|gira\b|evento\b|preestreno\w*|videojuego\w*|"
        r"se\s+celebr\w*|celebraci\w*|"
        # work that ended or began (filming, mostly); a release to come is never told in these tenses
        r"termin(?:ó|aron)\b|conclu(?:yó|yeron)\b|finaliz(?:ó|aron)\b|comenz(?:ó|aron)\b|empez(?:ó|aron)\b"
        r"|arranc(?:ó|aron)\b|inici(?:ó|aron)\b",
        _TIED,
    ),
    past=_words(
        r"se\s+(?:ha\s+|han\s+)?estren(?:ó|aron|ado)\b|estren(?:ó|aron)\b|"
        r"(?:fue|fueron|ha\s+sido|han\s+sido)\s+(?:estrenad|lanzad|publicad|emitid|transmitid)[oa]s?\b|"
        r"(?<!será\s)(?<!serán\s)(?<!sería\s)estrenad[oa]s?\b|lleg(?:ó|aron)\b|ha(?:n)?\s+llegado\b|"
        r"regres(?:ó|aron)\b|volvi(?:ó|eron)\b|ha(?:n)?\s+(?:vuelto|regresado)\b|debut(?:ó|aron)\b|"
        r"se\s+lanz(?:ó|aron)\b|lanz(?:ó|aron)\b|se\s+emiti(?:ó|eron)\b|sali(?:ó|eron)\b|aterriz(?:ó|aron)\b|"
        r"desde\s+su\s+(?:estreno|lanzamiento|llegada)\b|ya\s+(?:está|están)\s+disponibles?\b|pasad[oa]\b|"
        r"ha\s+estado\s+disponible\b|(?:tras|después\s+de)\s+su\s+(?:estreno|lanzamiento|llegada)\b",
        _TIED,
    ),
    negation=_words(
        r"no\b(?!\s+(?:solo|sólo|solamente|obstante|te\s+pierdas|os\s+perdáis|se\s+pierdan|olvides)\b)|"
        r"nunca\b|jamás\b|ni\b|descart\w*|desmint\w*|desmient\w*|desment\w*|"
        r"neg(?:ó|aron|ado|ada)\b|niega(?:n)?\b|fals[oa]s?\b|bulo\w*|en\s+(?:lugar|vez)\s+de\b|inicialmente\b|"
        r"originalmente\b|en\s+un\s+(?:principio|inicio)\b|previamente\b|anteriormente\b|iba(?:n)?\s+a\b|"
        r"estaba(?:n)?\s+previst[oa]s?\b|había(?:n)?\s+sido\b|cancel\w*|"
        # the date a delay left behind: "retrasó el estreno, previsto para …", "retrasada de marzo a …"
        r"(?:retras|aplaz|pospu|pospon|posterg)\w*\b[^.;]{0,60}?\b(?:previst|programad|fijad|planead)[oa]s?\s+"
        r"(?:para\s+)?(?:el\s+|la\s+)?$|(?:retras|aplaz|pospu|pospon|posterg|traslad|movi|mueve)\w*\s+"
        r"(?:\w+\s+){0,3}?(?:del?|desde)\s+(?:el\s+|la\s+)?$",
    ),
    negation_after=(
        r"(?i:^[^,;]{0,30}?(?:\bqueda(?:n)?\s+descartad|\bse\s+descart|\bha\s+sido\s+descartad|\bes\s+(?:fals"
        r"|un\s+bulo)|\bno\s+es\s+(?:cierta|cierto|real|verdad|correcta)|\bya\s+no\b)"
        # "El viernes, Netflix anunció que …": a date at the head of the statement is the day it was made
        r"|^\s*,?\s*(?:[\w«»\"'.-]+\s+){0,4}?(?:anunci|confirm|inform|revel|comunic|desvel)(?:ó|aron|ado)"
        r"\s+que\b"
        # "previsto para el 4 de diciembre, se ha retrasado": the date a delay left behind
        r"|^\s*,?\s*(?:(?!tras\b)\w+\s+){0,3}?(?:retras|aplaz|pospu|pospon|posterg|cancel)\w*)"
    ),
    lower_before=(
        r"(?i:(?:\bno\s+(?:\w+\s+){0,5}?(?:antes\s+del?|hasta)|\besperar\s+(?:\w+\s+){0,2}?hasta"
        r"|\bcomo\s+(?:muy\s+)?pronto(?:\s+en)?|\bcomo\s+mínimo(?:\s+en)?|\bnunca\s+antes\s+del?)"
        r",?\s+(?:(?:el|la|a|en)\s+){0,2}$)"
    ),
    lower_after=(
        r"(?i:^\s*,?\s*(?:como\s+(?:muy\s+)?pronto|como\s+mínimo|en\s+adelante|o\s+(?:más\s+tarde|después)"
        r"|en\s+el\s+mejor\s+de\s+los\s+casos"
        # "hasta 2027 no llegará": the "not … until" told the other way round
        r"|no\s+(?:se\s+)?(?:\w+\s+){0,2}?(?:llegar|estren|volver|volv|regres|ver|lanz|podr)\w*)\b)"
    ),
    upper_before=(
        # "hasta" bounds from above unless it tells where a delay moved the date ("retrasada hasta 2027")
        r"(?i:(?:\ba\s+más\s+tardar|\bantes\s+del?|\bantes\s+de\s+que\s+(?:se\s+)?(?:acabe|termine|finalice"
        r"|concluya)|\b(?!(?:retras|aplaz|pospu|pospon|posterg|traslad)\w*\s)\w+\s+hasta|^\s*hasta"
        r"|\bno\s+más\s+tarde\s+del?|\bcomo\s+(?:muy\s+)?tarde(?:\s+en)?|\bcomo\s+máximo(?:\s+en)?"
        # "después de 2026" starts the day after the window, which no resolver gives: better no claim
        r"|\bdespués\s+del?|\bdentro\s+del?)\s+(?:(?:el|la|a|en)\s+){0,2}$)"
    ),
    upper_after=r"(?i:^\s*,?\s*(?:a\s+más\s+tardar|como\s+(?:muy\s+)?tarde|como\s+máximo)\b)",
    statement_before=(
        r"(?i:(?:\b(?:anunci|confirm|inform|revel|desvel|comunic|declar|asegur|explic|indic|afirm|señal|detall"
        r"|precis|compart|oficializ|public)(?:ó|aron|ado)|\b(?:anunci|confirm|revel|desvel|comunic|inform)(?:a|an)\s+"
        r"(?:este|esta)|\bdijo|\bdijeron|\bdio\s+a\s+conocer|\bdieron\s+a\s+conocer"
        r"|\bhizo\s+oficial|\b(?:comunicado|anuncio|declaraciones)\s+(?:\w+\s+)?del?)\s+"
        r"(?:(?:oficialmente|hoy|ayer|también|además)\s+)?"
        r"(?:(?:el|este|esta|la|del)\s+)?(?:pasado\s+)?$)"
    ),
    hedge=_words(
        r"(?<!como\s)se\s+espera\w*|esper(?:a|an|aba|aban)\s+(?:que|estrenar|lanzar|tener|poder)\b|"
        r"presuntamente\b|aparentemente\b|se\s+baraja\w*|se\s+maneja\w*|"
        r"tentativ\w*|provisional\w*|(?:es|son|está|están|sería)\s+esperad[oa]s?\b|se\s+prevé\b|previsiblemente\b|"
        r"podr(?:ía|ían)\b|"
        r"puede(?:n)?\s+(?:que|llegar|estrenarse|regresar|volver|lanzarse|aterrizar|ver\s+la\s+luz)\b|"
        r"probabl\w*|posibl\w*|todo\s+apunta\b|apunta(?:n|ría)?\s+a\b|rumor\w*|especul\w*|supuestamente\b|"
        r"al\s+parecer\b|parece(?:n|ría)?\b|presumibl\w*|quiz[aá]s?\b|tal\s+vez\b|se\s+cree\b|se\s+estima\b|"
        r"estimad[oa]s?\b|se\s+calcula\b|si\s+todo\s+(?:va|sale)\s+bien\b|"
        r"no\s+(?:\w+\s+){0,3}?(?:confirm|anunci|revel)\w*|sin\s+confirmar\b|pendiente\s+de\s+confirm|"
        r"debería(?:n)?\b|se\s+dice\b|fans\s+(?:creen|piensan|especulan)\b|"
        # the press's conditional: "llegaría", "se estrenaría", "habría fijado"
        r"(?:estrenar|llegar|regresar|volver|lanzar|debutar|aterrizar|emitir|ser|estar|saldr|ver|retornar"
        r"|desembarcar|habr|tendr)ían?\b",
    ),
    reported=_words(
        r"según\b(?!\s+(?:los\s+|las\s+)?(?:rumores|especulaciones|fans|seguidores|teorías))|"
        r"de\s+acuerdo\s+(?:con|a)\b|(?<!por\s)(?<!en\s)medios?\b|portal\w*|diario\b|periódico\b|prensa\b|"
        r"revista\b|fuentes?\b|allegad[oa]s?\b|cercan[oa]s?\s+a\b|insiders?\b|filtr\w*|"
        r"inform(?:ó|aron|a|an|ado|e|es|ación|aciones)\b|report\w*|cit(?:ando|ad[oa]|ó)\b|exclusiva\w*|"
        r"agencia\w*|representante\w*|portavoz\b|dij(?:o|eron)\b|declar(?:ó|aron|aciones)\b|"
        r"asegur(?:ó|aron|a)\b|afirm(?:ó|aron|a)\b|señal(?:ó|aron|a)\b|explic(?:ó|aron)\b|coment(?:ó|aron)\b|"
        r"contó\s+a\b|adelant(?:ó|aron)\b|sugier\w*|sugiri\w*|ha\s+(?:sabido|podido\s+saber)\b|trascend\w*|"
        r"public(?:ó|aron|a|an)\b|en\s+declaraciones\b|en\s+(?:una\s+)?entrevista\b|revel(?:ó|aron)\b|"
        r"desvel(?:ó|aron)\b|"
        # a director or actor speaks for themselves, not for the platform ("el director confirmó")
        r"(?:director|directora|creador|creadora|guionista|showrunner|actor|actriz|protagonista)\s+"
        r"(?:[\w-]+\s+){0,3}?(?:confirm|anunci|adelant|asegur|afirm)\w*",
    ),
    official=_words(
        r"oficial\w*|confirm\w*|anunci\w*|revel\w*|desvel\w*|dio\s+a\s+conocer|dado\s+a\s+conocer|"
        r"fij(?:ó|ado|ada)\b|programad[oa]s?\b|comunicado\b",
    ),
)
