"""Every hostile feed, fetched and parsed together with a good one: each gets a clear status, none crashes,
memory stays bounded, and the good feed still comes through."""

from __future__ import annotations

import asyncio
import tracemalloc

import pytest

from bot.feeds.fetch import Fetcher, FetchError, FetchResult
from bot.feeds.normalise import normalise_feed
from bot.feeds.parse import FeedParser, NotAFeedError
from fakediscord.feeds import HOSTILE_PATHS, SAMPLE_GOOGLE_NEWS, FeedServer
from tests.helpers.feeds import FETCHED_AT

EXPECTED = {
    "/hostile/404": "HTTP 404",
    "/hostile/410": "HTTP 410",
    "/hostile/500": "HTTP 500",
    "/hostile/429": "HTTP 429",
    "/hostile/loop": "redirect loop",
    "/hostile/trickle": "no complete answer within",
    "/hostile/huge": "larger than 5,000,000 bytes",
    "/hostile/huge-declared": "announced 52,428,800 bytes",
    "/hostile/gzip-bomb": "larger than 5,000,000 bytes",
    "/hostile/malformed": "not a usable feed: the XML is malformed",
    "/hostile/html": "not a usable feed: this is a web page",
    "/hostile/wrong-charset": "not a usable feed: its text is not in the character set it declares",
    "/hostile/billion-laughs": "not a usable feed: it declares XML entities",
}


async def status_of(fetcher: Fetcher, parser: FeedParser, url: str) -> tuple[FetchResult, str]:
    """What ``/feeds status`` would show for one poll of ``url``: the fetch and its outcome in words."""
    result = await fetcher.fetch(url)
    if not result.ok or result.body is None:
        return result, result.reason
    try:
        feed = await parser.parse(result.body, content_type=result.content_type)
    except NotAFeedError as exc:
        return result, str(exc)
    return result, f"{len(normalise_feed(feed, fetched_at=FETCHED_AT).items)} items"


async def test_every_hostile_feed_gets_a_clear_status_and_the_good_feed_flows(
    fetcher: Fetcher, parser: FeedParser, feed_server: FeedServer
) -> None:
    """Thirteen misbehaving servers polled at once with a healthy one: each is explained, the good one posts."""
    assert set(EXPECTED) == set(HOSTILE_PATHS)
    feed_server.add_sample("/good", SAMPLE_GOOGLE_NEWS)
    paths = [*HOSTILE_PATHS, "/good"]
    outcomes = await asyncio.gather(*(status_of(fetcher, parser, feed_server.url(p)) for p in paths))
    statuses = dict(zip(paths, outcomes, strict=True))
    for path, fragment in EXPECTED.items():
        assert fragment in statuses[path][1], (path, statuses[path][1])
    assert statuses["/good"][1] == "4 items"
    assert statuses["/hostile/410"][0].status == 410
    assert statuses["/hostile/429"][0].retry_after is not None


@pytest.mark.parametrize("path", ["/hostile/huge", "/hostile/gzip-bomb"])
async def test_oversized_bodies_keep_memory_bounded(fetcher: Fetcher, feed_server: FeedServer, path: str) -> None:
    """Fetching a 50 MB body or a 200 MB gzip bomb never holds much more than the 5 MB limit in memory."""
    await fetcher.fetch(feed_server.url("/hostile/gzip-bomb"))  # builds the server's bomb outside the measurement
    tracemalloc.start()
    try:
        result = await fetcher.fetch(feed_server.url(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error is FetchError.TOO_LARGE
    assert peak < 25_000_000
