"""The poll cycle without Discord: what reaches the outbox, what is fetched, what is parsed, what survives."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, TypeVar

import aiohttp
import pytest

import db.feeds as store
from bot.feeds.fetch import Fetcher
from bot.feeds.filters import Blocklist
from bot.feeds.normalise import NewsItem
from bot.feeds.parse import FeedParser
from bot.feeds.watcher import KEEP_POSTS, FeedUnusableError, FeedWatcher, PollOutcome, Router, to_new_item
from db import Database
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, FeedServer
from tests.helpers.feeds import USER_AGENT, news_item

T = TypeVar("T")
INTERVAL = timedelta(minutes=10)
GUILD = 1


class CountingParser(FeedParser):
    """The real parser pool, counting the documents it was asked to read."""

    def __init__(self) -> None:
        super().__init__(workers=1, timeout=30.0)
        self.calls = 0
        self.explode_on: bytes | None = None

    async def run(self, work: Callable[..., T], *args: Any, time_budget: float | None = None) -> T:
        body = args[0]
        if isinstance(body, bytes):
            self.calls += 1
            if self.explode_on is not None and self.explode_on in body:
                raise RuntimeError("a bug in our own parsing code")
        return await super().run(work, *args, time_budget=time_budget)


@pytest.fixture
async def counting_parser() -> AsyncIterator[CountingParser]:
    pool = CountingParser()
    async with pool:
        yield pool


@pytest.fixture
def watcher(database: Database, fetcher: Fetcher, counting_parser: CountingParser) -> FeedWatcher:
    return FeedWatcher(database, fetcher, counting_parser, interval=INTERVAL)


def rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 document of (guid, title, link) items, an hour apart, newest first."""
    now = datetime.now(UTC)
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<pubDate>{format_datetime(now - timedelta(hours=n + 1), usegmt=True)}</pubDate></item>"
        for n, (guid, title, link) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Feed</title>{body}</channel></rss>'


async def follow(watcher: FeedWatcher, url: str, channel: int, **kwargs: str) -> store.Subscription:
    preview = await watcher.preview(url)
    done = await watcher.subscribe(
        preview,
        guild_id=GUILD,
        channel_id=channel,
        include=kwargs.get("include", ""),
        exclude=kwargs.get("exclude", ""),
        created_by=9,
        backfill=0,
    )
    assert done is not None
    return done.subscription


async def poll_now(watcher: FeedWatcher) -> list[PollOutcome]:
    await store.make_all_due(watcher.db, watcher.now())
    return list(await watcher.poll_due())


async def pending(database: Database) -> list[tuple[int, str]]:
    """Every post waiting in the outbox (not one sending round's pick of them)."""
    due = await store.due_deliveries(database, datetime.now(UTC) + INTERVAL, limit=1000, per_channel=1000)
    return [(d.channel_id, d.title) for d in due]


async def test_new_items_are_queued_for_each_channel_once(watcher: FeedWatcher, feed_server: FeedServer) -> None:
    """Subscribing queues nothing; the next article is queued once per channel, and not again."""
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await follow(watcher, feed_server.url("/dispatch"), 100)
    await follow(watcher, feed_server.url("/dispatch"), 200)
    assert await pending(watcher.db) == []
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    await poll_now(watcher)
    await poll_now(watcher)
    title = "Netflix confirms All of Us Are Dead season 2 premiere date"
    assert sorted(await pending(watcher.db)) == [(100, title), (200, title)]


async def test_unchanged_feed_is_fetched_conditionally_and_not_parsed(
    watcher: FeedWatcher, feed_server: FeedServer, counting_parser: CountingParser
) -> None:
    """A 304 answer costs no parse, and the feed's next check moves on to its next slot."""
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await follow(watcher, feed_server.url("/dispatch"), 100)
    parses = counting_parser.calls
    await poll_now(watcher)
    assert feed_server.answered("/dispatch", 304) == 1
    assert counting_parser.calls == parses
    (feed,) = await store.guild_feeds(watcher.db, GUILD)
    assert feed.last_status == 304 and feed.next_due_at > watcher.now()


async def test_republished_item_with_a_fresh_guid_is_not_queued_again(
    watcher: FeedWatcher, feed_server: FeedServer
) -> None:
    """An item re-sent with a new guid and tracking parameters on the same link is recognised as seen."""
    first = ("guid-1", "Season 2 casting call", "https://site.example/casting")
    feed_server.add("/f", rss([first]))
    await follow(watcher, feed_server.url("/f"), 100)
    again = ("guid-1-updated", "Season 2 casting call (updated)", "https://site.example/casting?utm_source=rss")
    feed_server.add("/f", rss([again]))
    await poll_now(watcher)
    assert await pending(watcher.db) == []


async def test_one_feed_breaking_our_code_does_not_stop_the_others(
    watcher: FeedWatcher, feed_server: FeedServer, counting_parser: CountingParser
) -> None:
    """An unexpected error while handling one feed is recorded as its failure; the other feed is processed."""
    feed_server.add("/a", rss([("a1", "First feed's older article", "https://a.example/1")]))
    feed_server.add("/b", rss([("b1", "Second feed's older article", "https://b.example/1")]))
    await follow(watcher, feed_server.url("/a"), 100)
    await follow(watcher, feed_server.url("/b"), 100)
    feed_server.add("/a", rss([("a2", "Trigger the bug here", "https://a.example/2")]))
    feed_server.add("/b", rss([("b2", "Second feed's new article", "https://b.example/2")]))
    counting_parser.explode_on = b"Trigger the bug"
    outcomes = {o.url.rsplit("/", 1)[1]: o for o in await poll_now(watcher)}
    assert outcomes["a"].error is not None and "internal error" in outcomes["a"].error
    assert [i.title for i in outcomes["b"].fresh] == ["Second feed's new article"]
    assert await pending(watcher.db) == [(100, "Second feed's new article")]


async def test_failures_back_off(watcher: FeedWatcher, feed_server: FeedServer) -> None:
    """After a 500 the feed is not due again for most of an interval, and its failures are counted."""
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await follow(watcher, feed_server.url("/dispatch"), 100)
    feed_server.add("/dispatch", "down", status=500)
    before = watcher.now()
    await poll_now(watcher)
    (feed,) = await store.guild_feeds(watcher.db, GUILD)
    assert feed.consecutive_failures == 1 and feed.last_error == "HTTP 500 Internal Server Error"
    assert feed.next_due_at - before >= INTERVAL * 0.8
    assert await store.due_feeds(watcher.db, watcher.now()) == []


async def test_feeds_on_one_host_are_fetched_two_at_a_time(watcher: FeedWatcher, feed_server: FeedServer) -> None:
    """Six due feeds on one host are polled together, yet never more than two requests at once."""
    for n in range(6):
        feed_server.add(f"/f{n}", rss([(f"g{n}", f"Older article number {n}", f"https://x.example/{n}")]))
        await follow(watcher, feed_server.url(f"/f{n}"), 100)
    for n in range(6):
        feed_server.add(f"/f{n}", rss([(f"g{n}", f"Older article number {n}", f"https://x.example/{n}")]), delay=0.1)
    feed_server.peak_in_flight = 0
    outcomes = await poll_now(watcher)
    assert len(outcomes) == 6
    assert feed_server.peak_in_flight == 2


async def test_adding_another_channel_does_not_swallow_news_for_the_first(
    watcher: FeedWatcher, feed_server: FeedServer
) -> None:
    """A second channel subscribing after an article appeared still leaves that article queued for the first."""
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await follow(watcher, feed_server.url("/dispatch"), 100)
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    await follow(watcher, feed_server.url("/dispatch"), 200)
    assert await pending(watcher.db) == [(100, "Netflix confirms All of Us Are Dead season 2 premiere date")]


async def test_preview_of_something_that_is_not_a_feed_says_why(watcher: FeedWatcher, feed_server: FeedServer) -> None:
    """Previewing an HTML page refuses with the reason a moderator can act on."""
    with pytest.raises(FeedUnusableError, match="web page"):
        await watcher.preview(feed_server.url("/hostile/html"))


def test_router_keeps_keyword_filtered_items_in_the_event_but_drops_pirate_pages() -> None:
    """Listeners get every item a blocklist allows; keyword filters only decide what a channel posts."""
    pirate = news_item(title="Watch All of Us Are Dead Season 2 Online Free", guid="p", link="https://x.example/p")
    plain = news_item(title="Season 2 teaser released", guid="t", link="https://x.example/t")
    router = Router([pirate, plain], {})
    assert router.unblocked([pirate, plain]) == [plain]


def test_router_applies_the_subscription_keywords() -> None:
    """An item without any include keyword is not routed to that channel, with the reason kept."""
    item: NewsItem = news_item(title="Weekend ratings roundup", summary="", categories=())
    router = Router([item], {})
    sub = store.Subscription(1, 1, GUILD, 100, "zombie*", "", "https://x.example/feed", "X")
    assert router.route(to_new_item(item), sub) is None
    assert router.dropped[0][2].startswith("none of the include keywords")


async def test_a_feed_reissuing_its_archive_does_not_flood(watcher: FeedWatcher, feed_server: FeedServer) -> None:
    """Twelve items new at once queue only the newest five posts; all twelve are remembered as seen."""
    feed_server.add("/f", rss([("old", "The only older article here", "https://x.example/old")]))
    await follow(watcher, feed_server.url("/f"), 100)
    burst = [(f"n{n}", f"Reissued archive article {n:02d}", f"https://x.example/n{n}") for n in range(12)]
    feed_server.add("/f", rss(burst))
    (outcome,) = await poll_now(watcher)
    assert len(outcome.fresh) == 12
    assert sorted(title for _, title in await pending(watcher.db)) == [
        f"Reissued archive article {n:02d}" for n in range(5)
    ]
    await poll_now(watcher)
    assert len(await pending(watcher.db)) == 5


async def test_a_new_subscription_to_a_paused_feed_that_works_again_resumes_it(
    watcher: FeedWatcher, feed_server: FeedServer
) -> None:
    """A feed paused after a 410 that answers again when another channel subscribes is polled again."""
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await follow(watcher, feed_server.url("/dispatch"), 100)
    feed_server.add("/dispatch", "gone", status=410)
    await poll_now(watcher)
    assert await store.due_feeds(watcher.db, watcher.now() + INTERVAL * 10) == []
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    await follow(watcher, feed_server.url("/dispatch"), 200)
    (feed,) = await store.due_feeds(watcher.db, watcher.now() + INTERVAL * 2)  # its next slot
    assert feed.paused_reason is None and feed.consecutive_failures == 0


async def test_feed_items_are_cleaned_in_the_parser_workers_not_on_the_event_loop(
    watcher: FeedWatcher, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cleaning and keying items (seconds of CPU for a 4 MB feed) runs in the workers, so no command waits on it."""
    older = ("a1", "An older article about the show", "https://a.example/1")
    feed_server.add("/f", rss([older]))
    await follow(watcher, feed_server.url("/f"), 100)

    def on_the_event_loop(*args: object, **kwargs: object) -> None:
        raise AssertionError("feed items cleaned on the event loop")

    for name in ("normalise_feed", "identity_keys", "item_key", "story_key"):
        monkeypatch.setattr(f"bot.feeds.watcher.{name}", on_the_event_loop)
    feed_server.add("/f", rss([("a2", "A new article about the show", "https://a.example/2"), older]))
    (outcome,) = await poll_now(watcher)
    assert outcome.error is None
    assert [i.title for i in outcome.fresh] == ["A new article about the show"]
    assert await pending(watcher.db) == [(100, "A new article about the show")]


async def test_posts_older_than_the_retention_are_forgotten_not_reposted(
    database: Database, fetcher: Fetcher, counting_parser: CountingParser, feed_server: FeedServer
) -> None:
    """After 90 days a sent post leaves the outbox (and /news), and the article is still never posted again."""
    watcher = FeedWatcher(database, fetcher, counting_parser, interval=INTERVAL)
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await follow(watcher, feed_server.url("/dispatch"), 100)
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    await poll_now(watcher)
    (delivery,) = await store.due_deliveries(database, watcher.now())
    await store.mark_sent(database, delivery, 777, watcher.now())

    assert await watcher.forget_old_posts() == 0
    months_later = watcher.now() + KEEP_POSTS + timedelta(days=1)
    late = FeedWatcher(database, fetcher, counting_parser, interval=INTERVAL, clock=lambda: months_later)
    assert await late.forget_old_posts() == 1
    assert await store.recent_posts(database, GUILD, 10) == []
    await store.make_all_due(database, months_later)
    await late.poll_due()
    assert await store.due_deliveries(database, months_later + INTERVAL) == []


async def test_each_server_blocklist_applies_to_its_own_channels_only(
    watcher: FeedWatcher, feed_server: FeedServer
) -> None:
    """Servers following one feed keep their own blocklists: one server's block does not silence the others."""
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    preview = await watcher.preview(feed_server.url("/dispatch"))
    for guild, channel in ((1, 100), (2, 200), (3, 300)):
        await watcher.subscribe(
            preview, guild_id=guild, channel_id=channel, include="", exclude="", created_by=9, backfill=0
        )
    await store.save_guild_settings(watcher.db, store.GuildFeedSettings(2, ("kdramadispatch.example",), (), 0, None))
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    (outcome,) = await poll_now(watcher)
    assert sorted(channel for channel, _ in await pending(watcher.db)) == [100, 300]
    assert [item.title for item in outcome.fresh] == ["Netflix confirms All of Us Are Dead season 2 premiere date"]


async def test_a_feed_that_moved_for_good_is_polled_at_its_new_address(
    watcher: FeedWatcher, feed_server: FeedServer
) -> None:
    """After a 301, the stored address (what /feeds list shows) is the new one and the old one is left alone."""
    feed_server.add_sample("/old-feed", SAMPLE_WORDPRESS)
    sub = await follow(watcher, feed_server.url("/old-feed"), 100)
    feed_server.add_sample("/new-feed", SAMPLE_WORDPRESS_NEWER)
    feed_server.add_redirect("/old-feed", "/new-feed", status=301)
    (outcome,) = await poll_now(watcher)
    assert f"moved permanently to {feed_server.url('/new-feed')}" in outcome.note
    assert [s.feed_url for s in await store.guild_subscriptions(watcher.db, GUILD)] == [feed_server.url("/new-feed")]
    assert [channel for channel, _ in await pending(watcher.db)] == [100]
    old_hits = feed_server.hits("/old-feed")
    await poll_now(watcher)
    assert feed_server.hits("/old-feed") == old_hits
    assert (await store.get_feed(watcher.db, sub.feed_id)) is not None


async def test_a_temporary_redirect_or_a_taken_address_keeps_the_old_one(
    watcher: FeedWatcher, feed_server: FeedServer
) -> None:
    """A 302 is not a move; a move onto a feed the bot already polls keeps both feeds working as they are."""
    feed_server.add_sample("/a", SAMPLE_WORDPRESS)
    feed_server.add_sample("/b", SAMPLE_WORDPRESS)
    await follow(watcher, feed_server.url("/a"), 100)
    await follow(watcher, feed_server.url("/b"), 200)
    feed_server.add_redirect("/a", "/b", status=302)
    await poll_now(watcher)
    feed_server.add_redirect("/a", "/b", status=308)
    outcomes = await poll_now(watcher)
    assert any("already followed as another feed" in o.note for o in outcomes)
    urls = sorted(s.feed_url for s in await store.guild_subscriptions(watcher.db, GUILD))
    assert urls == [feed_server.url("/a"), feed_server.url("/b")]


async def test_a_huge_feed_keeps_its_newest_items_and_is_filtered_in_the_workers(
    watcher: FeedWatcher, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 25,000-item feed stores only its newest 200, and a full blocklist is applied without the event loop."""
    feed_server.add("/f", rss([("old", "The only older article here", "https://x.example/old")]))
    await follow(watcher, feed_server.url("/f"), 100, exclude="zombie*")
    domains = tuple(f"spam{n}.example" for n in range(200))
    phrases = tuple(f"miracle cure {n}" for n in range(200))
    await store.save_guild_settings(watcher.db, store.GuildFeedSettings(GUILD, domains, phrases, 0, None))
    archive = [(f"n{n}", f"Archive article {n}", f"https://x.example/n{n}") for n in range(25_000)]  # newest first
    archive[0] = ("n0", "Archive article 0", "https://www.spam7.example/n0")
    archive[1] = ("n1", "Archive article 1: a MIRACLE  cure 42 inside", "https://x.example/n1")
    archive[2] = ("n2", "Zombies in archive article 2", "https://x.example/n2")
    feed_server.add("/f", rss(archive))

    def on_the_event_loop(*args: object, **kwargs: object) -> None:
        raise AssertionError("blocklist or keywords checked on the event loop")

    monkeypatch.setattr(Blocklist, "reason", on_the_event_loop)
    monkeypatch.setattr("bot.feeds.routing.keyword_reason", on_the_event_loop)
    (outcome,) = await poll_now(watcher)
    assert outcome.error is None and outcome.note.startswith("200 new item(s)")
    titles = [item.title for item in outcome.fresh]
    assert len(titles) == 198 and titles[0] == "Zombies in archive article 2" and titles[-1] == "Archive article 199"
    assert outcome.queued == 2  # of the newest five: one blocked site, one blocked phrase, one excluded keyword


async def test_one_server_with_many_slow_feeds_does_not_hold_up_another_servers_feed(
    database: Database, session: aiohttp.ClientSession, counting_parser: CountingParser, feed_server: FeedServer
) -> None:
    """A server whose ten feeds answer slowly uses only its share of the fetches; another server's feed goes at once."""
    # Eight fetches at once in all, no per-host limit: the local feed server stands in for many sites.
    fetcher = Fetcher(session, allow_private=True, user_agent=USER_AGENT, timeout=5.0, total=8, per_host=32)
    watcher = FeedWatcher(database, fetcher, counting_parser, interval=INTERVAL)
    slow = [f"/slow{n}" for n in range(10)]
    for path in slow:
        feed_server.add(path, rss([(path, f"Older article at {path}", f"https://slow.example{path}")]))
        await follow(watcher, feed_server.url(path), 100)
        feed_server.add(path, rss([(path, f"Older article at {path}", f"https://slow.example{path}")]), delay=1.0)
    await store.make_all_due(database, watcher.now() - timedelta(hours=1))  # the slow feeds are due first
    feed_server.add("/other", rss([("o1", "Another server's older article", "https://other.example/1")]))
    preview = await watcher.preview(feed_server.url("/other"))
    await watcher.subscribe(preview, guild_id=2, channel_id=200, include="", exclude="", created_by=9, backfill=0)
    # Slow enough to overlap the slow server's fetches on either store, quicker than any of them.
    feed_server.add("/other", rss([("o2", "Another server's news", "https://other.example/2")]), delay=0.5)
    answered_before, feed_server.peak_in_flight = len(feed_server.requests), 0
    outcomes = await poll_now(watcher)
    answered = [request.path for request in feed_server.requests[answered_before:]]
    assert len(outcomes) == 11 and sorted(answered) == sorted([*slow, "/other"])
    assert answered[0] == "/other"  # before the first slow answer, a second after the poll began
    assert feed_server.peak_in_flight == 5  # the slow server's four slots, and the other server's fetch
