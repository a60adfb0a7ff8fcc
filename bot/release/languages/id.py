"""Indonesian: the news's date phrases ("4 Desember 2026", "akhir tahun ini", "paruh kedua 2026") and the
words the Indonesian entertainment press puts around them.

Indonesian has no tense and puts the statement verb after the date ("Netflix pada 23 Juli mengumumkan …"),
so the past, the statement date and denials are read from the words right AFTER a date ("… 27 Juni lalu",
"… 4 Desember ternyata hoaks", "… hari ini mengumumkan"). Month and weekday names must be capitalised, as the
language writes them: "minggu depan" is next week while "Minggu" is Sunday, and "baru" is "only" before a
verb ("baru tayang pada 2027": not before 2027) but "new" after a noun ("versi baru tayang Jumat").
"""

from __future__ import annotations

from bot.release.languages import Language
from bot.release.lexicon import month_names, weekday_names

_CAP = r"(?=[A-Z])"  # names are capitalised: "Desember", "Jumat", headlines in Title Case too
_WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Jum'at", "Sabtu", "Minggu")
_MONTH = month_names("id", abbreviations=False) + "|Mei"  # "Mei" is three letters: no abbreviation list has it
_ABBR = month_names("id")
_M = _CAP + r"(?P<m>(?i:" + _MONTH + r"))\b"
_M_ABBR = _CAP + r"(?P<m>(?i:" + _MONTH + "|" + _ABBR + r"))\b\.?"
_Y = r"(?:(?i:tahun)\s+)?(?P<y>20\d{2})\b"
# "tahun ini/depan/mendatang"; a bare "tahun" ("akhir tahun") is this year; "tahun lalu" is never a window.
_RY = r"(?P<ry>(?i:tahun(?:\s+(?:ini|depan|mendatang|berikutnya))?))\b(?!\s+(?i:lalu|kemarin))"
_RY_NAMED = r"(?P<ry>(?i:tahun\s+(?:ini|depan|mendatang|berikutnya)))\b"
_YR = r"(?:" + _Y + "|" + _RY + ")"
_PART = r"(?i:awal|permulaan|pertengahan|tengah|medio|akhir|penghujung|pengujung|ujung)"
_Q = r"(?P<q>" + _PART + r")(?:\s+(?i:bulan))?"
_QY = r"(?P<q>" + _PART + r")"
_DAY = r"(?<![\d/.,-])(?<![Mm]usim )(?<![Ss]eason )(?<![Bb]agian )(?<![Pp]art )(?<![Ee]pisode )(?P<d>[0-3]?\d)(?!\d)"
_WD = r"(?:(?:(?i:hari)\s+)?" + _CAP + r"(?i:" + weekday_names("id") + r"|jum'at),?\s+(?:(?i:tanggal|tgl\.?)\s+)?)?"
_ORD_Q = r"(?:ke-?\s*)?(?:pertama|kedua|ketiga|keempat|terakhir|IV|III|II|I|[1-4])\b"
_ORD_H = r"(?:ke-?\s*)?(?:pertama|kedua|II|I|[12])\b"
_HALF = r"(?i:paruh|separuh|semester|setengah)"
_QUARTER = r"(?i:kuartal|triwulan|caturwulan)"
_SEASONS = r"(?i:musim\s+(?:panas|gugur|semi|dingin))"
_OR = r"\s*(?i:atau|hingga|sampai|dan|-|–|/)\s*"
# Verbs and prepositions a bare month or year follows ("tayang Desember", "rilis 2027", "pada 2027"); Python's
# look-behinds are fixed-width, so each word is its own.
_LEAD_WORDS = (
    "pada", "antara", "di", "bulan", "sejak", "mulai", "dalam", "jelang", "menjelang", "hingga", "sampai",
    "sebelum", "setelah", "sesudah", "atau", "dan", "ke", "tayang", "rilis", "hadir", "meluncur", "kembali",
    "mengudara", "dirilis", "ditayangkan", "cepat", "lambat", "perdana", "tahun", "sepanjang",
    "menjadi", "jadi",
)  # fmt: skip
# (Patterns check what follows first, "(?=20\d{2})" or a capital, so these run only where a date may start.)
_LEAD = (
    "(?:" + "|".join(rf"(?<=\b{w} )|(?<=\b{w.capitalize()} )" for w in _LEAD_WORDS) + r"|(?<=- )|(?<=– )|(?<=-))"
)
# A month or year followed by "lalu" (ago) or "kemarin" is past; one followed by a day number is an exact date.
_NOT_PAST = r"(?!\s*(?:(?i:tahun|bulan)\s+)?(?i:lalu|kemarin|silam)\b)"
_VERBS = r"(?:di)?(?:tayang|rilis|luncur|hadir|putar)\w*|mengudara|meluncur|tiba|kembali|menyapa"

INDONESIAN = Language(
    code="id",
    dates=(
        # "4-6 Desember 2026", "4 hingga 6 Desember"
        ("range", _DAY.replace("(?P<d>", "(?P<d1>") + r"\s*(?:-|–|(?i:hingga|sampai(?:\s+dengan)?|s\.?d\.?|s/d))\s*"
         r"(?P<d2>[0-3]?\d)\s+" + _M_ABBR + r"(?:\s+" + _Y + ")?"),
        # "awal Desember", "akhir bulan Juni 2026", "pertengahan Maret tahun depan"
        ("part_month", r"\b" + _Q + r"\s+" + _M + r"(?:\s+(?:" + _Y + "|" + _RY + "))?" + _NOT_PAST),
        # "Jumat, 4 Desember 2026", "tanggal 4 Des.", "4 Desember"
        ("exact", _WD + _DAY + r"\s+" + _M_ABBR + r"(?:\s+" + _Y + r")?" + _NOT_PAST),
        # "Desember 2026", "bulan Desember tahun depan"
        ("month", _M + r"\s+" + _Y),
        ("month", _M + r"\s+" + _RY_NAMED),
        # "paruh kedua 2026", "semester pertama tahun depan", "paruh kedua tahun ini"
        ("half", r"\b" + _HALF + r"\s+(?P<h>(?i:" + _ORD_H + r"))\s+" + _YR),
        # year-less "semester kedua": the next such half not over at the article's date
        ("half", r"\b" + _HALF + r"\s+(?P<h>(?i:" + _ORD_H + r"))(?!\s*(?:(?i:tahun)|20\d{2}))"),
        # "kuartal pertama atau kedua 2027", "kuartal III-IV 2026"
        ("quarter", r"\b" + _QUARTER + r"\s+(?P<n>(?i:" + _ORD_Q + r"))" + _OR + r"(?:" + _QUARTER + r"\s+)?"
         r"(?P<n2>(?i:" + _ORD_Q + r"))\s+" + _YR),
        ("quarter", r"\b" + _QUARTER + r"\s+(?P<n>(?i:" + _ORD_Q + r"))\s+" + _YR),
        # "kuartal keempat (Q4) 2026": the year is read through the bracket, which English's bare "Q4" takes
        ("quarter", r"\b" + _QUARTER + r"\s+(?P<n>(?i:" + _ORD_Q + r"))(?=\s*\((?i:Q[1-4])\)\s+" + _YR + ")"),
        ("quarter", r"\b(?P<n>Q[1-4])\s+" + _RY),
        ("quarter", r"\b" + _QUARTER + r"\s+(?P<n>(?i:" + _ORD_Q + r"))(?!\s*(?:(?i:tahun)|20\d{2}))"),
        # "musim panas atau gugur 2026", "musim panas 2026", "musim dingin tahun ini", "musim semi mendatang"
        ("season", r"\b(?P<s1>" + _SEASONS + r")" + _OR + r"(?P<s>(?:(?i:musim)\s+)?(?i:panas|gugur|semi|dingin))"
         r"\s+" + _YR),
        ("season", r"\b(?P<s>" + _SEASONS + r")\s+" + _Y),
        ("season", r"\b(?i:pada|di|saat|selama|jelang|menjelang)\s+(?P<s>" + _SEASONS + r")\b"
         r"(?!\s+(?i:tahun|ini|depan|mendatang|nanti|lalu|kemarin|20\d{2})\b)"),
        # "musim panas tahun depan" is next year's; "musim panas ini/mendatang" the first not yet over
        ("season", r"\b(?P<s>" + _SEASONS + r")\s+(?:(?P<ry>(?i:tahun\s+(?:depan|berikutnya)|depan))"
         r"|(?i:tahun\s+ini|ini|mendatang|nanti))\b"),
        # "pertengahan hingga akhir 2026"
        ("year_part_range", r"\b(?P<q1>(?i:awal|pertengahan|medio))\s*(?i:hingga|sampai|atau|ke|-|–)\s*"
         r"(?P<q2>(?i:pertengahan|medio|akhir|penghujung|pengujung))\s+" + _YR),
        # "akhir 2026", "awal tahun depan", "akhir tahun ini", "penghujung tahun"
        ("year_part", r"(?<!libur )(?<!liburan )\b" + _QY + r"[\s-]+" + _YR),  # not "libur akhir tahun" (holidays)
        ("year_part", r"\b(?P<q>(?i:medio))\s*-?\s*" + _Y),
        # "sisa tahun ini", "sebelum tahun ini berakhir"
        ("year_relative", r"\b(?P<later>(?i:(?:dalam\s+)?sisa\s+tahun\s+ini|sebelum\s+tahun\s+(?:ini\s+)?"
         r"(?:berakhir|usai|habis|berganti)))"),
        ("month_relative", r"\b(?i:(?P<later>sisa\s+bulan\s+ini|akhir\s+bulan\s+ini)|bulan\s+(?P<nx>depan"
         r"|mendatang|berikutnya)|bulan\s+ini)\b"),
        # "minggu depan" is a week, "Minggu" a Sunday (unless a Title Case headline: "Minggu Depan")
        ("week", r"(?<!\bhari )(?<!\bHari )(?<!akhir )(?<!Akhir )(?<!\bsetiap )(?<!\btiap )"
         + "".join(rf"(?<!{name} )" for name in _WEEKDAY_NAMES) +
         r"\b(?:(?i:pekan)|minggu|Minggu(?=\s+(?:Depan|Ini|Mendatang)\b))\s+(?:(?P<nx>(?i:depan|mendatang"
         r"|berikutnya))|(?i:ini))\b"),
        ("today", r"\b(?i:hari\s+ini|malam\s+ini|nanti\s+malam)\b"),
        ("tomorrow", r"\b(?i:besok|esok(?:\s+hari)?)\b(?!\s+(?:lusa|harinya))"),
        # "Jumat ini", "Jumat depan", "hari Minggu"; never the weekday that decorates a date or a week
        # ("setiap Jumat" is every Friday, "Sabtu dan Minggu" a weekly slot; "Jumat pekan depan" is next week's
        # Friday, no day this reader can count from the article's date without knowing the writer's week)
        ("weekday", r"(?<!\bsetiap )(?<!\btiap )(?<!\bdan )(?<!\bhingga )(?<!\bsampai )(?:\b(?i:hari)\s+)?\b(?P<wd>"
         + _CAP + r"(?i:" + weekday_names("id") + r"|jum'at))\b"
         r"(?:\s+(?:(?P<nx>(?i:depan|mendatang))|(?i:(?:pekan\s+|minggu\s+)?ini|nanti)))?\b"
         r"(?!\s*,?\s*(?:\(|[0-3]?\d\b|(?i:tanggal|tgl|pekan|minggu\s+(?:depan|ini)|lalu|kemarin)\b))"),
        # "tahun depan", "tahun ini"
        ("year_relative", r"(?<!Q[1-4] )\b(?i:tahun\s+(?P<nx>depan|mendatang|berikutnya)|tahun\s+ini)\b"),
        # "pada bulan Desember", "tayang Desember", "Agustus mendatang", "Juli ini"
        ("month_alone", r"(?:\b(?i:pada|di|dalam)\s+)?(?:(?i:bulan)\s+)?" + _CAP + _LEAD + _M + r"(?!\s*[\d(])"
         + _NOT_PAST),
        # the names English does not share stand alone ("Desember, musim kedua tayang")
        ("month_alone", r"\b(?P<m>" + _CAP + r"(?i:januari|februari|pebruari|maret|mei|juni|juli|agustus|oktober"
         r"|nopember|desember))\b(?!\s*[\d(])" + _NOT_PAST),
        ("month_alone", r"(?:\b(?i:pada|di|dalam)\s+)?(?:(?i:bulan)\s+)?" + _M
         + r"(?=\s+(?i:mendatang|nanti|ini|depan)\b)"),
        # "pada 2027", "tahun 2027", "tayang 2027", "atau 2028"
        ("year", r"(?=20\d{2}\b)" + _LEAD + r"(?P<y>20\d{2})\b" + _NOT_PAST),
    ),
    release=(
        r"(?i:\b(?:di|me|pe)?(?:tayang|nayang)\w*|\b(?:di|me|pe|per)?rilis\w*|\bhadir\w*|\bcomeback\b"
        # "kembali" returns when it is the verb, not the "again" before one ("kembali membintangi")
        r"|\bkembali\b(?!\s+(?:me|ber|di|ter)\w)"
        r"|\b(?:me|di|pe)?(?:luncur|nuncur)\w*|\bmengudara\b|\bdebut\w*|\bperdana\b|\bpremier\w*"
        r"|\b(?:bisa|dapat)\s+(?:di|me)?(?:saksikan|nyaksikan|tonton|nonton|nikmati|menikmati)\w*|\bdisaksikan\b"
        r"|\btersedia\b|\b(?:di|men)?jadwalkan\b|\bjadwal\b"
        r"|\btanggal\s+(?:tayang|rilis)\b|\bmenyapa\b|\bmenyusul\b|\bmenyaksikan\b|\bstreaming\b|\bdi\s+netflix\b"
        # a postponement names the new date: "molor ke 2027", "diundur ke Juni 2027"
        r"|\bmolor\b|\bmundur\b|\bdiundur\b|\bdimundurkan\b|\bditunda\b|\bdigeser\b|\bbergeser\b)"
    ),
    exclude=(
        # one word boundary, then the words (cheaper than a boundary per word: this runs at every position)
        r"(?i:\b(?:syuting\w*|shooting\b|pengambilan\s+gambar\b|(?<!rumah\s)produksi\b|rampung\b|crank\w*"
        r"|pembacaan\s+naskah\b|naskah\b|casting\b|pemeran\w*|jajaran\s+pemain\b|memerankan\b|berperan\b"
        r"|didapuk\b|bergabung\b|audisi\w*|(?:ber)?ulang\s+tahun\w*|ultah\b|lahir\b|wajib\s+militer\b|wamil\b"
        r"|militer\b|ditonton\b|jam\s+(?:tayang|penayangan|menonton)\b|\d+\s+hari\s+pertama\b|peringkat\b"
        r"|top\s*10\b|tangga\b|rating\b|viewership\b|trailer\w*|teaser\w*|cuplikan\b|poster\w*|foto\w*|ost\b"
        r"|soundtrack\b|album\b|webtoon\b|penghargaan\b|penganugerahan\b|nominasi\b|piala\b|festival\b|biff\b"
        r"|tiff\b|cannes\b|sundance\b|berlinale\b|pemutaran\b|diputar\b|(?:jumpa|konferensi)\s+pers\b"
        r"|jumpa\s+(?:fans|penggemar)\b|fan\s*meet\w*|konser\b|wawancara\b|diperpanjang\b|memperpanjang\b"
        r"|perpanjangan\b|lampu\s+hijau\b|gala\b"
        # an announcement to come: "tanggal tayang akan diumumkan pada November"
        r"|diumumkan\s+(?:pada|dalam|di|saat|bulan|pekan|minggu|tahun)\b))"
    ),
    past=(
        r"(?i:\b(?:telah|sudah|sempat|pernah)\s+(?:resmi\s+)?(?:" + _VERBS + r")|\bbaru\s+saja\b"
        r"|\bbaru-baru\s+ini\b|\bsejak\b|\b(?<!akan\s)pertama\s+kali\s+(?:" + _VERBS + r")"
        r"|\b(?:musim|season)\s+(?:pertama|1|satu|perdana|sebelumnya|lalu)(?:nya)?\b[^.;]{0,30}?\b(?:" + _VERBS + r")"
        # "saat dirilis pada 2022": when it came out (not "saat tayang nanti", when it airs)
        r"|\b(?:saat|ketika)\s+(?:pertama\s+(?:kali\s+)?)?(?:di)?(?:rilis|tayang)\w*\b(?!\s+nanti))"
    ),
    negation=(
        # "tidak/tak/bukan" deny, except in idioms ("tak sabar", "tak lama lagi", "bukan hanya"); "semula",
        # "awalnya" and "yang sebelumnya" mark the old date of a change ("Sebelumnya," alone is only "Earlier,").
        # A denial reaches a date only within its own comma phrase: in "Meski tidak mengungkap tanggal pasti,
        # Netflix memastikan … akhir 2026" the "tidak" belongs to the leading clause.
        r"(?i:(?:\b(?:tidak|tak)\b(?!\s+(?:sabar|hanya|lama|sampai|lebih|kalah|sedikit|terduga|disangka|ayal|pelak)\b)"
        r"|\bbukan(?:nya)?\b(?!\s+(?:hanya|cuma|sekadar)\b)"
        r"|\bbelum\s+(?:akan\s+)?(?:" + _VERBS + r")|\bbatal\b|\bdibatalkan\b|\burung\b|\b(?:mem|di)bantah\w*"
        r"|\bbantahan\b|\bmenepis\b|\bditepis\b|\bhoaks\b|\bhoax\b|\bpalsu\b|\bkeliru\b|\bsemula\b"
        r"|\bawalnya\b|\bmulanya\b|\byang\s+sebelumnya\b|\bsebelumnya\s+(?:sempat\s+|telah\s+|sudah\s+)?(?:dijadwalkan"
        r"|dikabarkan|direncanakan|diumumkan|disebut|dilaporkan|diprediksi|diperkirakan|ditargetkan|tayang)"
        r"|\bmeleset\b|\bketimbang\b|\bdaripada\b|\balih-alih\b"
        # "menunda penayangan yang dijadwalkan Desember" denies December; "menunda … hingga Maret" moves it
        r"|\bmenunda\b(?![^.;]{0,60}?\b(?:ke|hingga|sampai|menjadi)\b)"
        r"|\b(?:ditunda|diundur|mundur|dimundurkan|tertunda|digeser|bergeser)\s+dari\b)(?![^,;]*,))"
    ),
    negation_after=(
        # a date followed by "lalu" (ago) or by its denial: "27 Juni lalu", "4 Desember ternyata batal"
        r"(?i:^\s*(?:(?:tahun|bulan|pekan|minggu)\s+)?(?:yang\s+)?(?:lalu|kemarin|silam)\b"
        r"|^(?:\s+\w+){0,2}?\s+(?:hoaks|hoax|palsu|tidak\s+benar|keliru|batal|dibatalkan|dibantah|urung"
        r"|ditunda|diundur|tidak\s+(?:akan\s+)?terjadi)\b)"
    ),
    lower_before=(
        r"(?i:(?:\bpaling\s+(?:cepat|awal)|\bsecepat-cepatnya|\bsedini-dininya|\btidak\s+(?:lebih\s+)?(?:awal|cepat)"
        r"\s+dari|\b(?:tidak|tak|belum)\s+(?:akan\s+)?(?:\w+\s+){0,2}?(?:sebelum|hingga|sampai)"
        r"|\bmenunggu\s+(?:\w+\s+){0,2}?(?:hingga|sampai)"
        r"|\b(?=baru\s)(?<!musim\s)(?<!versi\s)(?<!season\s)(?<!serial\s)(?<!series\s)(?<!drama\s)(?<!film\s)"
        r"(?<!yang\s)(?<!bagian\s)(?<!episode\s)(?<!judul\s)(?<!sekuel\s)(?<!proyek\s)(?<!karya\s)"
        r"baru\s+(?:akan\s+|bisa\s+|dapat\s+)?(?:" + _VERBS + r"))\s+(?:\w+\s+){0,2}?(?:pada\s+|di\s+|tahun\s+)?$)"
    ),
    lower_after=(
        r"(?i:^\s*,?\s*(?:paling\s+(?:cepat|awal)|secepat-cepatnya|sedini-dininya|atau\s+(?:lebih\s+lambat"
        r"|sesudahnya|setelahnya)|dan\s+seterusnya|ke\s+atas)\b)"
    ),
    upper_before=(
        r"(?i:(?:\bpaling\s+(?:lambat|telat)|\bselambat-lambatnya|\bselambatnya|\bsebelum|\bmaksimal)\s+"
        r"(?:pada\s+|tanggal\s+|bulan\s+)?$)"
    ),
    upper_after=r"(?i:^\s*,?\s*(?:paling\s+(?:lambat|telat)|selambat-lambatnya|selambatnya)\b)",
    statement_before=(
        # "mengumumkan pada 23 Juli bahwa …", "dalam keterangan resmi pada Senin", "ujarnya, Senin"
        r"(?i:(?:\b(?:mengumumkan|diumumkan|mengonfirmasi|dikonfirmasi|menyatakan|pernyataan\w*|keterangan\w*"
        r"|melaporkan|dilaporkan|mengunggah|diunggah|unggahan\w*|membagikan|(?:konferensi|jumpa|siaran)\s+pers"
        r"|disampaikan|diungkapkan|dikatakan)"
        r"\s+(?:(?!(?:di)?(?:tayang|rilis|hadir))\w+\s+)?(?:pada|hari|tanggal)"
        r"|\b(?:katanya|ujarnya|ucapnya|ungkapnya|tuturnya|jelasnya|tulisnya|tegasnya)\s*,?(?:\s+pada)?(?:\s+hari)?)"
        r"\s+$)"
    ),
    hedge=(
        r"(?i:\bdiperkirakan\b|\bperkiraan\b|\bkemungkinan\w*|\bdiprediksi\b|\bprediksi\w*|\bdiharapkan\b"
        r"|\bharapannya\b|\bsemoga\b|\bbisa\b(?!\s+(?:di|me)?(?:saksikan|nyaksikan|tonton|nonton|nikmati|akses)\w*)"
        r"|\bmungkin\b"
        r"|\bdigadang-gadang\b|\bdiduga\b|\bdisebut(?:-sebut)?\b|\bkonon(?:nya)?\b|\brumor\w*|\bdesas-desus\b"
        r"|\bspekulasi\b|\bisu(?:nya)?\b|\bberedar\b|\bkabar\s+burung\b|\bdiyakini\b|\btampaknya\b"
        r"|\bsepertinya\b|\bagaknya\b|\bberpotensi\b|\bberpeluang\b|\bberencana\b|\b(?:di|me)nargetkan\b"
        r"|\bmembidik\b|\bmengincar\b|\bdiramal(?:kan)?\b|\bdiisukan\b|\bdigosipkan\b|\bditaksir\b"
        r"|\bdiproyeksikan\b|\bbelum\s+(?:\w+\s+){0,2}?(?:konfirmasi"
        r"|dikonfirmasi|diumumkan|resmi|pasti|dipastikan)|\bberharap\b)"
    ),
    reported=(
        r"(?i:\b(?:menurut\b|dikabarkan\b|kabarnya\b|dilaporkan\b|melaporkan\b|laporan\w*|sumber\b|narasumber\b"
        r"|orang\s+dalam\b|agensi\w*|dilansir\b|melansir\b|dikutip\b|mengutip\b|diberitakan\b|memberitakan\b"
        r"|eksklusif\b|bocoran\w*|membocorkan\b|mengklaim\b|klaim\w*|berdasarkan\s+(?:laporan|informasi|sumber|data)"
        r"|mengatakan\b|kata(?:nya)?\b|ujar(?:nya)?\b|tutur(?:nya)?\b|ungkap(?:nya)?\b|menuturkan\b|mengungkapkan\b"
        r"|menyebutkan\b|media\s+(?:korea|lokal|asing)\b|perwakilan\b|juru\s+bicara\b|pejabat\b"
        # "…, lapor Star News", "tulis Soompi": the outlet named after the claim
        r"|lapor(?:nya)?\b|tulis(?:nya)?\b|(?<!-)sebut(?:nya)?\b"
        r"|seperti\s+(?:di)?(?:sebut|lapor|tulis|kutip|lansir|beritakan|ungkap)\w*))"
    ),
    official=(
        r"(?i:\bresmi\w*|\bmengumumkan\b|\bdiumumkan\b|\bpengumuman\b|\bmengonfirmasi\b|\bdikonfirmasi\b"
        r"|\bkonfirmasi\b|\bmemastikan\b|\bdipastikan\b|\bdijadwalkan\b|\bmenjadwalkan\b|\bditetapkan\b"
        r"|\bmenetapkan\b|\bjadwal\s+(?:tayang|rilis)\b|\btanggal\s+(?:tayang|rilis)\b)"
    ),
    dismissal=r"(?i:\bhoaks\b|\btidak\s+benar\b(?!-)|\b(?:kabar|berita|informasi)\s+(?:palsu|bohong|keliru)\b)",
    after_before=r"(?i:\b(?:setelah|sesudah|selepas)\s+(?:tahun\s+)?$)",
    statement_after=(
        # Indonesian puts the statement verb after its day: "Netflix pada 23 Juli mengumumkan …",
        # "Netflix, Senin (7/12), memastikan …", "hari ini mengumumkan"
        # "Netflix mengumumkan hari ini bahwa …": the day before "bahwa" (that) is the statement's
        r"(?i:^\s*\)?\s*,?\s*bahwa\b"
        r"|^\s*\)?\s*,?\s*(?:(?:secara\s+)?resmi\s+|telah\s+|sudah\s+)?(?:mengumumkan|mengonfirmasi|memastikan"
        r"|menyatakan|mengungkap\w*|membagikan|menegaskan|menjelaskan|mengatakan|melaporkan|memberitakan"
        r"|menyebut\w*|membantah|mengunggah|merilis\s+(?:trailer|teaser|poster|jadwal|foto|video|pengumuman))\b)"
    ),
    excluded_subject=(
        # the clause is about another event, named at its head, and the date follows before the show's own
        # release word: "Syuting musim kedua dimulai pada Juni 2026 dan tayang pada 2027" (June is filming),
        # "Trailer resmi … musim 2 dirilis 20 November"; a "yang" clause gives the verb back to the show
        # ("teaser musim kedua yang akan tayang 4 Desember")
        r"(?i:^\s*(?:\w+\s+){0,2}?(?:syuting|proses\s+syuting|pengambilan\s+gambar|produksi|pembacaan\s+naskah"
        r"|casting|audisi|wajib\s+militer|ulang\s+tahun)\b"
        r"(?:(?!\byang\b|\b(?:di|me|pe)?(?:tayang|nayang|rilis|luncur)|\bhadir|\bkembali)[^,;:]){0,80}$"
        r"|^\s*(?:\w+\s+){0,2}?(?:trailer|teaser|cuplikan|poster|foto|video|klip|ost|soundtrack|gambar|album|lagu"
        r"|single|webtoon|komik|novel|tiket|merchandise)\b"
        r"(?:(?!\byang\b|\b(?:di|me|pe)?(?:tayang|nayang))[^,;:]){0,80}$)"  # "New teaser: …" heads nothing
    ),
)
