"""Fetching against the local feed server: every hostile server ends in a clear status, never a crash."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.feeds.fetch import Fetcher, FetchError, PublicOnlyResolver, parse_max_age, parse_retry_after
from fakediscord.feeds import RETRY_AFTER_SECONDS, SAMPLE_WORDPRESS, FeedServer, sample_bytes
from tests.helpers.feeds import USER_AGENT


async def test_a_feed_is_fetched_with_a_descriptive_user_agent(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """A plain feed arrives whole, with its validators, and the server saw who was asking."""
    feed_server.add_sample("/feed", SAMPLE_WORDPRESS, last_modified=None)
    result = await fetcher.fetch(feed_server.url("/feed"))
    assert result.ok
    assert result.status == 200
    assert result.body == sample_bytes(SAMPLE_WORDPRESS)
    assert result.etag
    assert result.content_type == "application/rss+xml"
    assert result.charset == "utf-8"
    assert feed_server.requests[-1].headers["User-Agent"] == USER_AGENT


async def test_gzip_bodies_are_decompressed(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """A server compressing its feed is understood, and we asked for compression."""
    result = await fetcher.fetch(feed_server.url(f"/samples/{SAMPLE_WORDPRESS}"))
    assert result.ok
    assert result.body == sample_bytes(SAMPLE_WORDPRESS)
    assert "gzip" in feed_server.requests[-1].headers["Accept-Encoding"]


async def test_an_unchanged_feed_answers_304_and_has_no_body(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """The second fetch sends the ETag back; the server says 304 and there is nothing to parse."""
    feed_server.add_sample("/feed", SAMPLE_WORDPRESS)
    first = await fetcher.fetch(feed_server.url("/feed"))
    second = await fetcher.fetch(feed_server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified
    assert second.body is None
    assert feed_server.answered("/feed", 304) == 1
    assert feed_server.hits("/feed") == 2


async def test_if_modified_since_alone_gives_a_304(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """Feeds that only send Last-Modified are fetched conditionally too."""
    feed_server.add("/lm", sample_bytes(SAMPLE_WORDPRESS), etag=False, last_modified=datetime(2026, 11, 17, tzinfo=UTC))
    first = await fetcher.fetch(feed_server.url("/lm"))
    assert first.last_modified == "Tue, 17 Nov 2026 00:00:00 GMT"
    second = await fetcher.fetch(feed_server.url("/lm"), last_modified=first.last_modified)
    assert second.not_modified


async def test_a_changed_feed_is_fetched_again_despite_the_old_etag(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """When the site publishes, the ETag changes and the new document arrives."""
    feed_server.add_sample("/feed", SAMPLE_WORDPRESS)
    first = await fetcher.fetch(feed_server.url("/feed"))
    feed_server.add_sample("/feed", "kdrama-dispatch-wordpress-newer.xml")
    second = await fetcher.fetch(feed_server.url("/feed"), etag=first.etag)
    assert second.status == 200
    assert second.body is not None
    assert b"premiere date" in second.body


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [("/hostile/404", 404, "HTTP 404"), ("/hostile/410", 410, "HTTP 410"), ("/hostile/500", 500, "HTTP 500")],
)
async def test_error_statuses_are_reported(
    fetcher: Fetcher, feed_server: FeedServer, path: str, status: int, words: str
) -> None:
    """404, 410 and 500 come back as statuses with a reason, not exceptions."""
    result = await fetcher.fetch(feed_server.url(path))
    assert not result.ok
    assert result.error is FetchError.HTTP_STATUS
    assert result.status == status
    assert result.reason.startswith(words)
    assert result.body is None


async def test_429_reports_retry_after(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """A rate-limited fetch says how long the server asked us to wait."""
    result = await fetcher.fetch(feed_server.url("/hostile/429"))
    assert result.status == 429
    assert result.retry_after == RETRY_AFTER_SECONDS


async def test_cache_control_max_age_is_reported(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """A server's Cache-Control max-age reaches the scheduler."""
    feed_server.add_sample("/cached", SAMPLE_WORDPRESS, headers={"Cache-Control": "public, max-age=1800"})
    result = await fetcher.fetch(feed_server.url("/cached"))
    assert result.max_age == 1800


async def test_a_redirect_loop_ends_cleanly(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """Two pages redirecting to each other end in a "redirect loop" status after one round."""
    result = await fetcher.fetch(feed_server.url("/hostile/loop"))
    assert result.error is FetchError.REDIRECT_LOOP
    assert "redirect loop" in result.reason
    assert feed_server.hits("/hostile/loop") == 1
    assert feed_server.hits("/hostile/loop-b") == 1


async def test_more_than_five_redirects_are_refused(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """A chain of six redirects stops at the limit; five are followed."""
    feed_server.add_sample("/end", SAMPLE_WORDPRESS)
    for i in range(6):
        feed_server.add_redirect(f"/hop{i}", f"/hop{i + 1}" if i < 5 else "/end", status=302)
    too_long = await fetcher.fetch(feed_server.url("/hop0"))
    assert too_long.error is FetchError.TOO_MANY_REDIRECTS
    assert feed_server.hits("/end") == 0
    just_fits = await fetcher.fetch(feed_server.url("/hop1"))
    assert just_fits.ok
    assert just_fits.final_url == feed_server.url("/end")
    assert just_fits.permanent_redirect is None


async def test_a_permanent_redirect_is_reported_for_updating_the_subscription(
    fetcher: Fetcher, feed_server: FeedServer
) -> None:
    """A feed that moved for good (301) tells us its new address."""
    feed_server.add_sample("/new-feed", SAMPLE_WORDPRESS)
    feed_server.add_redirect("/old-feed", "/new-feed", status=301)
    result = await fetcher.fetch(feed_server.url("/old-feed"))
    assert result.ok
    assert result.permanent_redirect == feed_server.url("/new-feed")


async def test_a_trickling_server_hits_the_time_budget(session: aiohttp.ClientSession, feed_server: FeedServer) -> None:
    """A server sending one byte at a time cannot hold a fetch past its total time budget."""
    fetcher = Fetcher(session, allow_private=True, user_agent=USER_AGENT, timeout=1.0)
    result = await fetcher.fetch(feed_server.url("/hostile/trickle"))
    assert result.error is FetchError.TIMEOUT
    assert "no complete answer within 1 seconds" in result.reason


@pytest.mark.parametrize("path", ["/hostile/huge", "/hostile/huge-declared"])
async def test_a_50_mb_body_is_refused_without_reading_it_all(
    fetcher: Fetcher, feed_server: FeedServer, path: str
) -> None:
    """A 50 MB feed stops at the 5 MB limit (or at its Content-Length) with a clear status."""
    result = await fetcher.fetch(feed_server.url(path))
    assert result.error is FetchError.TOO_LARGE
    assert result.body is None
    assert "5,000,000 bytes" in result.reason


async def test_a_gzip_bomb_is_stopped_at_the_decompressed_limit(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """200 kB that would expand to 200 MB is cut off at 5 MB of output."""
    result = await fetcher.fetch(feed_server.url("/hostile/gzip-bomb"))
    assert result.error is FetchError.TOO_LARGE
    assert result.body is None


async def test_a_corrupt_gzip_body_is_reported(fetcher: Fetcher, feed_server: FeedServer) -> None:
    """A body claiming gzip that is not gzip gives a decoding status."""
    feed_server.add("/corrupt", b"this is not gzip at all", headers={"Content-Encoding": "gzip"})
    result = await fetcher.fetch(feed_server.url("/corrupt"))
    assert result.error is FetchError.BAD_ENCODING


@pytest.mark.parametrize(
    "body",
    [
        sample_bytes(SAMPLE_WORDPRESS),
        b'\xef\xbb\xbf<rss version="2.0"/>',  # shorter than the bytes sniffed to tell XML from a stream
    ],
)
async def test_a_gzip_header_on_a_plain_xml_body_reads_the_body_as_it_is(
    fetcher: Fetcher, feed_server: FeedServer, body: bytes
) -> None:
    """A server that says gzip but sends plain XML still gives its feed, byte for byte."""
    feed_server.add("/mislabelled", body, headers={"Content-Encoding": "gzip"})
    result = await fetcher.fetch(feed_server.url("/mislabelled"))
    assert result.ok, result.reason
    assert result.body == body


async def test_a_deflate_header_on_a_plain_xml_body_reads_the_body_as_it_is(
    fetcher: Fetcher, feed_server: FeedServer
) -> None:
    """The same for a body labelled deflate."""
    feed_server.add_sample("/mislabelled", SAMPLE_WORDPRESS, headers={"Content-Encoding": "deflate"})
    result = await fetcher.fetch(feed_server.url("/mislabelled"))
    assert result.body == sample_bytes(SAMPLE_WORDPRESS)


async def test_the_base_for_relative_links_is_the_final_url_after_redirects(
    fetcher: Fetcher, feed_server: FeedServer
) -> None:
    """A feed reached through a redirect has the address it was finally served from as its base."""
    feed_server.add_sample("/blog/feed/", SAMPLE_WORDPRESS)
    feed_server.add_redirect("/feed", "/blog/feed/", status=302)
    result = await fetcher.fetch(feed_server.url("/feed"))
    assert result.final_url == feed_server.url("/blog/feed/")
    assert result.content_location is None
    assert result.base_url == feed_server.url("/blog/feed/")


async def test_a_content_location_header_is_the_base_resolved_against_the_url(
    fetcher: Fetcher, feed_server: FeedServer
) -> None:
    """A server naming the document's own address (even relatively) makes that the base for its links."""
    feed_server.add_sample("/feed", SAMPLE_WORDPRESS, headers={"Content-Location": "/site/feed.rss"})
    result = await fetcher.fetch(feed_server.url("/feed"))
    assert result.content_location == feed_server.url("/site/feed.rss")
    assert result.base_url == feed_server.url("/site/feed.rss")


async def test_a_missing_header_charset_is_left_for_the_document_to_say(
    fetcher: Fetcher, feed_server: FeedServer
) -> None:
    """text/xml without a charset is not given a US-ASCII default (RFC 7303): the charset stays unknown."""
    feed_server.add("/plain", sample_bytes(SAMPLE_WORDPRESS), content_type="text/xml")
    result = await fetcher.fetch(feed_server.url("/plain"))
    assert (result.content_type, result.charset) == ("text/xml", None)


async def test_loopback_feeds_are_refused_unless_private_networks_are_allowed(
    session: aiohttp.ClientSession, feed_server: FeedServer
) -> None:
    """Without FEEDS_ALLOW_PRIVATE_NETWORKS the bot will not fetch from its own machine."""
    feed_server.add_sample("/feed", SAMPLE_WORDPRESS)
    strict = Fetcher(session, allow_private=False, user_agent=USER_AGENT)
    result = await strict.fetch(feed_server.url("/feed"))
    assert result.error is FetchError.BLOCKED_ADDRESS
    assert "loopback" in result.reason
    assert feed_server.hits("/feed") == 0


class _PretendPublicDNS(AbstractResolver):
    """Makes ``public.test`` connect to the loopback feed server, as a DNS answer would."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        target = "127.0.0.1" if host == "public.test" else host
        return [{"hostname": host, "host": target, "port": port, "family": socket.AF_INET, "proto": 0, "flags": 0}]

    async def close(self) -> None:
        return None


@pytest.fixture
async def public_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=_PretendPublicDNS())) as client:
        yield client


async def test_a_redirect_into_the_private_network_is_refused(
    public_session: aiohttp.ClientSession, feed_server: FeedServer
) -> None:
    """A public feed redirecting to 127.0.0.1 is stopped at that hop, before anything is sent there."""

    async def public_dns(host: str, port: int) -> Sequence[str]:
        return ["93.184.215.14"] if host == "public.test" else ["127.0.0.1"]

    feed_server.add_sample("/internal", SAMPLE_WORDPRESS)
    feed_server.add_redirect("/moved", feed_server.url("/internal"))
    fetcher = Fetcher(public_session, allow_private=False, user_agent=USER_AGENT, resolver=public_dns)
    result = await fetcher.fetch(f"http://public.test:{feed_server.port}/moved")
    assert feed_server.hits("/moved") == 1
    assert result.error is FetchError.BLOCKED_ADDRESS
    assert feed_server.hits("/internal") == 0


async def test_at_most_two_requests_at_a_time_per_host(session: aiohttp.ClientSession, feed_server: FeedServer) -> None:
    """Eight feeds on one host are fetched two at a time, all successfully."""
    for i in range(8):
        feed_server.add_sample(f"/slow{i}", SAMPLE_WORDPRESS, delay=0.05)
    fetcher = Fetcher(session, allow_private=True, user_agent=USER_AGENT, per_host=2)
    results = await asyncio.gather(*(fetcher.fetch(feed_server.url(f"/slow{i}")) for i in range(8)))
    assert all(r.ok for r in results)
    assert feed_server.peak_in_flight == 2


async def test_the_global_cap_limits_concurrency_across_hosts(
    session: aiohttp.ClientSession, feed_server: FeedServer
) -> None:
    """With a global cap of one, even different hosts' feeds are fetched one at a time."""
    for i in range(4):
        feed_server.add_sample(f"/slow{i}", SAMPLE_WORDPRESS, delay=0.05)
    fetcher = Fetcher(session, allow_private=True, user_agent=USER_AGENT, total=1)
    hosts = ["127.0.0.1", "localhost"]
    urls = [f"http://{hosts[i % 2]}:{feed_server.port}/slow{i}" for i in range(4)]
    results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert all(r.ok for r in results)
    assert feed_server.peak_in_flight == 1


async def test_an_unreachable_server_is_a_network_status(fetcher: Fetcher) -> None:
    """Nothing listening on the port gives a network status, not an exception."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    assert result.error is FetchError.NETWORK


async def test_bad_urls_are_a_status(fetcher: Fetcher) -> None:
    """A non-http address handed to the fetcher is reported, not raised."""
    result = await fetcher.fetch("gopher://example.org/feed")
    assert result.error is FetchError.BAD_URL


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None), (None, None)],
)
def test_retry_after_headers_are_read_in_both_forms(header: str | None, seconds: float | None) -> None:
    """Retry-After as seconds or as a (past) HTTP date both give a wait in seconds."""
    assert parse_retry_after(header) == seconds


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("max-age=600", 600.0), ("public, s-maxage=10, max-age=300", 300.0), ("no-cache, max-age=60", None), (None, None)],
)
def test_cache_control_max_age_is_read(header: str | None, seconds: float | None) -> None:
    """max-age is taken from Cache-Control; no-cache means no hint."""
    assert parse_max_age(header) == seconds


async def test_a_host_rebinding_to_loopback_between_check_and_connect_is_refused(feed_server: FeedServer) -> None:
    """If DNS says "public" to the check but "127.0.0.1" to the connection, the connection is refused."""

    async def public_dns(host: str, port: int) -> Sequence[str]:
        return ["93.184.215.14"]

    feed_server.add_sample("/feed", SAMPLE_WORDPRESS)
    connector = aiohttp.TCPConnector(resolver=PublicOnlyResolver(_PretendPublicDNS()))
    async with aiohttp.ClientSession(connector=connector) as guarded:
        fetcher = Fetcher(guarded, allow_private=False, user_agent=USER_AGENT, resolver=public_dns)
        result = await fetcher.fetch(f"http://public.test:{feed_server.port}/feed")
    assert result.error is FetchError.NETWORK
    assert "non-public" in result.reason
    assert feed_server.hits("/feed") == 0
