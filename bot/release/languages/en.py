"""English: the news's date phrases in every common form, and the words journalists put around them.

Month names must be capitalised and most vocabulary matches whole words only, because the cheap mistakes
are common ones: "may" is a hedge, "march" a verb, "shot" a filming word.
"""

from __future__ import annotations

from bot.release.languages import Language

_M = (
    r"(?P<m>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_Y = r"(?P<y>20\d{2})\b"
_YR = r"(?:(?P<y>20\d{2})\b|(?i:(?P<ry>this|next|the|the\s+coming|the\s+following)\s+year))"
_Q = (
    r"(?i:(?P<q>early|mid|late|the\s+(?:end|beginning|start|middle)\s+of|(?:end|beginning|start|middle)\s+of"
    r"|the\s+(?:early|later?)\s+(?:part|months)\s+of))"
)
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_WD = r"(?:(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+(?:the\s+)?)?"
_ORD = r"first|second|third|fourth|final|last|1st|2nd|3rd|4th"
# "just in time for the winter break": a season word naming something else than when a release comes
_NOT_A_SEASON_OF_RELEASE = (
    r"(?!\s+(?i:break|holidays?|vacation|festival|olympics|games|tour|camp|school|term|semester|solstice|storm"
    r"|weather|blockbusters?|movies?|films?|event|sale|showcase|finale|hiatus|months|special)\b)"
)
_NO_YEAR = r"(?!\s*(?:of\s+)?(?:20\d\d|this|next))"  # a year-less part: "in the second half", "in the third quarter"

ENGLISH = Language(
    code="en",
    dates=(
        ("iso", r"\b(?P<y>20\d{2})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b"),
        ("numeric", r"(?<![\d/.])(?P<a>[01]?\d)/(?P<b>[0-3]?\d)(?:/(?P<y>(?:20)?\d{2}))?(?![\d/])"),
        ("range", _M + r"\s+(?P<d1>[0-3]?\d)\s*(?:-|–|to|through)\s*(?P<d2>[0-3]?\d)(?!\d)(?:,?\s+" + _Y + ")?"),
        ("part_month", _Q + r"[\s-]*(?:in\s+)?" + _M + r"(?:,?\s+(?:of\s+)?" + _Y + ")?"),
        ("exact", _WD + _M + r"\s+" + _DAY + r"(?:,?\s+" + _Y + ")?"),
        ("exact", r"(?<![Ss]eason )(?<![Ss]eason)(?<![Pp]art )(?<![\d-])" + _WD + _DAY + r"\s+(?:of\s+)?" + _M
         + r"(?:,?\s+" + _Y + ")?"),
        ("month", _M + r",?\s+(?:of\s+)?" + _Y),
        ("half", r"(?i:(?:the\s+)?(?P<h>first|second|1st|2nd|latter|back|front)\s+half\s+(?:of\s+)?)" + _YR),
        ("half", r"\b(?P<h>H[12])\s*(?:of\s+)?" + _Y),
        ("half", r"\b(?P<h>H[12])\b"),
        ("half", r"(?i:\b(?:in|for|by|during)\s+the\s+(?P<h>first|second|latter)\s+half\b)" + _NO_YEAR),
        ("quarter", r"(?i:(?:the\s+)?(?P<n>" + _ORD + r")\s+(?:quarter\s+)?(?:or|and|to)\s+(?:the\s+)?(?P<n2>"
         + _ORD + r")\s+quarters?\s+(?:of\s+)?)" + _YR),
        ("quarter", r"\b(?P<n>Q[1-4])\s*(?:or|to|and|-|–|/)\s*(?P<n2>Q[1-4])\s*(?:of\s+)?" + _YR),
        ("quarter", r"\b(?P<n>Q[1-4])\s*(?:of\s+)?" + _YR),
        ("quarter", r"\b(?P<n>Q[1-4])\b"),
        ("quarter", r"(?i:\b(?:in|for|by|during)\s+the\s+(?P<n>" + _ORD + r")\s+quarter\b)" + _NO_YEAR),
        ("quarter", r"(?i:(?:the\s+)?(?P<n>" + _ORD + r")\s+quarter\s+(?:of\s+)?)" + _YR
         + r"(?:(?i:,?\s+(?:or|and|to)\s+(?:the\s+)?(?P<n2>" + _ORD + r"))\b(?!\s+(?i:half|season)))?"),
        ("season", r"(?i:\b(?P<s1>spring|summer|fall|autumn|winter)\s+(?:or|and|to|-|–|/)\s+(?P<s>spring|summer"
         r"|fall|autumn|winter))\s*(?:of\s+)?" + _Y),
        ("season", r"(?i:\b(?P<s>spring|summer|fall|autumn|winter))\s*(?:of\s+)?" + _Y
         + r"(?:\s*[-–/]\s*(?:20)?\d{2}\b)?"),
        ("season", r"(?i:\b(?P<ry>this|next|the\s+coming)\s+(?P<s>spring|summer|fall|autumn|winter)\b)"),
        ("season", r"(?i:\b(?:in|for|by|around|during|over|until|before|than)\s+(?:the\s+)?(?P<s>spring|summer|fall"
         r"|autumn|winter)\b)(?!\s*(?:of\s+)?(?:20\d\d|this|next))" + _NOT_A_SEASON_OF_RELEASE),
        ("year_part_range", r"(?i:\b(?P<q1>early|mid)[\s-]*(?:to|or|-|–)[\s-]*(?P<q2>mid|late)[\s-]*)" + _YR),
        ("year_part", _Q + r"[\s-]*" + _YR),
        ("year_relative", r"(?i:\b(?P<later>later\s+(?:this|in\s+the)\s+year|later\s+in\s+(?:the\s+)?year"
         r"|before\s+the\s+(?:end\s+of\s+the\s+)?year\s+is\s+out|by\s+year'?s\s+end)\b)"),
        ("month_relative", r"(?i:\b(?:(?P<later>later\s+this\s+month)|(?P<nx>next)\s+month|this\s+month)\b)"),
        ("week", r"(?i:\b(?:(?P<nx>next)\s+week|this\s+week)\b)"),
        ("today", r"(?i:\b(?:today|tonight)\b)"),
        ("tomorrow", r"(?i:\btomorrow\b)"),
        ("weekday", r"(?i:\b(?:(?P<nx>next)\s+|this\s+(?:coming\s+)?|coming\s+)?(?P<wd>monday|tuesday|wednesday"
         r"|thursday|friday|saturday|sunday)\b)(?!,?\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b"
         r"|(?:the\s+)?[0-3]?\d\b)|'s|\s+(?i:season)\b)"),
        ("year_relative", r"(?i:\b(?:(?P<nx>next)\s+year|this\s+year)\b)"),
        ("month_alone", r"(?i:\b(?:in|this|come|coming|for|on|by|until|from|since|between|than|to|before|after"
         r"|around|or|through|and)\s+)" + _M + r"(?![\s,]*\d)"),
        ("month_alone", _M + r"(?=\s*(?:or|to|and|through|-|–|/)\s*(?:early\s+|late\s+|mid-?\s*)?(?:" + _M[6:] + ")"),
        ("month_alone", r"(?i:\b(?:an?|the|its)\s+)" + _M
         + r"(?=\s+(?i:release|premiere|debut|launch|return|bow|arrival|drop)\b)"),
        ("year", r"(?i:\b(?:in|during|for|sometime\s+in|some\s+time\s+in|within|throughout|by|until|from|since"
         r"|before|after|of|than)\s+)" + _Y),
        ("year", r"(?i:\b(?:an?|the|its)\s+)" + _Y
         + r"(?=\s+(?i:release|premiere|debut|launch|return|bow|arrival|drop)\b)"),
        ("year", r"(?:(?<=\bor )|(?<=\bto )|(?<=[-–/] )|(?<=[-–/]))" + _Y),
        ("year", r"(?i:(?:release|premiere)\s+date\s*[:–-]\s*)" + _Y),
    ),
    release=(
        r"(?i:\breleas\w*|\bpremier\w*|\breturn\w*|\barriv\w*|\bdrop(?:s|ping)?\b|\bstream\w*|\bdebut\w*"
        r"|\blaunch\w*|\bairs?\b|\bairing\b|\blands?\b|\blanding\b|\bcoming\b|\bcomes?\s+(?:out|back)\b"
        r"|\bbe\s+back\b|\bis\s+back\b|\bslated\b|\bdue\b|\bset\s+(?:for|to)\b|\bscheduled\b|\bdated\b|\bbows?\b"
        r"|\bhits?\s+(?:netflix|screens|streaming)\b|\bout\s+(?:on|in)\b|\btipped\b|\bexpected\b|\bpegged\b"
        r"|\bwindow\b|\btarget\w*|\bnetflix\s+dates\b|\beye(?:s|d|ing)\b|\bavailable\b|\bon\s+netflix\b"
        r"|\bdate\b|\bschedule\b|\bplanned\b|\bopen\w*\b|\bunveil\w*|\bfollow(?:s|ing|ed)?\b|\bheads?\s+to\b"
        r"|\bheaded\b|\broll(?:s|ing)?\s+out\b|\blists?\b|\blisted\b|\bslate\b|\blineup\b|\bline-up\b"
        r"|\bnew\s+episodes?\b|\bconfirm\w*(?=[^,;.]{0,60}?\bfor\s)|\brumou?red\s+(?:for|to)\b|\bputs?\b"
        r"|\bpencil\w*|\bgo(?:es)?\s+live\b|\bshows?\s+up\b|\bbows?\b|\bon\s+track\s+for\b"
        r"|\bbe\s+(?:here|out)\b|\bis\s+here\b|\bin\s+front\s+of\s+audiences\b"
        r"|\b(?:delayed|pushed(?:\s+back)?|moved|postponed|shifted)\s+(?:\w+\s+){0,4}?(?:to|until|into)\b"
        r"|\brescheduled\b)"
    ),
    exclude=(
        r"(?i:\bfilm(?:ing|ed|s)?\b|\bshoot\w*|\bshot\b|\bwrap\w*|\bcrank\w*|\bproduction\b|\bpost-production\b"
        r"|\bcasting\b|\bcast\b|\bjoin(?:s|ed|ing)?\b|\baudition\w*|\btable\s+read\w*|\bscript\w*|\bbirthday\w*"
        r"|\bborn\b|\bturns\s+\d+|\banniversar\w*|\bhours\b|\bviewing\b|\bviewership\b|\bviews\b|\bweek\s+of\b"
        r"|\btop\s*10\b|\bcharts?\b|\brenew\w*|\btrailer\w*|\bteaser\w*|\bposters?\b|\benlist\w*|\bmilitary\b"
        r"|\bdischarg\w*|\bphotos?\b|\bstills\b|\bimages?\b|\bpictures?\b|\bfirst\s+look\b|\bclips?\b"
        r"|\bfootage\b|\bost\b|\bsoundtrack\w*|\balbum\b|\bwebtoon\w*|\bmerch\w*|\bgame\s+(?:app|tie-in)\b"
        r"|\bbehind-the-scenes\b|\baward\w*|\bceremony\b|\bfestival\b|\binterview\w*|\bfan\s*meet\w*"
        r"|\bconcert\w*|\bvfx\b|\bsurvey\w*|\bsequel\s+was\s+announced\b|\bgreenlit\b|\bgreen-lit\b"
        r"|\bordered\b|\bscreening\w*|\bpanel\b|\bcomic-?con\b|\btudum\b|\bpress\s+conference\b|\bshowcase\b"
        r"|\bpremiere\s+event\b|\bred\s+carpet\b)"
    ),
    past=(
        r"(?i:\bpremiered\b|\bdebuted\b|\b(?:was|were|got)\s+released\b|\bcame\s+out\b|\baired\b|\bdropped\b"
        r"|\barrived\b|\blanded\b|\breturned\b|\bstreamed\b|\blaunched\b|\bhas\s+been\s+(?:streaming|available)"
        r"|\bsince\s+its\s+(?:release|premiere|debut)\b|\b(?:was|were)\s+(?:first\s+)?(?:aired|broadcast)\b"
        r"|,\s*released\s+(?:on|in)\b|\balready\b|\bhas\s+(?:now\s+)?(?:premiered|debuted|been\s+released)\b)"
    ),
    negation=(
        r"(?i:\bnot\b|n't\b|\bnever\b|\bno\s+longer\b|\bunlikely\b|\bruled?\s+out\b|\binstead\s+of\b"
        r"|\brather\s+than\b|\bdenied\b|\bdenies\b|\bfalse\b|\bfake\b|\bdebunk\w*|\buntrue\b|\bmiss(?:es|ed)?\b"
        r"|\bskip\w*|\bscrapped\b|\bcancel\w*|\bpushed\s+(?:back\s+)?from\b|\bdelayed\s+from\b"
        r"|\bpostponed\s+from\b|\bmoved\s+from\b|\bno\b|\bearlier\b|\bpreviously\b|\boriginally\b"
        r"|\binitially\b|\bformerly\b|\bhad\s+been\b|\bonce\b)"
    ),
    negation_after=(
        r"(?i:^[^,;]{0,30}?(?:\bis\s+off\b|\bruled\s+out\b|\bno\s+longer\b|\bunlikely\b|\bquestionable\b"
        r"|\bin\s+doubt\b|\bwas\s+wrong\b|\bfalse\b|\bdenied\b|\bwon't\s+happen\b|\bis\s+not\b))"
    ),
    lower_before=(
        r"(?i:(?:\bnot\s+(?:\w+\s+){0,3}?(?:until|before|till)|\bno\s+(?:earlier|sooner)\s+than|\bat\s+the\s+"
        r"earliest\s+(?:in|on)|\bnot\s+(?:\w+\s+){0,2}?(?:arrive|come|release|premiere|return)\w*\s+until"
        r"|\bwon't\s+(?:\w+\s+){0,3}?(?:until|before)|\bsometime\s+after|\bonly\s+(?:in|from)"
        r"|\bat\s+(?:the\s+)?earliest|\bas\s+early\s+as|\bunlikely\s+to\s+(?:\w+\s+){0,2}?(?:before|until))\s+(?:the\s+)?(?:in\s+|on\s+)?$)"
    ),
    lower_after=r"(?i:^\s*,?\s*(?:at\s+the\s+(?:very\s+)?earliest|or\s+later|or\s+after|onwards?|and\s+beyond))",
    upper_before=(
        r"(?i:(?:\bby|\bbefore|\buntil|\btill|\bno\s+later\s+than|\bas\s+late\s+as|\bahead\s+of|\bprior\s+to"
        r"|\bwithin)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?$)"
    ),
    upper_after=r"(?i:^\s*,?\s*at\s+the\s+(?:very\s+)?latest)",
    statement_before=(
        r"(?:\b(?i:told|informed|assured)\s+(?:[A-Z][\w.-]*\s+){1,3}(?i:on)\s+$)|(?i:(?:announc\w*|confirm\w*|reveal\w*|\bsaid|\bsays|report\w*|\bposted|\bshared|unveil\w*|\bstated"
        r"|\bwrote|\btweeted|\bstatement|\bpress\s+release|\bnews|\bupdate|\bmade|\bannouncement|\bteased"
        r"|\bdropped|\bsurfaced)\s+(?:\w+ly\s+)?(?:(?:released|issued|published|made|posted)\s+)?"
        r"(?:(?:late|early)\s+)?on\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?$)"
    ),
    hedge=(
        r"(?i:\bexpect\w*|\btipped\b|\bcould\b|\b(?:un)?likely\b|\brumou?r\w*|\bspeculat\w*|\bpossibl\w*|\bprobabl\w*"
        r"|\bpredict\w*|\bmight\b|\bestimat\w*|\bguess\w*|\bpotential\w*|\bunconfirmed\b|\bhop(?:e|es|ed|ing)\b"
        r"|\bif\s+all\s+goes|\bpencil\w*|\bshould\b|\banticipat\w*|\bseems?\b|\bappears?\s+to\b|\bbelieved?\b"
        r"|\bfans\s+(?:think|believe|suspect)|\bspeculation\b|\bperhaps\b|\bmaybe\b|\bpresumably\b"
        r"|(?:\bnot|n't|\byet\s+to)\s+(?:\w+\s+){0,3}(?:confirm|announc|reveal)\w*|(?-i:\bmay\b)|\bwhen\s+will\b"
        r"|\b(?:is|are)\s+said\s+to\b|\bbet(?:s|ting)?\s+on\b|\baim(?:s|ing|ed)?\s+(?:for|to|at)\b"
        r"|\beye(?:s|ing|d)\b|\bplans?\s+to\b|\bplanning\b|\btargets?\b|\btargeting\b|\bhint\w*"
        r"|\bpresumed\b|\bpossibly\b|\bwhispers?\b|\bbuzz\b)"
    ),
    reported=(
        r"(?i:\breportedly\b|\baccording\s+to\b|\bsources?\b|\binsiders?\b|\breports?\b|\breported\b"
        r"|\bciting\b|\bcited\b|\btold\b|(?<!is\s)(?<!are\s)\bsaid\b(?!\s+to\b)|\bsays\b|\bsay\b|\bagency\b|\ban?\s+(?:industry\s+)?(?:official|insider"
        r"|representative|spokesperson)\b|\bsuggest\w*|\bclaim\w*|\blearn(?:ed|t)\b|\bexclusive\w*|\bleak\w*"
        r"|\bper\s+(?:the\s+)?[A-Z]\w+|\bvia\s+[A-Z]\w+|\bdisclosed\b|\btold\b|\bwrites\b|\bwrote\b"
        r"|\bhas\s+learned\b|\bunderstands\b)"
    ),
    dismissal=(
        r"(?i:\bnot\s+true\b|\buntrue\b|\bfalse\b|\bfake\b|\bdebunk\w*|\bden(?:ied|ies|y)\b|\bhoax\w*"
        r"|\bshot\s+down\b|\bdismiss\w*|\brefut\w*|\bbaseless\b|\bunfounded\b|\bgroundless\b|\bclickbait\b"
        r"|\bnot\s+(?:yet\s+)?(?:been\s+)?(?:decided|finali[sz]ed|set)\b|\bmisinformation\b)"
    ),
    after_before=r"(?i:\b(?:sometime\s+|some\s+time\s+|only\s+|not\s+until\s+)?(?:after|beyond)\s+(?:the\s+end\s+of\s+)?$)",
    official=(
        r"(?i:\bofficial\w*|\bannounc\w*|\bconfirm\w*|\bunveil\w*|\breveal\w*|\bset\s+(?:for|to)\b|\bhas\s+set\b"
        r"|\bdated\b|\blists?\b|\blisted\b|\blisting\b)"
    ),
)
