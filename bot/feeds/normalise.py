"""Feed items cleaned into the one shape the rest of the watcher works with.

Every source dresses its items differently: WordPress escapes quotes as entities and hides images in
``content:encoded``, Google News appends " - Outlet" to titles and points links at itself, Reddit ends every
post with "submitted by /u/… [link] [comments]", YouTube keeps the description and thumbnail in ``media:group``.
Cleaning once here means filters, de-duplication and the post card all see the same plain text.

An entry is usable when, cleaned, it still has a title, a link or a description: RSS 2.0 allows items that are only
a description, and such an item gets a headline drawn from its first sentence. The check runs on the cleaned
fields, because a title of "<br/>" or a link of "javascript:" is empty once cleaned, and a card with nothing but
its date is noise. Links are kept as the publisher wrote them (``bot.feeds.urls.posted_link``); their canonical
form is only a key (``bot.feeds.dedup``).
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin

from bot.cards import TITLE_LIMIT, strip_invisible, truncate
from bot.feeds.parse import ParsedFeed, ParsedItem
from bot.feeds.urls import host_of, is_web_link, posted_link

log = logging.getLogger(__name__)

# A publication date this far past the fetch time is a clock or typing error on the feed's side.
FUTURE_TOLERANCE = timedelta(hours=1)

_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
)
_INVISIBLE_TAGS = frozenset({"script", "style", "template", "noscript"})
_WHITESPACE = re.compile(r"\s+")
_REDDIT_BOILERPLATE = re.compile(
    r"\s*submitted\s+by\s+/?u/[\w-]+(?:\s+to\s+/?r/\w+)?\s*(?:\[link\])?\s*(?:\[comments\])?\s*$", re.IGNORECASE
)
# WordPress (and Yoast) end excerpts with "[…]" and "The post X appeared first on Y."
_WORDPRESS_TAILS = (
    re.compile(r"\s*The post .{1,400}? appeared first on .{1,120}?\.?\s*$", re.DOTALL),
    re.compile(r"\s*\[(?:…|\.\.\.)\]\s*$"),
    re.compile(r"\s*(?:Continue reading|Read more)\s*(?:→|»|\.\.\.|…)?\s*$", re.IGNORECASE),
)
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_REDDIT_LINK = re.compile(r"<a\s+href=[\"']([^\"']+)[\"']\s*>\s*\[link\]\s*</a>", re.IGNORECASE)
_REDDIT_HOSTS = ("reddit.com", "redd.it", "redditmedia.com")
_TITLE_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[-–—|]\s+(?P<outlet>[^-–—|]{2,60})$")
# The end of a description's first sentence: a full stop, question or exclamation mark (Latin or CJK) before a
# space or the end; "3.5" or "U.S.A" do not end one.
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)|[。！？]")


@dataclass(frozen=True, slots=True)
class NewsItem:
    """A cleaned feed item: plain text, the link as posted, aware UTC time, the outlet that published it.

    ``dated`` is false when the feed gave no usable time and ``published`` is only the fetch time (then it is
    no part of the item's identity). ``title`` is never empty for a usable item: it is drawn from the description
    or the link when the feed gave none.
    """

    guid: str | None
    link: str
    title: str
    summary: str
    published: datetime
    author: str | None
    image: str | None
    outlet: str | None
    outlet_url: str | None
    categories: tuple[str, ...]
    external_link: str | None = None
    dated: bool = True
    # False when several entries of the document with guids of their own share this link (a podcast linking every
    # episode to the show's page): then the link names no one article and is no key of it.
    link_names_item: bool = True


@dataclass(frozen=True, slots=True)
class NewsFeed:
    """A cleaned feed: its title, site link, image and items (newest first as the feed ordered them)."""

    title: str
    link: str | None
    image: str | None
    items: tuple[NewsItem, ...]


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def clean_text(markup: str | None) -> str:
    """Plain text from HTML or text: entities decoded, tags and comments dropped, invisible controls removed,
    whitespace collapsed."""
    if not markup:
        return ""
    text = markup
    if "<" in text or "&" in text:
        extractor = _TextExtractor()
        extractor.feed(text)
        extractor.close()
        text = "".join(extractor.parts)
        # Some feeds escape their markup twice; a second pass catches "&amp;#8220;" and "&lt;b&gt;".
        if "&" in text:
            text = html.unescape(text)
        if "<" in text and ">" in text:
            again = _TextExtractor()
            again.feed(text)
            again.close()
            text = "".join(again.parts)
    # Bidirectional overrides and zero-width characters would reach every card and filter from here.
    text = strip_invisible(text)
    return _WHITESPACE.sub(" ", text).strip()


def split_outlet(title: str, source: str | None, *, guess: bool = False) -> tuple[str, str | None]:
    """Split a Google News style "Headline - Outlet" title into the headline and the outlet.

    With ``source`` (the item's ``<source>`` text) only that exact suffix is removed, so a headline that
    itself contains " - " is left alone. ``guess`` splits on the last separator when no source is given
    (for feeds known to use the pattern).
    """
    if source:
        for separator in (" - ", " – ", " — ", " | "):
            suffix = separator + source
            if title.endswith(suffix) and len(title) > len(suffix):
                return title[: -len(suffix)].rstrip(), source
        return title, source
    if guess and (found := _TITLE_SUFFIX.match(title)):
        return found.group("title").rstrip(), found.group("outlet").strip()
    return title, None


def strip_reddit_boilerplate(text: str) -> str:
    """Remove the "submitted by /u/… [link] [comments]" tail Reddit adds to every post."""
    return _REDDIT_BOILERPLATE.sub("", text).strip()


def strip_wordpress_tails(text: str) -> str:
    """Remove "[…]", "Continue reading →" and "The post … appeared first on …" from an excerpt's end."""
    for pattern in _WORDPRESS_TAILS:
        trimmed = pattern.sub("", text)
        if trimmed != text:
            text = trimmed + ("…" if pattern is _WORDPRESS_TAILS[1] else "")
    return text.strip()


def first_image(markup: str | None) -> str | None:
    """The ``src`` of the first ``<img>`` in ``markup`` when it is an http(s) address."""
    if not markup:
        return None
    for found in _IMG_SRC.finditer(markup):
        src = html.unescape(found.group(1)).strip()
        if is_web_link(src):
            return src
    return None


def reddit_external_link(markup: str | None) -> str | None:
    """The off-site address a Reddit link post points to (its "[link]"), or ``None`` for self posts."""
    if not markup or (found := _REDDIT_LINK.search(markup)) is None:
        return None
    target = html.unescape(found.group(1)).strip()
    host = host_of(target)
    if not is_web_link(target) or any(host == h or host.endswith("." + h) for h in _REDDIT_HOSTS):
        return None
    return posted_link(target)


def _http_url(url: str | None) -> str | None:
    return url.strip() if url and is_web_link(url) else None


def headline_from(description: str) -> str:
    """A headline for an entry without a title: the description's first sentence, within Discord's 256.

    A sentence too long for a title is cut at a word boundary with an ellipsis.
    """
    found = _SENTENCE_END.search(description)
    sentence = description[: found.end()] if found else description
    return truncate(sentence.strip(), TITLE_LIMIT)


def to_utc(when: datetime | None, fetched_at: datetime) -> datetime:
    """The item's time as aware UTC; missing or implausibly future times become the fetch time."""
    if when is None:
        return fetched_at.astimezone(UTC)
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    if when > fetched_at + FUTURE_TOLERANCE:
        return fetched_at.astimezone(UTC)
    return when


def _is_google_news(feed: ParsedFeed) -> bool:
    return host_of(feed.link or "") == "news.google.com" or (feed.title or "").endswith(
        ("- Google News", "- Google 뉴스")
    )


def normalise_item(item: ParsedItem, *, feed: ParsedFeed, fetched_at: datetime) -> NewsItem:
    """Clean one parsed item; ``fetched_at`` (aware) stands in for a missing publication time."""
    if fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    title = clean_text(item.title)
    source = clean_text(item.source_title) or None
    title, outlet = split_outlet(title, source, guess=_is_google_news(feed))
    summary = clean_text(item.summary or item.content_html)
    summary = strip_wordpress_tails(strip_reddit_boilerplate(summary))
    if outlet and summary.endswith(outlet):
        bare = summary[: -len(outlet)].rstrip()
        if bare == title or not bare:
            summary = ""
    if summary == title:
        summary = ""
    image = _http_url(item.image) or first_image(item.content_html) or first_image(item.summary)
    # Relative links are resolved against the site; anything but http(s) (javascript:, mailto:) is dropped
    # because Discord refuses an embed whose URL is not a web address.
    link = _http_url(urljoin(feed.link or "", item.link.strip())) if item.link else None
    link = posted_link(link) if link else ""
    headline = title or (headline_from(summary) if summary else "") or link
    if summary == headline:
        summary = ""
    published = to_utc(item.published, fetched_at)
    return NewsItem(
        guid=(item.guid or "").strip() or None,
        link=link,
        title=headline,
        summary=summary,
        published=published,
        dated=item.published is not None and published != fetched_at.astimezone(UTC),
        author=clean_text(item.author) or None,
        image=image,
        outlet=outlet or clean_text(feed.title) or None,
        outlet_url=_http_url(item.source_url) or _http_url(feed.link),
        categories=tuple(dict.fromkeys(clean_text(c) for c in item.categories if clean_text(c))),
        external_link=reddit_external_link(item.content_html or item.summary),
    )


def is_usable(item: NewsItem) -> bool:
    """Whether the cleaned item has a title, a link or a description: a card with anything but its date."""
    return bool(item.title or item.link or item.summary)


def _without_shared_guids(items: list[NewsItem]) -> list[NewsItem]:
    """The items with any guid that several entries of the document share dropped: such a guid (some generators
    give every entry the feed's address) names no one item, so the link or the title identifies them instead.
    Likewise a link that entries with different guids share is marked as naming none of them."""
    guids = Counter(item.guid for item in items if item.guid)
    if any(n > 1 for n in guids.values()):
        items = [replace(item, guid=None) if item.guid and guids[item.guid] > 1 else item for item in items]
    guids_of: dict[str, set[str]] = {}
    for item in items:
        if item.guid and item.link:
            guids_of.setdefault(item.link, set()).add(item.guid)
    shared = {link for link, owners in guids_of.items() if len(owners) > 1}
    if not shared:
        return items
    return [replace(item, link_names_item=False) if item.guid and item.link in shared else item for item in items]


def normalise_feed(feed: ParsedFeed, *, fetched_at: datetime) -> NewsFeed:
    """Clean a whole parsed feed, keeping the items that are usable once cleaned."""
    cleaned = [normalise_item(item, feed=feed, fetched_at=fetched_at) for item in feed.items]
    usable = [item for item in cleaned if is_usable(item)]
    if len(usable) < len(cleaned):
        log.debug("feed %s: %d entries empty once cleaned", feed.link, len(cleaned) - len(usable))
    return NewsFeed(
        title=clean_text(feed.title) or host_of(feed.link or "") or "Untitled feed",
        link=_http_url(feed.link),
        image=_http_url(feed.image),
        items=tuple(_without_shared_guids(usable)),
    )
