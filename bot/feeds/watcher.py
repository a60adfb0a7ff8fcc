"""One poll cycle of the feed watcher: due feeds → fetch → parse → normalise → route → the outbox.

This is the glue between the pure pieces (``fetch``, ``parse``, ``normalise``, ``dedup``, ``filters``,
``routing``, ``schedule``, ``slots``) and the database; it knows nothing of Discord. The CPU-heavy steps (parse,
clean, key, route) run in a parser worker in one trip (``read_feed``), and each server's feeds hold at most its
share of the fetch slots, so no one server's feeds or settings can hold up the rest. ``FeedService.poll_once``
calls ``poll_due`` and hands the outcome's ``fresh`` items on; the sender drains the outbox separately, so a slow
feed never delays a post and a slow Discord never delays a fetch.

Every feed is polled inside its own error boundary: a feed that breaks the parser, the network or our own
code is recorded as a failure with a reason for ``/feeds status`` and backed off, and the others carry on.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import db.feeds as store
from bot.errors import UserFacingError
from bot.feeds.dedup import identity_keys, item_key, story_key, story_keys, text_key
from bot.feeds.fetch import Fetcher, FetchResult
from bot.feeds.leases import renewing
from bot.feeds.news import News
from bot.feeds.normalise import NewsFeed, NewsItem, normalise_feed, to_utc
from bot.feeds.parse import FeedParser, NotAFeedError, ParsedFeed, Refusal, parse_document
from bot.feeds.pings import catching_up
from bot.feeds.post import MAX_SOURCES
from bot.feeds.routing import Decisions, Rules, decide
from bot.feeds.routing import Router as Router  # where the tests and bench/internals.py take it from
from bot.feeds.routing import delivery_nonce_for as delivery_nonce_for
from bot.feeds.schedule import FeedHealth, after_failure, after_success, first_due
from bot.feeds.slots import ServerSlots
from bot.feeds.urls import FeedURLError, validate_feed_url
from bot.i18n import Text
from bot.node import Node
from bot.settings import Limits
from db import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# A poll that finds more new items than this (a feed re-issuing its archive under new ids) posts only the newest.
MAX_POSTS_PER_POLL = 5
# How long a finished delivery is remembered: /news and the "posted" count of /feeds status look this far back.
# Far longer than the 48-hour cross-feed window. Items (which decide what is new) are kept while their feed shows
# them, and forgotten only this long after it stopped (``db.feeds.prune_items``; their keys stay).
KEEP_POSTS = timedelta(days=90)


# What ``normalise_feed`` calls a feed with neither a title nor a site link.
UNTITLED = "Untitled feed"


class FeedUnusableError(UserFacingError):
    """``/feeds add`` or ``/feeds test`` found nothing usable at the address; the message says why."""


@dataclass(frozen=True, slots=True)
class Preview:
    """A feed fetched once for a moderator: what they would subscribe to."""

    url: str
    fetch: FetchResult
    feed: NewsFeed

    @property
    def newest(self) -> NewsItem | None:
        return max(self.feed.items, key=lambda i: i.published, default=None)


@dataclass(frozen=True, slots=True)
class Subscribed:
    """The result of ``/feeds add``: the new subscription, what it previewed, and items new to the feed."""

    subscription: store.Subscription
    preview: Preview
    queued: int
    fresh: list[NewsItem] = field(default_factory=list)
    followers: frozenset[int] = frozenset()  # the servers following the feed, this one included

    @property
    def news(self) -> News:
        return News(tuple(self.fresh), self.followers)


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What one feed's poll did, for logs, ``/feeds refresh`` and the ``news_items`` event.

    ``fresh`` holds the items stored for the first time that no blocklist stops (keyword filters are a
    per-channel choice and do not apply); ``queued`` counts the (item, channel) posts added to the outbox.
    """

    feed_id: int
    url: str
    status: int | None
    note: str
    parsed: bool = False
    error: str | None = None
    paused_reason: str | None = None
    fresh: list[NewsItem] = field(default_factory=list)
    queued: int = 0
    followers: frozenset[int] = frozenset()  # the servers following the feed when it was polled

    @property
    def news(self) -> News:
        """The fresh items with the servers they reach: only those may learn from them."""
        return News(tuple(self.fresh), self.followers)


def to_new_item(item: NewsItem) -> store.NewItem:
    """The database's view of a cleaned item (keys computed once, here)."""
    keys = identity_keys(item)
    return store.NewItem(
        item_key=keys[0],
        story_key=story_key(item),
        story_keys=story_keys(item),
        title=item.title,
        link=item.link or None,
        outlet=item.outlet,
        summary=item.summary,
        image_url=item.image,
        published_at=item.published,
        aliases=keys[1:],
        text_key=text_key(item),
    )


@dataclass(frozen=True, slots=True)
class CleanFeed:
    """A parsed feed cleaned, with each item's database view (its keys computed) in the same order.

    ``decisions`` are the routing answers for the rules the document was read with (``None`` without rules).
    """

    feed: NewsFeed
    new_items: tuple[store.NewItem, ...]
    decisions: Decisions | None = None


def newest(parsed: ParsedFeed, keep: int | None, fetched_at: datetime) -> ParsedFeed:
    """The feed with only its ``keep`` newest items (in the document's order); ties go to the earlier item.

    A feed of 25,000 items stored them all at every poll (9 MB) and handed them all to the countdown reader
    on the event loop; the newest few hundred are all a news feed is worth.
    """
    if keep is None or len(parsed.items) <= keep:
        return parsed
    chosen = heapq.nlargest(keep, enumerate(parsed.items), key=lambda pair: to_utc(pair[1].published, fetched_at))
    return replace(parsed, items=tuple(item for _, item in sorted(chosen, key=lambda pair: pair[0])))


def clean_feed(parsed: ParsedFeed, fetched_at: datetime) -> CleanFeed:
    """Clean and key a parsed feed; run in a parser worker (``FeedParser.run``), never on the event loop.

    For a 4 MB feed (thousands of items, or a few whole articles) this is one to two seconds of CPU: on the
    loop it held up every command and heartbeat that long (bench/loop_lag.py).
    """
    news = normalise_feed(parsed, fetched_at=fetched_at)
    return CleanFeed(news, tuple(to_new_item(item) for item in news.items))


def read_feed(
    body: bytes,
    content_type: str | None,
    fetched_at: datetime,
    rules: Rules | None = None,
    keep: int | None = None,
    base_url: str | None = None,
) -> CleanFeed | Refusal:
    """Parse, keep the ``keep`` newest items, clean, key and route them, in one call in a parser worker.

    One trip, not two: handing a parsed 4 MB feed back to the bot and out again would cost the event loop
    another 100 ms or so of (un)pickling, which holds the interpreter lock. ``rules`` are the followers'
    blocklists and keywords; their decisions come back with the items (``routing.decide``). ``base_url`` is where
    the document came from (``FetchResult.base_url``), for its relative links.
    """
    parsed = parse_document(body, content_type, base_url=base_url)
    if isinstance(parsed, Refusal):
        return parsed
    clean = clean_feed(newest(parsed, keep, fetched_at), fetched_at)
    if rules is None:
        return clean
    keys = [new.item_key for new in clean.new_items]
    return replace(clean, decisions=decide(clean.feed.items, keys, rules))


def _content_type(result: FetchResult) -> str | None:
    if result.content_type and result.charset:
        return f"{result.content_type}; charset={result.charset}"
    return result.content_type


class FeedWatcher:
    """Polls due feeds into the outbox; also previews and subscribes for ``/feeds add`` and ``/feeds test``.

    ``fetcher`` and ``parser`` are public so tests and the demo can give them tighter limits. ``limits`` says
    how many items of a document are read (``items_per_document``) and how many fetches one server's feeds may
    run at once (``fetch_slots_per_server``, see ``slots.ServerSlots``).
    """

    def __init__(
        self,
        database: Database,
        fetcher: Fetcher,
        parser: FeedParser,
        *,
        interval: timedelta,
        clock: Clock | None = None,
        limits: Limits | None = None,
        node: Node | None = None,
    ) -> None:
        self.db = database
        self.fetcher = fetcher
        self.parser = parser
        self.interval = interval
        self.limits = limits or Limits()
        self.node = node or Node.for_this_process(timedelta(seconds=self.limits.lease_seconds))
        self.slots = ServerSlots(self.limits.fetch_slots_per_server)
        self._clock = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._clock()

    async def _read(self, result: FetchResult, now: datetime, rules: Rules | None = None) -> CleanFeed:
        """The fetched document parsed, cleaned and routed off the event loop; ``NotAFeedError`` saying why not."""
        assert result.body is not None
        keep = self.limits.items_per_document
        outcome = await self.parser.run(
            read_feed, result.body, _content_type(result), now, rules, keep, result.base_url
        )
        if isinstance(outcome, Refusal):
            raise NotAFeedError(outcome.reason)
        return outcome

    async def forget_old_posts(self) -> int:
        """Prune deliveries older than ``KEEP_POSTS``, so the outbox (and what reads it) stays the same size."""
        return await store.prune_deliveries(self.db, before=self.now() - KEEP_POSTS)

    # -- /feeds add and /feeds test -----------------------------------------------------------------------

    async def preview(self, url: str) -> Preview:
        """Fetch and read ``url`` once; raise ``FeedUnusableError`` saying why it cannot be followed."""
        result = await self.fetcher.fetch(url)
        if not result.ok or result.body is None:
            if result.reason:
                raise FeedUnusableError("That address did not give a feed: {reason}.", reason=result.reason)
            raise FeedUnusableError("That address did not give a feed: no answer.")
        try:
            clean = await self._read(result, self.now())
        except NotAFeedError as exc:
            raise FeedUnusableError("That address is not a usable feed: {why}.", why=exc.why) from None
        if not clean.feed.items and clean.feed.link is None and clean.feed.title == UNTITLED:
            # Valid XML, but nothing to follow and nothing to call it: never subscribe an empty "Untitled feed".
            why = Text("it has no items, no title and no site link, so there is nothing to follow")
            raise FeedUnusableError("That address is not a usable feed: {why}.", why=why)
        return Preview(url, result, clean.feed)

    async def subscribe(
        self,
        preview: Preview,
        *,
        guild_id: int,
        channel_id: int,
        include: str,
        exclude: str,
        created_by: int,
        backfill: int,
        style: store.PostStyle = store.PLAIN,
        ping_role_id: int | None = None,
        ping_words: str = "",
    ) -> Subscribed | None:
        """Subscribe a channel to a previewed feed; ``None`` if the channel already follows it."""
        now = self.now()
        new_items = [to_new_item(i) for i in preview.feed.items]
        probe = store.Subscription(0, 0, guild_id, channel_id, include, exclude, preview.url, preview.feed.title)
        others = [probe]
        existing = await store.get_feed_by_url(self.db, preview.url)
        if existing is not None:
            others += await store.feed_subscriptions(self.db, existing.id)
        router = await Router.load(self.db, preview.feed.items, others)
        newly_seen: list[store.NewItem] = []
        subscription = await store.subscribe(
            self.db,
            url=preview.url,
            title=preview.feed.title,
            guild_id=guild_id,
            channel_id=channel_id,
            include_words=include,
            exclude_words=exclude,
            created_by=created_by,
            now=now,
            next_due_at=first_due(preview.url, now, self.interval),
            existing_items=new_items,
            route=router.route,
            backfill=backfill,
            newly_seen=newly_seen,
            style=style,
            ping_role_id=ping_role_id,
            ping_words=ping_words,
        )
        if subscription is None:
            return None
        if existing is not None and existing.paused_reason:
            await store.resume_feed(self.db, existing.id, now)  # it just answered: worth trying again
        plan = after_success(preview.url, FeedHealth(), now=now, interval=self.interval, max_age=preview.fetch.max_age)
        assert plan.next_due is not None
        await store.record_fetch(
            self.db,
            subscription.feed_id,
            now=now,
            status=preview.fetch.status,
            error=None,
            next_due_at=plan.next_due,
            etag=preview.fetch.etag,
            last_modified=preview.fetch.last_modified,
            title=preview.feed.title,
        )
        seen_keys = {n.item_key for n in newly_seen}
        fresh = router.unblocked([i for i in preview.feed.items if item_key(i) in seen_keys])
        queued = await store.pending_count(self.db, channel_id=channel_id, feed_id=subscription.feed_id)
        return Subscribed(subscription, preview, queued, fresh, frozenset(s.guild_id for s in others))

    # -- the poll cycle -----------------------------------------------------------------------------------

    async def poll_due(self) -> list[PollOutcome]:
        """Poll every due feed concurrently, within each server's share of the fetch slots and the fetcher's
        per-host and global limits.

        The due feeds are claimed for this process (``db.feeds.due_feeds``): with several processes on one database
        each polls its own share, once. A feed waiting for a slot or a slow site keeps its lease, renewed every third
        of it until its outcome is recorded (which ends the lease); a cycle cancelled at shutdown gives back the
        leases of the feeds it did not finish, so another process polls them at once.
        """
        feeds = await store.due_feeds(self.db, self.now(), holder=self.node)
        if not feeds:
            return []
        running = {feed.id for feed in feeds}

        async def polled(feed: store.Feed) -> PollOutcome:
            outcome = await self.poll(feed)  # recorded, lease ended (a cancelled poll stays running: given back)
            running.discard(feed.id)
            return outcome

        def renew() -> Awaitable[int]:
            return store.renew_feeds(self.db, set(running), self.node, self.now())

        try:
            async with renewing(self.node, renew, "feeds being polled"):
                return list(await asyncio.gather(*(polled(feed) for feed in feeds)))
        finally:
            if running:
                await self._give_back(running)

    async def _give_back(self, feed_ids: set[int]) -> None:
        try:
            await store.release_feeds(self.db, feed_ids, self.node)
        except Exception:
            log.exception("could not give back the leases of %d unfinished feed(s)", len(feed_ids))

    async def poll(self, feed: store.Feed) -> PollOutcome:
        """Poll one feed; never raises (an unexpected error is recorded as the feed's failure)."""
        try:
            return await self._poll(feed)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("polling feed %s (%s) failed unexpectedly", feed.id, feed.url)
            reason = f"internal error while reading the feed ({type(exc).__name__})"
            return await self._failed(feed, self.now(), None, reason, None)

    async def _poll(self, feed: store.Feed) -> PollOutcome:
        subscriptions = await store.feed_subscriptions(self.db, feed.id)
        async with self.slots.hold({s.guild_id for s in subscriptions}):
            result = await self.fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        now = self.now()
        if not result.ok:
            return await self._failed(feed, now, result.status, result.reason, result.retry_after)
        if result.not_modified or result.body is None:
            return await self._succeeded(feed, now, result, title=None, note="not modified")
        guilds = list(dict.fromkeys(s.guild_id for s in subscriptions))
        rules = Rules.of(subscriptions, await store.guilds_settings(self.db, guilds))
        try:
            clean = await self._read(result, now, rules)
        except NotAFeedError as exc:
            return await self._failed(feed, now, result.status, str(exc), result.retry_after, parsed=True)
        news = clean.feed
        keys = [new.item_key for new in clean.new_items]
        router = Router(news.items, {}, keys, rules=rules, decisions=clean.decisions)
        before = await store.pending_count(self.db, feed_id=feed.id)
        new_ids = await store.store_items(
            self.db,
            feed.id,
            clean.new_items,
            now=now,
            route=router.route,
            fresh=not catching_up(feed, now),
            newest=MAX_POSTS_PER_POLL,
            edits_since=now - timedelta(hours=self.limits.edit_window_hours),
            source_cap=MAX_SOURCES,
        )
        queued = await store.pending_count(self.db, feed_id=feed.id) - before
        new_keys = set(await store.item_keys(self.db, new_ids))
        fresh = router.unblocked([i for i, key in zip(news.items, keys, strict=True) if key in new_keys])
        outcome = await self._succeeded(feed, now, result, title=news.title, note=f"{len(new_ids)} new item(s)")
        log.info("feed %s: %d new item(s), %d post(s) queued", feed.url, len(new_ids), queued)
        return PollOutcome(
            feed.id,
            feed.url,
            result.status,
            outcome.note,
            parsed=True,
            fresh=fresh,
            queued=max(0, queued),
            followers=frozenset(guilds),
        )

    async def _succeeded(
        self, feed: store.Feed, now: datetime, result: FetchResult, *, title: str | None, note: str
    ) -> PollOutcome:
        plan = after_success(
            feed.url,
            FeedHealth(),
            now=now,
            interval=self.interval,
            retry_after=result.retry_after,
            max_age=result.max_age,
        )
        assert plan.next_due is not None
        await store.record_fetch(
            self.db,
            feed.id,
            now=now,
            status=result.status,
            error=None,
            next_due_at=plan.next_due,
            etag=result.etag,
            last_modified=result.last_modified,
            title=title,
        )
        if result.permanent_redirect and result.permanent_redirect != feed.url:
            note += "; " + await self._moved(feed, result.permanent_redirect)
        return PollOutcome(feed.id, feed.url, result.status, f"{note}; {plan.note}")

    async def _moved(self, feed: store.Feed, url: str) -> str:
        """Follow a feed that moved for good (every redirect 301/308), so later polls skip the old address.

        Another feed may already live at the new address (someone subscribed to it directly); merging the two
        would mean merging their subscriptions and seen items, so this one keeps following the redirect.
        """
        try:
            url = validate_feed_url(url)
        except FeedURLError as exc:
            log.warning("feed %s moved to an address we cannot use (%s): %s", feed.id, url, exc)
            return f"moved to an unusable address, still polling {feed.url}"
        if await store.move_feed(self.db, feed.id, url):
            log.info("feed %s moved permanently from %s to %s", feed.id, feed.url, url)
            return f"moved permanently to {url}"
        log.info("feed %s moved to %s, which another feed already polls; following the redirect", feed.id, url)
        return f"moved to {url} (already followed as another feed)"

    async def _failed(
        self,
        feed: store.Feed,
        now: datetime,
        status: int | None,
        reason: str,
        retry_after: float | None,
        *,
        parsed: bool = False,
    ) -> PollOutcome:
        health = FeedHealth(feed.consecutive_failures, feed.failing_since, feed.not_found_streak, feed.last_error)
        plan = after_failure(
            feed.url,
            health,
            now=now,
            status=status,
            reason=reason,
            interval=self.interval,
            retry_after=retry_after,
        )
        await store.record_fetch(
            self.db,
            feed.id,
            now=now,
            status=status,
            error=reason,
            next_due_at=plan.next_due or now,
            paused_reason=plan.paused_reason,
            not_found_streak=plan.health.not_found_streak,
        )
        log.warning("feed %s failed: %s (%s)", feed.url, reason, plan.note)
        return PollOutcome(
            feed.id, feed.url, status, plan.note, parsed=parsed, error=reason, paused_reason=plan.paused_reason
        )
