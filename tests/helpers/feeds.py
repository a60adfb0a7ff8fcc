"""For the feed tests: the fetch time and User-Agent they use, item builders with plausible defaults, and the
bundled sample feeds as parsed items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from bot.feeds.normalise import NewsFeed, NewsItem, normalise_feed
from bot.feeds.parse import ParsedFeed, parse_document
from fakediscord.feeds import sample_bytes

USER_AGENT = "MarqueeTest/1.0 (+https://example.org/marquee; feed watcher tests)"
FETCHED_AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def news_item(**changes: Any) -> NewsItem:
    values: dict[str, Any] = {
        "guid": "https://kdramadispatch.example/?p=1041",
        "link": "https://kdramadispatch.example/2026/11/aouad-season-2-wraps/",
        "title": "Production wraps on All of Us Are Dead season 2",
        "summary": "Filming has finished and visual effects work begins.",
        "published": FETCHED_AT,
        "author": "Min-seo Park",
        "image": None,
        "outlet": "K-Drama Dispatch",
        "outlet_url": "https://kdramadispatch.example",
        "categories": ("All of Us Are Dead",),
    }
    values.update(changes)
    return NewsItem(**values)


def parsed_sample(name: str) -> ParsedFeed:
    result = parse_document(sample_bytes(name))
    assert isinstance(result, ParsedFeed), result
    return result


def sample_feed(name: str) -> NewsFeed:
    return normalise_feed(parsed_sample(name), fetched_at=FETCHED_AT)


def rss(title: str, items: list[tuple[str, str]], *, hours_ago: int = 1) -> str:
    """A small RSS 2.0 feed: (title, link) items, newest first, an hour apart."""
    now = datetime.now(UTC)
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(hours=hours_ago + n), usegmt=True)}</pubDate>"
        f"<description>About {t}.</description></item>"
        for n, (t, link) in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://{title.lower().replace(' ', '')}.example/</link>{entries}</channel></rss>"
    )
