"""Discord-free description of a rich message, checked against Discord's limits.

Domain code in ``bot/`` renders cast entries, recaps, news posts and the countdown as ``Card`` objects;
a cog turns a card into a ``discord.Embed``. Keeping the limits here means every renderer fails the same
way, in a unit test, instead of as a 400 from Discord in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
    """Wrap ``text`` in Discord spoiler tags (escaping any it already holds)."""
    return "||" + text.replace("||", "| |") + "||"
