"""The local feed server behaves like a real one, so the watcher's tests mean something."""

from __future__ import annotations

import gzip

import aiohttp

from fakediscord.feeds import GOOD_SAMPLES, SAMPLE_REDDIT, FeedServer, sample_bytes, sample_names


async def test_every_bundled_sample_is_served_with_a_feed_content_type(
    session: aiohttp.ClientSession, feed_server: FeedServer
) -> None:
    """Each fixture feed is reachable under /samples with an RSS or Atom content type and an ETag."""
    assert set(GOOD_SAMPLES) <= set(sample_names())
    for name in GOOD_SAMPLES:
        async with session.get(feed_server.url(f"/samples/{name}")) as response:
            assert response.status == 200
            assert response.content_type in ("application/rss+xml", "application/atom+xml")
            assert response.headers["ETag"]
            assert await response.read() == sample_bytes(name)


async def test_gzip_is_only_sent_to_clients_that_ask(feed_server: FeedServer) -> None:
    """A client without Accept-Encoding: gzip gets plain bytes; one that asks gets gzip."""
    feed_server.add_sample("/feed", SAMPLE_REDDIT, gzip=True)
    async with aiohttp.ClientSession(auto_decompress=False) as raw:
        async with raw.get(feed_server.url("/feed"), headers={"Accept-Encoding": "identity"}) as plain:
            assert "Content-Encoding" not in plain.headers
            assert await plain.read() == sample_bytes(SAMPLE_REDDIT)
        async with raw.get(feed_server.url("/feed"), headers={"Accept-Encoding": "gzip"}) as packed:
            assert packed.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(await packed.read()) == sample_bytes(SAMPLE_REDDIT)


async def test_requests_are_counted_per_path_and_removed_feeds_answer_404(
    session: aiohttp.ClientSession, feed_server: FeedServer
) -> None:
    """Tests can count fetches per URL, and a feed taken down answers 404."""
    feed_server.add("/a", "<rss version='2.0'><channel><title>A</title></channel></rss>")
    for _ in range(3):
        async with session.get(feed_server.url("/a")) as response:
            assert response.status == 200
    feed_server.remove("/a")
    async with session.get(feed_server.url("/a")) as response:
        assert response.status == 404
    assert feed_server.hits("/a") == 4
    assert feed_server.answered("/a", 404) == 1
    assert feed_server.hits("/never") == 0
