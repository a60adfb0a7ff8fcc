"""The feed corpus test's machinery: feedparser's own test documents, fetched from PyPI, run through Marquee's
whole feed pipeline, and checked against the rules of issue #13.

The documents are the ``tests/`` folder of feedparser 6.0.11's source distribution: 2,242 feeds nobody here
wrote (RSS 0.9x to 2.0, RDF, Atom 0.3 and 1.0, CDF, broken XML, every character set feedparser knows, hostile
markup for its sanitiser). Each is handed to the pipeline as a server would send it: the bytes, and the
``Content-Type`` and ``Content-Location`` its ``Header:`` comment lines declare (feedparser's own test server
sends those headers; a document without them is read with none, as feedparser's own harness reads it).

For every document two things run in the parser workers: ``bot.feeds.watcher.read_feed``, exactly as the bot
calls it, and a plain ``feedparser.parse`` that says which entries carry a title, a link or a description (the
oracle, written here without Marquee's cleaning so the two cannot share a mistake). The cards are then drawn as
the sender draws them (``news_card`` of the stored item) and turned into the payload discord.py would send.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tarfile
import time
import unicodedata
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from bot.feeds.parse import FeedParser, NotAFeedError, Refusal
from bot.feeds.post import news_card
from bot.feeds.routing import Rules
from bot.feeds.sender import as_news_item
from bot.feeds.watcher import UNTITLED, CleanFeed, read_feed
from bot.settings import Limits
from cogs._embeds import to_embed
from db.feeds.records import Delivery, NewItem


@dataclass(frozen=True, slots=True)
class Sdist:
    """A source distribution pinned by version, address and digest."""

    name: str
    version: str
    url: str
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}.tar.gz"


FEEDPARSER = Sdist(
    name="feedparser",
    version="6.0.11",
    url=(
        "https://files.pythonhosted.org/packages/ff/aa/7af346ebeb42a76bf108027fe7f3328bb4e57a3a96e53e21fd9ef9dd6dd0/"
        "feedparser-6.0.11.tar.gz"
    ),
    sha256="c9d0407b64c6f2a065d0ebb292c2b35c01050cc0dc33757461aaabdc4c4184d5",
)
# Where a document is said to live when it names no Content-Location: the address feedparser's own test server
# gives it, on a public-looking host, so relative links have the final URL after redirects to resolve against.
DOCUMENT_BASE = "https://feeds.example.org/"
FETCHED_AT = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
# The bot's own parser pool (bot.feeds.service): two workers, ten seconds a document.
WORKERS = 2
TIME_BUDGET = 10.0
DOWNLOAD_TIMEOUT = 60.0

_HEADER = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)


# Where the corpus fixture leaves its report for the terminal summary (tests/cogs/conftest.py).
REPORT = pytest.StashKey[str]()


class CorpusUnavailableError(RuntimeError):
    """The pinned corpus could not be downloaded or did not match its digest."""


def cache_dir() -> Path:
    """``~/.cache/marquee-tests`` (or under ``XDG_CACHE_HOME``): kept between runs, outside the checkout."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marquee-tests"


def in_ci() -> bool:
    """Whether this run is CI's (``CI`` set, as GitHub Actions, GitLab and most runners set it)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_sdist(sdist: Sdist, cache: Path) -> Path:
    """The pinned tarball from the cache, downloaded first if missing or altered; ``CorpusUnavailableError``
    saying what went wrong otherwise."""
    target = cache / sdist.filename
    if target.is_file() and _sha256(target) == sdist.sha256:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    try:
        with urllib.request.urlopen(sdist.url, timeout=DOWNLOAD_TIMEOUT) as answer:  # noqa: S310 - pinned https
            partial.write_bytes(answer.read())
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise CorpusUnavailableError(f"could not download {sdist.url} ({exc})") from exc
    digest = _sha256(partial)
    if digest != sdist.sha256:
        partial.unlink(missing_ok=True)
        raise CorpusUnavailableError(f"{sdist.url} has sha256 {digest}, expected {sdist.sha256}")
    partial.replace(target)
    return target


@dataclass(frozen=True, slots=True)
class Document:
    """One test document as a server would hand it over."""

    name: str  # the path under tests/, e.g. "wellformed/rss/item_title.xml"
    body: bytes
    content_type: str | None
    content_location: str | None

    @property
    def url(self) -> str:
        """The address the document was fetched from (the final URL after redirects)."""
        return DOCUMENT_BASE + self.name


def read_documents(tarball: Path) -> list[Document]:
    """Every ``.xml`` document of the sdist's ``tests/`` folder, with the headers its comments declare."""
    documents = []
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            parts = member.name.split("/", 2)
            if not member.isfile() or len(parts) < 3 or parts[1] != "tests" or not member.name.endswith(".xml"):
                continue
            extracted = archive.extractfile(member)
            assert extracted is not None
            body = extracted.read()
            headers = {k.decode().strip().lower(): v.decode().strip() for k, v in _HEADER.findall(body)}
            documents.append(
                Document(
                    name=parts[2],
                    body=body,
                    content_type=headers.get("content-type"),
                    content_location=headers.get("content-location"),
                )
            )
    return sorted(documents, key=lambda d: d.name)


# -- the oracle: feedparser's own view of each entry, without Marquee's cleaning ---------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(markup: Any) -> str:
    """What a reader would see of feedparser's (sanitised HTML) ``markup``: tags dropped, entities read, invisible
    characters gone."""
    if not markup:
        return ""
    extractor = _Text()
    extractor.feed(str(markup))
    extractor.close()
    text = "".join(ch for ch in "".join(extractor.parts) if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return " ".join(text.split())


def web_link(link: Any, base: str) -> str | None:
    """``link`` resolved against ``base`` when it is a web address (any scheme case), else ``None``."""
    if not link:
        return None
    resolved = urljoin(base, str(link).strip())
    parts = urlsplit(resolved)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return resolved


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry as feedparser found it: what a reader could be shown of it."""

    guid: str | None
    title: str
    link: str | None
    description: str
    published: tuple[int, ...] | None

    @property
    def usable(self) -> bool:
        """Issue #13, item 3: an entry with a title, a link or a description is worth a post."""
        return bool(self.title or self.link or self.description)

    def identity(self) -> tuple[str, ...]:
        """Issue #13, item 4: the guid, else the link, else the title plus the date."""
        if self.guid:
            return ("guid", self.guid)
        if self.link:
            return ("link", self.link)
        return ("title", self.title, repr(self.published))

    def shown(self) -> str:
        text = self.title or self.description or self.link or ""
        return text[:60]


@dataclass(frozen=True, slots=True)
class Oracle:
    version: str
    bozo: str | None
    entries: tuple[Entry, ...]


def _is_text(mime: str) -> bool:
    return mime.startswith("text/") or "html" in mime or mime.endswith("xml") or mime in ("text", "html", "xhtml")


def _entry_link(entry: Any, base: str, written: Any) -> str | None:
    """The entry's link: a ``<link>`` element's, resolved against the document's base; a guid only when the
    feed wrote it as a full web address.

    feedparser also hands a guid or an Atom ``<id>`` back as the link (``guidislink``), resolved like a link, but
    an id is a name (RFC 4287 §4.2.6): "Correct Value" or "/relative/link" resolved against the document is the
    address of no article. ``written`` is the same entry read with no base, to see the id as written.
    """
    if not entry.get("guidislink"):
        return web_link(entry.get("link"), base)
    return web_link(written.get("link") if written is not None else None, "")


def feedparser_view(body: bytes, content_type: str | None, base: str) -> Oracle:
    """feedparser's reading of the document with the headers it was served with; run in a parser worker."""
    headers = {"content-location": base}
    if content_type:
        headers["content-type"] = content_type
    result = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    version = str(result.get("version") or "")
    entries = []
    found = result.get("entries") or ()
    as_written: Sequence[Any] = ()
    if any(entry.get("guidislink") for entry in found):
        bare = {"content-type": content_type} if content_type else {}
        as_written = feedparser.parse(body, response_headers=bare, sanitize_html=True).get("entries") or ()
    for n, entry in enumerate(found):
        # Content declared binary (application/octet-stream, base64) is not text a reader could be shown.
        content = " ".join(
            str(part.get("value") or "")
            for part in entry.get("content") or ()
            if _is_text(str(part.get("type") or "text/html"))
        )
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            Entry(
                guid=(str(entry.get("id") or "").strip() or None),
                title=visible_text(entry.get("title")),
                link=_entry_link(entry, base, as_written[n] if n < len(as_written) else None),
                description=visible_text(entry.get("summary")) or visible_text(content),
                published=tuple(published) if published else None,
            )
        )
    bozo = result.get("bozo_exception") if result.get("bozo") else None
    return Oracle(version, f"{type(bozo).__name__}: {bozo}" if bozo else None, tuple(entries))


# -- the pipeline, as the bot runs it ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Post:
    """One post the document would make: the stored item and the payload discord.py would send."""

    item: NewItem
    payload: dict[str, Any]


@dataclass(slots=True)
class Outcome:
    """What became of one document."""

    document: Document
    oracle: Oracle | None = None
    refusal: str | None = None  # the moderator-facing reason a document was not read
    crash: str | None = None  # an exception the pipeline raised, or a card it could not draw
    hang: str | None = None  # the parse overran its budget
    items: int = 0  # items the pipeline read out of the document
    blocked: int = 0  # items the built-in blocklist stops
    duplicates: int = 0  # items that are an earlier item of the document again
    posts: list[Post] = field(default_factory=list)
    nothing_to_follow: bool = False  # read, but /feeds add refuses it: no items, no title, no site link

    @property
    def name(self) -> str:
        return self.document.name

    @property
    def usable_entries(self) -> list[Entry]:
        return [e for e in self.oracle.entries if e.usable] if self.oracle else []

    def expected_posts(self) -> int:
        """Usable entries that are not an earlier entry again (issue's identity), less what the blocklist stops."""
        distinct = {entry.identity() for entry in self.usable_entries}
        return len(distinct) - self.blocked


def stored_posts(clean: CleanFeed) -> tuple[list[NewItem], int, int]:
    """The items the store would queue from this document, the number the built-in blocklist stops, and the
    number that are an earlier item again.

    The store's rules (``db.feeds.items.store_batch``, ``db.feeds.outbox.queue_all``): in order of publication,
    an item sharing any identity key with an earlier one is that article again, and one sharing a story key other
    than its headline (within one feed a headline is not identity) with an item already queued is that story again.
    """
    blocked = clean.decisions.blocked if clean.decisions else {}
    claimed: set[str] = set()
    stories: set[str] = set()
    posts: list[NewItem] = []
    stopped = duplicates = 0
    for new in sorted(clean.new_items, key=lambda n: n.published_at):
        keys = {new.item_key, *new.aliases}
        story = {key for key in new.story_keys if not key.startswith("T:")}
        if keys & claimed:
            duplicates += 1
            continue
        claimed |= keys
        if any(blocked.get(new.item_key, ())):
            stopped += 1
            continue
        if story & stories:
            duplicates += 1
            continue
        stories |= story
        posts.append(new)
    return posts, stopped, duplicates


def payload_of(new: NewItem, feed_title: str) -> dict[str, Any]:
    """The embed the sender would post for a stored item, as the JSON discord.py sends."""
    delivery = Delivery(
        title=new.title,
        link=new.link,
        outlet=new.outlet,
        summary=new.summary,
        image_url=new.image_url,
        published_at=new.published_at,
        id=1,
        item_id=1,
        guild_id=1,
        channel_id=1,
        nonce="corpus",
        attempts=0,
        feed_title=feed_title,
    )
    return dict(to_embed(news_card(as_news_item(delivery), feed_title=feed_title)).to_dict())


async def run_document(parser: FeedParser, document: Document, keep: int) -> Outcome:
    """One document through the pipeline within the bot's time budget, and through the oracle."""
    outcome = Outcome(document)
    base = document.content_location or document.url  # as FetchResult.base_url: Content-Location, else the URL
    content_type = document.content_type
    try:
        read = await parser.run(read_feed, document.body, content_type, FETCHED_AT, Rules(), keep, base)
    except NotAFeedError as exc:  # the parser pool's own refusals: overran the budget, or crashed
        if "longer than" in str(exc.why):
            outcome.hang = str(exc.why)
        else:
            outcome.crash = str(exc.why)
        read = None
    except Exception as exc:  # the rule under test: no document crashes the pipeline
        outcome.crash = f"{type(exc).__name__}: {exc}"
        read = None
    if isinstance(read, Refusal):
        outcome.refusal = read.why
    elif read is not None:
        outcome.items = len(read.new_items)
        feed = read.feed  # FeedWatcher.preview's test for an empty "Untitled feed"
        outcome.nothing_to_follow = not feed.items and feed.link is None and feed.title == UNTITLED
        posts, outcome.blocked, outcome.duplicates = stored_posts(read)
        try:
            outcome.posts = [Post(new, payload_of(new, read.feed.title)) for new in posts]
        except Exception as exc:  # a card Discord would refuse raises CardLimitError
            outcome.crash = f"drawing a card: {type(exc).__name__}: {exc}"
    try:
        outcome.oracle = await parser.run(feedparser_view, document.body, content_type, base)
    except Exception as exc:  # feedparser failing is reported, not fatal
        outcome.oracle = Oracle("", f"feedparser failed: {type(exc).__name__}: {exc}", ())
    return outcome


@dataclass(frozen=True, slots=True)
class CorpusRun:
    outcomes: tuple[Outcome, ...]
    seconds: float

    @property
    def read(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.refusal is None and o.crash is None and o.hang is None]

    def counts(self) -> dict[str, int]:
        return {
            "documents": len(self.outcomes),
            "documents read": len(self.read),
            "documents refused": sum(o.refusal is not None for o in self.outcomes),
            "crashes": sum(o.crash is not None for o in self.outcomes),
            "hangs": sum(o.hang is not None for o in self.outcomes),
            "entries (feedparser)": sum(len(o.oracle.entries) for o in self.outcomes if o.oracle),
            "entries with a title, link or description": sum(len(o.usable_entries) for o in self.outcomes),
            "entries expected to post": sum(max(0, o.expected_posts()) for o in self.outcomes),
            "items read by the pipeline": sum(o.items for o in self.outcomes),
            "duplicates within a document": sum(o.duplicates for o in self.outcomes),
            "blocklisted": sum(o.blocked for o in self.outcomes),
            "posts": sum(len(o.posts) for o in self.outcomes),
            "read, but /feeds add refuses (no items, title or site link)": sum(
                o.nothing_to_follow for o in self.outcomes
            ),
        }

    def refusals(self) -> Counter[str]:
        """Refusals by reason, with the variable part (the parser's own message) cut off."""
        return Counter(refusal_kind(o.refusal) for o in self.outcomes if o.refusal)

    def report(self) -> str:
        lines = [f"feed corpus (feedparser {FEEDPARSER.version} tests/): {self.seconds:.1f} s"]
        lines += [f"  {name}: {count:,}" for name, count in self.counts().items()]
        for reason, count in self.refusals().most_common():
            lines.append(f"  refused, {reason}: {count:,}")
        return "\n".join(lines)


def refusal_kind(why: str) -> str:
    return why.split(" (", 1)[0]


async def run_corpus(documents: Sequence[Document], *, keep: int | None = None) -> CorpusRun:
    """Every document through the bot's parser pool (its worker count and time budget)."""
    started = time.perf_counter()
    keep = Limits().items_per_document if keep is None else keep
    async with FeedParser(workers=WORKERS, timeout=TIME_BUDGET) as parser:
        outcomes = await asyncio.gather(*(run_document(parser, d, keep) for d in documents))
    return CorpusRun(tuple(outcomes), time.perf_counter() - started)


def _main() -> None:  # pragma: no cover - for docs/feeds.md: python -m tests.helpers.corpus
    documents = read_documents(fetch_sdist(FEEDPARSER, cache_dir()))
    print(asyncio.run(run_corpus(documents)).report())


if __name__ == "__main__":  # pragma: no cover
    _main()
