"""Parsing in worker processes: every real format is read, every bad document refused with a reason."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.errors import UserFacingError
from bot.feeds.parse import FeedParser, NotAFeedError, ParsedFeed, Refusal, parse_document
from fakediscord.feeds import sample_bytes


def big_feed(target_bytes: int) -> bytes:
    """An RSS document of about ``target_bytes`` with many ordinary items."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title>'
    filler = "Filming notes and cast interviews from the set, written at length. " * 12
    items = []
    size = len(head)
    i = 0
    while size < target_bytes:
        item = (
            f"<item><title>Item {i}</title><link>https://big.example/{i}</link><guid>big-{i}</guid>"
            f"<pubDate>Tue, 17 Nov 2026 09:00:00 +0000</pubDate><description>{filler}</description></item>"
        ).encode()
        items.append(item)
        size += len(item)
        i += 1
    return head + b"".join(items) + b"</channel></rss>"


async def test_wordpress_rss_is_read(parser: FeedParser) -> None:
    """A WordPress feed gives its title, site, image and items with guid, author, categories and time."""
    feed = await parser.parse(sample_bytes("kdrama-dispatch-wordpress.xml"), content_type="application/rss+xml")
    assert feed.format == "rss20"
    assert feed.title == "K-Drama Dispatch"
    assert feed.link == "https://kdramadispatch.example"
    assert feed.image is not None
    assert len(feed.items) == 3
    first = feed.items[0]
    assert first.guid == "https://kdramadispatch.example/?p=1041"
    assert first.author == "Min-seo Park"
    assert first.categories == ("All of Us Are Dead", "Netflix")
    assert first.published == datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    assert first.content_html is not None
    assert "<img" in first.content_html


async def test_google_news_rss_keeps_the_source_outlet(parser: FeedParser) -> None:
    """Each Google News item carries its <source> outlet name and address."""
    feed = await parser.parse(sample_bytes("google-news-search.xml"))
    assert [item.source_title for item in feed.items] == [
        "K-Drama Dispatch",
        "Seoul Screen Report",
        "MovieHot25",
        "한류데일리",
    ]
    assert feed.items[2].source_url == "https://moviehot25.com"


async def test_reddit_atom_is_read(parser: FeedParser) -> None:
    """A subreddit's Atom feed gives post ids, authors and thumbnails."""
    feed = await parser.parse(sample_bytes("reddit-allofusaredead.xml"))
    assert feed.format == "atom10"
    assert [item.guid for item in feed.items] == ["t3_1fx0a01", "t3_1fx0b02", "t3_1fx0c03"]
    assert feed.items[0].author == "/u/hyosan_survivor"
    assert feed.items[2].image == "https://b.thumbs.redditmedia.com/fixture-rooftop.jpg"


async def test_youtube_atom_is_read(parser: FeedParser) -> None:
    """A channel's video feed gives the video link, thumbnail and description."""
    feed = await parser.parse(sample_bytes("youtube-channel.xml"))
    video = feed.items[0]
    assert video.link == "https://www.youtube.com/watch?v=fxtrAOUAD01"
    assert video.image == "https://i2.ytimg.com/vi/fxtrAOUAD01/hqdefault.jpg"
    assert video.summary is not None
    assert "returning four" in video.summary


@pytest.mark.parametrize(
    ("name", "content_type", "why"),
    [
        ("bad-malformed.xml", "application/rss+xml", "the XML is malformed"),
        ("bad-html-page.html", "text/html", "this is a web page, not an RSS or Atom feed"),
        ("bad-wrong-charset.xml", "application/rss+xml", "not in the character set it declares"),
        ("bad-billion-laughs.xml", "application/rss+xml", "declares XML entities"),
    ],
)
async def test_bad_documents_are_refused_with_a_clear_reason(
    parser: FeedParser, name: str, content_type: str, why: str
) -> None:
    """Malformed XML, an HTML page, a lying charset and entity bombs each say why they are unusable."""
    with pytest.raises(NotAFeedError) as caught:
        await parser.parse(sample_bytes(name), content_type=content_type)
    assert isinstance(caught.value, UserFacingError)
    assert str(caught.value).startswith("not a usable feed: ")
    assert why in str(caught.value)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"", "empty document"),
        (b"   \n  ", "empty document"),
        (b'{"items": []}', "not an RSS or Atom document (it starts with '{\"items\": []}')"),
        (b"<?xml version='1.0'?><catalog><book>x</book></catalog>", "no RSS or Atom content"),
        (b"<html><body>Just a page</body></html>", "web page"),
        ('<!ENTITY x "y">'.encode("utf-16-le"), "declares XML entities"),
    ],
)
def test_other_non_feeds_are_refused(body: bytes, why: str) -> None:
    """Empty bodies, JSON, bare HTML and UTF-16 entity declarations are all refused."""
    outcome = parse_document(body)
    assert isinstance(outcome, Refusal)
    assert why in outcome.why


def test_an_empty_but_valid_feed_is_usable() -> None:
    """A new feed with no items yet is accepted (its first items will be posted when they appear)."""
    outcome = parse_document(b'<rss version="2.0"><channel><title>New site</title></channel></rss>')
    assert isinstance(outcome, ParsedFeed)
    assert outcome.items == ()


def test_a_feed_with_a_stray_html_entity_is_still_read() -> None:
    """A feed using &nbsp; without declaring it is recovered rather than dropped (a common real quirk)."""
    outcome = parse_document(
        b'<rss version="2.0"><channel><title>T</title><item><title>A&nbsp;B</title>'
        b"<link>https://a.example/1</link></item></channel></rss>"
    )
    assert isinstance(outcome, ParsedFeed)
    assert [item.title for item in outcome.items] == ["A\xa0B"]
    assert outcome.warning is not None


async def test_a_parse_over_budget_is_abandoned_and_the_pool_recovers(parser: FeedParser) -> None:
    """A document that overruns its time budget is refused, and the next feed still parses."""
    with pytest.raises(NotAFeedError, match="parsing took longer than"):
        await parser.parse(big_feed(4_000_000), time_budget=0.01)
    feed = await parser.parse(sample_bytes("youtube-channel.xml"))
    assert feed.title == "K-Zombie Talk"


async def test_parsing_a_4_mb_feed_does_not_stall_the_event_loop(parser: FeedParser) -> None:
    """While a big feed is parsed, the event loop keeps running other work (the probe keeps ticking)."""
    body = big_feed(4_000_000)
    await parser.parse(sample_bytes("youtube-channel.xml"))  # the worker is up before measuring
    ticks = 0
    ticking = asyncio.Event()
    done = asyncio.Event()

    async def probe() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            ticking.set()
            await asyncio.sleep(0.005)  # the probe's tick is what is measured, not a wait for something

    ticker = asyncio.create_task(probe())
    await ticking.wait()
    start_ticks = ticks
    feed = await parser.parse(body)
    during = ticks - start_ticks
    done.set()
    await ticker
    assert len(feed.items) > 500
    assert during >= 3


async def test_close_stops_the_workers_and_parse_then_refuses() -> None:
    """After shutdown, parsing reports a programming error instead of hanging."""
    pool = FeedParser(workers=1)
    await pool.start()
    await pool.parse(sample_bytes("youtube-channel.xml"))
    await pool.close()
    with pytest.raises(RuntimeError, match="start"):
        await pool.parse(sample_bytes("youtube-channel.xml"))


async def test_feeds_waiting_for_a_worker_survive_another_feeds_abandoned_parse(parser: FeedParser) -> None:
    """When a parse overruns and the workers are replaced, the feeds queued behind it are still parsed."""
    handed_over = asyncio.Event()

    async def parse_big() -> ParsedFeed:
        handed_over.set()  # the test resumes only when this task blocks, holding the only worker by then
        return await parser.parse(big_feed(4_000_000), time_budget=0.01)

    stuck = asyncio.create_task(parse_big())
    await handed_over.wait()  # the big document takes the only worker first
    waiting = [asyncio.create_task(parser.parse(sample_bytes("youtube-channel.xml"))) for _ in range(4)]
    with pytest.raises(NotAFeedError, match="parsing took longer than"):
        await stuck
    feeds = await asyncio.gather(*waiting)
    assert [feed.title for feed in feeds] == ["K-Zombie Talk"] * 4
