"""Old items are forgotten without ever being posted twice, end to end: the real bot, fakediscord, a local feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers.feeds import rss
from tests.helpers.newsdesk import NewsDesk

POST_WAIT = 10.0
OLD = ("Season 2 wraps filming", "https://dispatch.example/1")
KEPT = ("Season 2 gets a date", "https://dispatch.example/2")
NEW = ("Season 2 trailer", "https://dispatch.example/3")


def move_clock(desk: NewsDesk, days: int) -> None:
    moment = datetime.now(UTC) + timedelta(days=days)
    desk.cog.service._clock = lambda: moment


async def poll(desk: NewsDesk, items: list[tuple[str, str]]) -> None:
    desk.fs.add("/dispatch", rss("Dispatch", items))
    await desk.cog.poll_once(everything=True)
    await desk.settle()


async def test_an_article_forgotten_after_leaving_its_feed_is_not_posted_when_it_returns(desk: NewsDesk) -> None:
    """An article still in the feed is kept however old; one gone 90 days is forgotten and, re-issued, not posted."""
    desk.fs.add("/dispatch", rss("Dispatch", [KEPT, OLD]))
    await desk.add("/dispatch")
    move_clock(desk, 100)
    await poll(desk, [KEPT, OLD])
    assert await desk.cog.service.prune_once() == 0  # 100 days old, but the feed still shows both
    move_clock(desk, 200)
    await poll(desk, [KEPT])
    assert await desk.cog.service.prune_once() == 1  # OLD: gone from the feed, last seen 100 days ago
    await poll(desk, [KEPT, OLD])
    assert desk.posts(desk.channel) == []
    await poll(desk, [NEW, KEPT, OLD])
    [post] = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    assert post.embeds[0]["title"] == NEW[0]
