"""Builders for feed items in tests, with plausible defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.feeds.normalise import NewsFeed, NewsItem, normalise_feed
from bot.feeds.parse import ParsedFeed, parse_document
from tests.bot.feeds.conftest import FETCHED_AT

SAMPLES = Path(__file__).resolve().parents[3] / "fakediscord" / "sample_feeds"


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
    result = parse_document((SAMPLES / name).read_bytes())
    assert isinstance(result, ParsedFeed), result
    return result


def sample_feed(name: str) -> NewsFeed:
    return normalise_feed(parsed_sample(name), fetched_at=FETCHED_AT)
