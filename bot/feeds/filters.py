"""Which items a subscription posts: keywords, blocked domains and the default pirate-page blocklist.

Every check returns the reason an item was dropped (or ``None`` to post it), so ``/feeds status`` and the
logs can say why an article never appeared instead of leaving moderators guessing.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bot.feeds.normalise import NewsItem
from bot.feeds.urls import host_of
from bot.i18n import TranslatableError

log = logging.getLogger(__name__)

MAX_KEYWORDS = 25
MAX_KEYWORD_LENGTH = 60

# Pages passing off fabricated "season 2 is out, watch here" content (show-facts §3.5).
DEFAULT_BLOCKED_DOMAINS = frozenset(
    {
        "moviehot25.com",
        "movie.niwszone.com",
        "news.gymroomathome.com",
        "closeness0927.tistory.com",
        "2plusq.com",
    }
)

# Title shapes of pirate streaming, fake-download and account-giveaway spam pages.
DEFAULT_TITLE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bwatch\b.{0,60}\b(?:online|free|full episodes?)\b", "a 'watch online' page"),
    (r"\bfull\s+episodes?\b.{0,40}\bfree\b|\bfree\b.{0,40}\bfull\s+episodes?\b", "a 'full episodes free' page"),
    (r"\beng(?:lish)?\.?\s*sub(?:bed|s|title[sd]?)?\b.{0,40}\bdownload\b", "an 'eng sub download' page"),
    (r"\bdownload\b.{0,40}\beng(?:lish)?\.?\s*sub(?:bed|s|title[sd]?)?\b", "an 'eng sub download' page"),
    (r"\b(?:480|720|1080)p\b.{0,40}\b(?:download|free)\b", "a download page"),
    (r"\bfree\b.{0,20}\bnetflix\b.{0,20}\b(?:premium|accounts?)\b", "an account-giveaway spam post"),
    (r"다시\s*보기|무료\s*보기|무료\s*다운", "a Korean 'free replay/download' page"),
)


_WORD_START = r"(?<!\w)"


class FilterError(TranslatableError, ValueError):
    """A keyword or domain a moderator typed cannot be used; ``text`` says why, in any language."""


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f" for ch in text)


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword or phrase matched case-insensitively on word boundaries.

    A trailing ``*`` matches any ending (``zombie*`` finds "zombies"). Words in Hangul only need a boundary
    before them, because Korean attaches particles to the end of a word (``학교`` finds ``학교는``).
    """

    text: str
    pattern: re.Pattern[str] = field(compare=False, repr=False)

    @classmethod
    def compile(cls, text: str) -> Keyword:
        text = " ".join(text.split())
        if not text.strip("*"):
            raise FilterError("A keyword cannot be empty.")
        if len(text) > MAX_KEYWORD_LENGTH:
            raise FilterError("Keywords are limited to {limit} characters.", limit=MAX_KEYWORD_LENGTH)
        wildcard = text.endswith("*")
        core = text.rstrip("*")
        body = r"\s+".join(re.escape(word) for word in core.split(" "))
        start = _WORD_START if core[0].isalnum() or core[0] == "_" else ""
        end = "" if wildcard or _has_hangul(core[-1]) or not (core[-1].isalnum() or core[-1] == "_") else r"(?!\w)"
        return cls(text, re.compile(start + body + end, re.IGNORECASE))

    def found_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None


def parse_keywords(text: str | None) -> tuple[Keyword, ...]:
    """Keywords from a comma-separated list as typed in ``/feeds add include:… exclude:…``."""
    if not text:
        return ()
    words = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if len(words) > MAX_KEYWORDS:
        raise FilterError("At most {limit} keywords per list.", limit=MAX_KEYWORDS)
    return tuple(Keyword.compile(word) for word in dict.fromkeys(words))


def normalise_domain(domain: str) -> str:
    """A domain as typed by a moderator (maybe a whole URL) reduced to a lower-case host name."""
    raw = domain.strip().lower()
    host = host_of(raw if "://" in raw else f"http://{raw}")
    if not host or "." not in host or any(ch.isspace() for ch in host):
        raise FilterError("{domain!r} is not a domain name.", domain=domain)
    return host


def _suffixes(host: str) -> Iterator[str]:
    """``a.b.example.com`` → ``a.b.example.com``, ``b.example.com``, ``example.com``, ``com``."""
    labels = host.split(".")
    for start in range(len(labels)):
        yield ".".join(labels[start:])


def _alternatives(bodies: list[str]) -> str:
    """One alternation of regex ``bodies``, their common leading letters factored out (a trie).

    Python's ``re`` tries every alternative at every position of the text; with 200 phrases that costs about
    200 µs per headline. Factoring the leading letters lets it skip positions no phrase can start at (about
    10 µs). Only literal letters and digits are factored (what ``re.escape`` leaves alone), grouped by their
    lower case, which is how ``re.IGNORECASE`` compares them.
    """
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for body in bodies:
        first = body[:1]
        if first.isalnum() and len(first.lower()) == 1:
            groups.setdefault(first.lower(), []).append(body)
        else:
            rest.append(body)
    parts = [
        members[0] if len(members) == 1 else members[0][0] + "(?:" + _alternatives([m[1:] for m in members]) + ")"
        for members in groups.values()
    ]
    parts += [f"(?:{body})" if body else "" for body in rest]
    return "|".join(parts)


def _prefilter(patterns: Iterable[re.Pattern[str]]) -> tuple[re.Pattern[str], ...]:
    """Regexes of which one matches a headline exactly when one of ``patterns`` does.

    Keywords that start on a word boundary share one lookbehind and one trie of alternatives; the rest (the
    built-in patterns, phrases starting with punctuation) are one plain alternation.
    """
    bounded: list[str] = []
    other: list[str] = []
    for pattern in patterns:
        if not pattern.flags & re.IGNORECASE:
            other.append(f"(?-i:{pattern.pattern})")
        elif pattern.pattern.startswith(_WORD_START):
            bounded.append(pattern.pattern.removeprefix(_WORD_START))
        else:
            other.append(pattern.pattern)
    found = []
    if bounded:
        found.append(re.compile(_WORD_START + "(?:" + _alternatives(bounded) + ")", re.IGNORECASE))
    if other:
        found.append(re.compile("|".join(f"(?:{p})" for p in other), re.IGNORECASE))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Blocklist:
    """Blocked domains and title patterns; ``DEFAULT_BLOCKLIST`` extended by a server's own entries.

    Checking an item costs the same whatever the list's size: its hosts are looked up label by label in the
    domain set, and its title is searched once by the compiled prefilter; only a title that matches is searched
    pattern by pattern, to name the first that matched, as before.
    """

    domains: frozenset[str] = frozenset()
    patterns: tuple[tuple[re.Pattern[str], str], ...] = ()  # (pattern, the reason shown when it matches)
    _prefilter: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_prefilter", _prefilter(p for p, _ in self.patterns))

    def extended(self, *, domains: Iterable[str] = (), phrases: Iterable[str] = ()) -> Blocklist:
        """This list plus a server's domains and title phrases (phrases are keywords, not regexes)."""
        extra = tuple((Keyword.compile(p).pattern, f"blocked phrase '{p}'") for p in phrases if p.strip())
        return Blocklist(self.domains | {normalise_domain(d) for d in domains}, self.patterns + extra)

    def reason(self, item: NewsItem) -> str | None:
        """Why ``item`` is blocked, or ``None``."""
        for url in (item.link, item.outlet_url or "", item.external_link or ""):
            host = host_of(url)
            if host:
                blocked = [suffix for suffix in _suffixes(host) if suffix in self.domains]
                if blocked:
                    return f"blocked domain {min(blocked)}"
        if any(prefilter.search(item.title) for prefilter in self._prefilter):
            for pattern, what in self.patterns:
                if pattern.search(item.title):
                    return what
        return None


DEFAULT_BLOCKLIST = Blocklist(
    domains=DEFAULT_BLOCKED_DOMAINS,
    patterns=tuple((re.compile(p, re.IGNORECASE), f"looks like {what}") for p, what in DEFAULT_TITLE_PATTERNS),
)


@functools.lru_cache(maxsize=128)
def server_blocklist(domains: tuple[str, ...], phrases: tuple[str, ...]) -> Blocklist:
    """``DEFAULT_BLOCKLIST`` extended by a server's stored entries, compiled once and kept for the next poll.

    ``FilterError`` when a stored entry no longer validates. A parser worker keeps its own copies, so a poll
    compiles a server's list only when it changed or fell out of the cache.
    """
    return DEFAULT_BLOCKLIST.extended(domains=domains, phrases=phrases)


def _searchable(item: NewsItem) -> str:
    return "\n".join((item.title, item.summary, *item.categories))


def keyword_reason(item: NewsItem, include: tuple[Keyword, ...], exclude: tuple[Keyword, ...]) -> str | None:
    """Why a subscription's keywords keep ``item`` out of its channel, or ``None`` (blocklists aside)."""
    if not include and not exclude:
        return None
    text = _searchable(item)
    for keyword in exclude:
        if keyword.found_in(text):
            return f"excluded keyword '{keyword.text}'"
    if include and not any(keyword.found_in(text) for keyword in include):
        return "none of the include keywords (" + ", ".join(k.text for k in include) + ")"
    return None


def drop_reason(
    item: NewsItem,
    *,
    include: tuple[Keyword, ...] = (),
    exclude: tuple[Keyword, ...] = (),
    blocklist: Blocklist = DEFAULT_BLOCKLIST,
) -> str | None:
    """Why ``item`` must not be posted for this subscription, or ``None`` to post it.

    The blocklist is checked first (a pirate page is dropped whatever the keywords), then exclusions,
    then inclusions (when there are any, at least one must appear in the title, summary or categories).
    """
    return blocklist.reason(item) or keyword_reason(item, include, exclude)
