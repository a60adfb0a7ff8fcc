"""Discord-free description of a rich message, checked against Discord's limits.

Domain code in ``bot/`` renders cast entries, recaps, news posts and the countdown as ``Card`` objects;
a cog turns a card into a ``discord.Embed``. Keeping the limits here means every renderer fails the same
way, in a unit test, instead of as a 400 from Discord in production.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
MESSAGE_LIMIT = 2000


class CardLimitError(ValueError):
    """A card would be refused by Discord; the renderer that built it has a bug."""


@dataclass(frozen=True, slots=True)
class CardField:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    title: str = ""
    description: str = ""
    url: str | None = None
    fields: tuple[CardField, ...] = ()
    footer: str = ""
    author: str = ""
    image_url: str | None = None
    thumbnail_url: str | None = None
    timestamp: datetime | None = None
    colour: int | None = None

    def total_length(self) -> int:
        """Characters that count towards Discord's 6000-character embed budget."""
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + len(self.author)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )

    def check(self) -> Card:
        """Raise ``CardLimitError`` naming the first limit this card breaks; return the card otherwise."""
        problems = [
            (len(self.title) > TITLE_LIMIT, f"title is {len(self.title)} > {TITLE_LIMIT} characters"),
            (
                len(self.description) > DESCRIPTION_LIMIT,
                f"description is {len(self.description)} > {DESCRIPTION_LIMIT} characters",
            ),
            (len(self.fields) > FIELD_COUNT_LIMIT, f"{len(self.fields)} fields > {FIELD_COUNT_LIMIT}"),
            (len(self.footer) > FOOTER_LIMIT, f"footer is {len(self.footer)} > {FOOTER_LIMIT} characters"),
            (len(self.author) > AUTHOR_LIMIT, f"author is {len(self.author)} > {AUTHOR_LIMIT} characters"),
            (
                self.total_length() > EMBED_TOTAL_LIMIT,
                f"embed totals {self.total_length()} > {EMBED_TOTAL_LIMIT} characters",
            ),
        ]
        for f in self.fields:
            problems.append((not f.name or len(f.name) > FIELD_NAME_LIMIT, f"field name {f.name[:40]!r}"))
            problems.append((not f.value or len(f.value) > FIELD_VALUE_LIMIT, f"field {f.name!r} value"))
        for broken, what in problems:
            if broken:
                raise CardLimitError(what)
        return self


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``limit`` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ellipsis


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters, preferring paragraph, then line,
    then sentence, then word boundaries, so a long recap reads naturally across pages.

    Spoiler markers (``||``) are never left unbalanced inside a chunk: a chunk that would split a spoiler
    closes it and the next chunk reopens it.
    """
    if limit < 8:
        raise ValueError("limit too small to split text sensibly")
    chunks: list[str] = []
    rest = text.strip()
    open_spoiler = False
    while rest:
        prefix = "||" if open_spoiler else ""
        budget = limit - len(prefix)
        if len(rest) <= budget and (rest.count("||") % 2 == 0) == (not open_spoiler):
            chunks.append(prefix + rest)
            break
        budget -= 2  # room to close a spoiler if the cut lands inside one
        window = rest[:budget]
        cut = -1
        if len(rest) > budget:
            for sep in ("\n\n", "\n", ". ", " "):
                pos = window.rfind(sep)
                if pos > budget // 3:
                    cut = pos + (1 if sep == ". " else 0)
                    break
        piece = window if cut <= 0 or len(rest) <= budget else window[:cut]
        rest = rest[len(piece) :].strip()
        piece = prefix + piece.strip()
        inside = (piece.count("||") % 2) == 1
        if inside:
            piece += "||"
        chunks.append(piece)
        open_spoiler = inside
    return [c for c in chunks if c.strip("| \n")]


def spoiler(text: str) -> str:
    """Wrap ``text`` in Discord spoiler tags that nothing inside can close early.

    Discord ends a spoiler at the first ``||`` after it opens, whatever backslashes say, so every pipe inside
    is escaped (none can pair with another), a pipe at the very end is kept off the closing tag by a space,
    and a trailing backslash is doubled so it cannot eat the closing tag. Pipes already escaped stay as they
    are, so ``spoiler(plain(title))`` escapes once.
    """
    inner = _UNESCAPED_PIPE.sub(r"\1\\|", text)
    if _ODD_TRAILING_BACKSLASHES.search(inner):
        inner += "\\"
    if inner.endswith("|"):
        inner += " "
    return "||" + inner + "||"


# -- feed and HTTP text on a card -------------------------------------------------------------------------
#
# Text that strangers wrote (feed titles and summaries, outlets, HTTP reason phrases) must read on Discord
# exactly as it was written: no masked link, heading, list, quote, spoiler, code, timestamp or mention may come
# alive in it. Discord's parser finds a masked link by pattern before it honours backslashes, so the escaping
# also makes sure escaped text never holds the two characters ``](`` side by side.

# Bidirectional controls reorder what follows them (a right-to-left override makes "gpj.exe" of "exe.jpg");
# zero-width characters hide inside words to dodge keyword filters. Neither is ever meant to be seen.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_ZWSP = "\u200b"
_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
# Bare web addresses as Discord's client links them (discord.py's escape_markdown uses the same shape): inside
# one, markdown is not parsed, so it is made safe by percent-encoding rather than backslashes, which would end
# up in the address.
_BARE_URL = re.compile(r"(?<!\w)https?://[^\s<]+[^<.,:;\"')\]\s]")
# Anywhere in a line: emphasis, strike, code, spoilers, escapes, masked-link brackets, the "(" of "](", and
# the "<" of Discord's tags (<t:…>, </command:…>, <:emoji:…>, <@…>, <#…>).
_INLINE = re.compile(r"[\\*_~`|\[\]]|(?<=\])\(|<(?=[@#:/]|a:|t:|id:)")
# At the start of a line: headings, subtext, lists, block quotes.
_LINE_START = re.compile(r"^([ \t]*)(#{1,3}(?=[ \t])|-#(?=[ \t])|[-+](?=[ \t])|>>>|>(?=[ \t])|\d+\.(?=[ \t]))", re.M)
# How Discord's client (simple-markdown's link rule) reads the text part of "[text](": a "]" inside it only
# when another "]" follows before any "[", and bracket pairs that do not nest.
_LINK_TEXT = re.compile(r"\[((?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*)\]\(")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_ODD_TRAILING_BACKSLASHES = re.compile(r"(?<!\\)\\(?:\\\\)*$")
# Characters that end or split an address inside "[text](address)" or "<address>", or that Discord refuses
# in an embed's URL.
_URL_BREAKERS = frozenset("()[]<>\"'\\^`{|}")


def strip_invisible(text: str) -> str:
    """``text`` without bidirectional controls and zero-width characters."""
    return INVISIBLE.sub("", text)


def defuse_mentions(text: str) -> str:
    """``text`` with mass mentions and user/role/channel mentions broken by a zero-width space."""
    text = _MASS_MENTION.sub(lambda m: f"@{_ZWSP}{m.group(1)}", text)
    return _MENTION.sub(lambda m: f"<{m.group(1)}{_ZWSP}{m.group(2)}>", text)


def link_url(url: str) -> str:
    """``url`` with every character that could end or split a masked link or an ``<address>`` percent-encoded.

    Brackets, parentheses, quotes, spaces, control and invisible characters are encoded; everything else
    (``%``-escapes already there, letters of any script) is left alone, so a well-formed address is unchanged.
    """
    return "".join(
        quote(ch, safe="", errors="replace")
        if ch in _URL_BREAKERS or unicodedata.category(ch)[0] in "CZ"
        else ch
        for ch in url
    )


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{indent}{marker[:-1]}\\."
    return f"{indent}\\{marker}"


def _escape(text: str) -> str:
    pieces: list[str] = []
    start = 0
    for found in _BARE_URL.finditer(text):
        pieces.append(_INLINE.sub(lambda m: "\\" + m.group(0), text[start : found.start()]))
        pieces.append(link_url(found.group(0)))
        start = found.end()
    pieces.append(_INLINE.sub(lambda m: "\\" + m.group(0), text[start:]))
    return defuse_mentions(_LINE_START.sub(_escape_line_start, "".join(pieces)))


def plain(text: str, limit: int | None = None) -> str:
    """``text`` as Discord will show it letter for letter, for text that strangers wrote.

    Markdown is escaped, invisible controls are removed and mentions defused. With ``limit`` the text is
    shortened (at a word, with "…") until its escaped form fits, so a backslash is never cut from the
    character it escapes.
    """
    text = strip_invisible(text)
    shown = _escape(text)
    if limit is None:
        return shown
    budget = limit
    while len(shown) > limit:
        budget = max(1, budget - (len(shown) - limit))
        shown = _escape(truncate(text, budget))
    return shown


def masked_link(text: str, url: str | None, limit: int | None = None) -> str:
    """``[text](url)`` with both made safe, or the plain text when ``url`` is not a web address.

    Discord's client finds where link text ends by bracket pattern alone, backslashes or not: balanced pairs
    ("[EXCLUSIVE] Season 2") read as written, but a lone bracket would end the text early or hide the link, so
    when the text's brackets do not pair up they are shown as their full-width look-alikes instead.
    """
    shown = plain(text, limit)
    if not (url and url.startswith(("https://", "http://"))):
        return shown
    found = _LINK_TEXT.match(f"[{shown}](")
    if found is None or found.group(1) != shown:
        shown = plain(text.replace("[", "\uff3b").replace("]", "\uff3d"), limit)
    return f"[{shown}]({link_url(url)})"
