"""The feed watcher as one service: every rule and storage call behind ``/feeds``, ``/news`` and the loops.

A newcomer changing how news is stored or delivered starts here. The cog only turns an interaction into one
call of this service and its result into an answer; the poll cycle (``watcher``) and the outbox sender
(``sender``) are this service's parts, and Discord is reached only through ``channels.NewsChannels``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import NotRequired, TypedDict, Unpack

import db.feeds as store
from bot.errors import UserFacingError
from bot.feeds.channels import NewsChannels, SendError
from bot.feeds.cooldowns import FetchCommandRation, Refusal
from bot.feeds.editor import PostEditor
from bot.feeds.fetch import Fetcher
from bot.feeds.filters import DEFAULT_BLOCKED_DOMAINS, FilterError, Keyword, normalise_domain, parse_keywords
from bot.feeds.parse import FeedParser
from bot.feeds.pings import PingRole, ping_refusal
from bot.feeds.post import discord_timestamp
from bot.feeds.refresh import Held, held
from bot.feeds.sender import OutboxSender, premiere_of
from bot.feeds.urls import check_public, validate_feed_url
from bot.feeds.watcher import KEEP_POSTS, FeedWatcher, PollOutcome, Preview, Subscribed
from bot.i18n import Text
from bot.node import Node
from bot.settings import Limits, Shards
from db import Database
from db.feeds import Post as Post  # what /news lists, for the cog to type its rendering without naming db
from db.feeds import PostStyle as PostStyle  # how /feeds add's subscription posts, for the cog to say so

log = logging.getLogger(__name__)

# /feeds status counts the edits of posts (an article that changed, another outlet with the story) over this long.
EDITS_SHOWN = timedelta(hours=24)

REFRESH_EVERY = timedelta(minutes=1)
NO_FEEDS = Text("This server follows no feeds yet: try `/feeds add`.")
NO_SUCH_SUBSCRIPTION = Text("This server has no such subscription; `/feeds list` shows them.")


def keyword_list(text: str | None, what: Text) -> str:
    """The keyword list as typed, after checking it parses; ``UserFacingError`` saying what is wrong."""
    try:
        parse_keywords(text)
    except FilterError as exc:
        raise UserFacingError("The {what} keywords cannot be used: {problem}", what=what, problem=exc.text) from None
    return ", ".join(part.strip() for part in (text or "").split(",") if part.strip())


class Where(TypedDict):
    """Who follows a feed where, with which keywords, and how many current items to post at once."""

    guild_id: int
    channel_id: int
    include: str
    exclude: str
    created_by: int
    backfill: int
    style: NotRequired[store.PostStyle]  # a message per article unless given: a thread on each, or a forum post
    ping_role_id: NotRequired[int | None]  # the role its fresh news pings (role pings), checked by ``check_ping``
    ping_words: NotRequired[str]  # one of these must match for a ping (``ping_words``); empty: every post


@dataclass(frozen=True, slots=True)
class Refresh:
    """``/feeds refresh``: the server's feeds it made due now, and those that wait for their site or backoff."""

    due: frozenset[int]
    held: tuple[Held, ...]


@dataclass(frozen=True, slots=True)
class Status:
    """``/feeds status``: each subscription's feed health, and this server's paused channels with why."""

    entries: list[store.FeedStatus]
    paused_channels: dict[int, str]
    now: datetime
    keep_days: int


@dataclass(frozen=True, slots=True)
class Resumed:
    """What ``/feeds resume`` restarted: the feed's name if it was paused, and whether its channel was."""

    feed: str | None
    channel: bool


@dataclass(frozen=True, slots=True)
class Blocklist:
    """This server's own blocklist, and how many built-in entries stand beside it."""

    domains: tuple[str, ...]
    phrases: tuple[str, ...]
    built_in: int


@dataclass(frozen=True, slots=True)
class SpoilerGuard:
    """The spoiler guard's window, or ``None`` for both when it is off."""

    start: datetime | None
    end: datetime | None


class FeedService:
    """Subscriptions, polls, the outbox and per-server settings of the feed watcher.

    ``outbox_changed`` is set whenever new posts are queued or a channel resumes, so the sender loop runs at
    once instead of at its next tick.
    """

    def __init__(
        self,
        database: Database,
        fetcher: Fetcher,
        *,
        interval: timedelta,
        allow_private: bool,
        parser: FeedParser | None = None,
        clock: Callable[[], datetime] | None = None,
        limits: Limits | None = None,
        node: Node | None = None,
        members: Callable[[], int] = lambda: 1,
        shards: Shards | None = None,
    ) -> None:
        """``node`` is this process as the others sharing the database see it (the holder of its leases on due feeds
        and channels); ``members`` counts the live processes sharing the bot token, whose global request limit the
        sender's pace divides among them; ``shards`` are the gateway shards this process hosts, whose servers' channels
        it prefers to post in (their roles and forums are in its cache)."""
        self.db = database
        self.allow_private = allow_private
        self.limits = limits or Limits()
        self.node = node or Node.for_this_process(timedelta(seconds=self.limits.lease_seconds))
        self.parser = parser or FeedParser(workers=2, timeout=10.0)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.watcher = FeedWatcher(
            database, fetcher, self.parser, interval=interval, clock=self.now, limits=self.limits, node=self.node
        )
        self.sender = OutboxSender(
            database,
            clock=self.now,
            concurrency=self.limits.send_concurrency,
            queue_cap=self.limits.queued_posts_per_channel,
            ping_window=timedelta(seconds=self.limits.ping_window_seconds),
            node=self.node,
            members=members,
            hosted=shards,
        )
        self.editor = PostEditor(
            database,
            card=self.sender.card_for,
            turn=self.sender.wait_turn,
            clock=self.now,
            node=self.node,
            members=members,
            hosted=shards,
        )
        self.outbox_changed = asyncio.Event()
        self._poll_lock = asyncio.Lock()
        self._fetch_ration = FetchCommandRation()

    def now(self) -> datetime:
        return self._clock()

    async def start(self) -> None:
        """Start the parser workers; polls and previews need them."""
        await self.parser.start()

    async def close(self) -> None:
        await self.parser.close()

    # -- /feeds add, /feeds test --------------------------------------------------------------------------------

    def take_fetch_turn(self, guild_id: int, user_id: int) -> None:
        """Count one ``/feeds add`` or ``/feeds test`` against the user's and the server's minute;
        ``FetchCommandsCooldown`` (saying when to try again) once either is used up."""
        refusal = self._fetch_ration.take(
            guild_id,
            user_id,
            per_user=self.limits.feeds_commands_per_user_minute,
            per_server=self.limits.feeds_commands_per_server_minute,
            now=self.now(),
        )
        if refusal is not None:
            raise FetchCommandsCooldown(refusal)

    async def check_room_for_feed(self, guild_id: int) -> None:
        """``UserFacingError`` when the server already follows as many feeds as one server may."""
        count = len(await store.guild_subscriptions(self.db, guild_id))
        if count >= self.limits.feeds_per_server:
            raise UserFacingError(
                "This server follows {count} feeds; one server may follow at most {limit}. "
                "Remove one with `/feeds remove` first.",
                count=count,
                limit=self.limits.feeds_per_server,
            )

    @staticmethod
    def checked_url(url: str) -> str:
        """The address as it will be fetched; ``UserFacingError`` at once when it can never be a feed."""
        return validate_feed_url(url)

    @staticmethod
    def keywords(include: str | None, exclude: str | None) -> tuple[str, str]:
        # The option names, as the user's client shows them.
        return keyword_list(include, Text("include")), keyword_list(exclude, Text("exclude"))

    async def preview(self, url: str) -> Preview:
        """Fetch and read a checked address once (DNS and the fetch can take a while)."""
        await check_public(url, allow_private=self.allow_private)
        return await self.watcher.preview(url)

    async def subscribe(self, preview: Preview, **where: Unpack[Where]) -> Subscribed | None:
        """Follow the previewed feed in a channel; ``None`` when that channel already follows it."""
        await self.check_room_for_feed(where["guild_id"])  # again: another add may have filled it during the fetch
        subscribed = await self.watcher.subscribe(preview, **where)
        if subscribed is not None:
            self.outbox_changed.set()
        return subscribed

    # -- role pings: /feeds add ping_role, /feeds ping ------------------------------------------------------------

    @staticmethod
    def ping_words(words: str | None) -> str:
        """The ping words as they will be matched; ``UserFacingError`` saying what is wrong with them."""
        return keyword_list(words, Text("ping"))

    @staticmethod
    def check_ping(role: PingRole, *, can_mention_everyone: bool, channel: str) -> None:
        """``UserFacingError`` when news in ``channel`` may not ping ``role`` (@everyone, @here, or a role Marquee
        cannot mention there), saying what to change; nothing is changed before this passes."""
        refusal = ping_refusal(role, can_mention_everyone=can_mention_everyone, channel=channel)
        if refusal is not None:
            raise refusal

    async def set_ping(
        self, guild_id: int, subscription_id: int, role_id: int | None, words: str = ""
    ) -> store.Subscription:
        """Make a subscription's fresh news ping ``role_id`` (when one of ``words`` matches), or with ``None``
        ping nobody; posts already waiting keep what they were queued with."""
        changed = await store.set_ping(self.db, guild_id, subscription_id, role_id, words)
        if changed is None:
            raise UserFacingError(NO_SUCH_SUBSCRIPTION)
        return changed

    # -- /feeds list, remove, resume ----------------------------------------------------------------------------

    async def subscriptions(self, guild_id: int) -> list[store.Subscription]:
        return await store.guild_subscriptions(self.db, guild_id)

    async def subscription(self, guild_id: int, subscription_id: int) -> store.Subscription:
        """This server's subscription by id; ``UserFacingError`` for another server's or an unknown one."""
        for subscription in await self.subscriptions(guild_id):
            if subscription.id == subscription_id:
                return subscription
        raise UserFacingError(NO_SUCH_SUBSCRIPTION)

    async def remove(self, guild_id: int, subscription_id: int) -> store.Subscription:
        removed = await store.unsubscribe(self.db, guild_id, subscription_id)
        if removed is None:
            raise UserFacingError(NO_SUCH_SUBSCRIPTION)
        return removed

    async def resume(self, subscription: store.Subscription) -> Resumed:
        """Check a paused feed again and let a paused channel post again, with the news that waited."""
        now = self.now()
        feed = await store.get_feed(self.db, subscription.feed_id)
        feed_name = None
        if feed is not None and feed.paused_reason:
            await store.resume_feed(self.db, feed.id, now)
            feed_name = feed.title or feed.url
        channel = subscription.channel_id in await store.paused_channels(self.db, subscription.guild_id)
        if channel:
            await store.resume_channel(self.db, subscription.channel_id, now)
            self.outbox_changed.set()
        if feed_name is None and not channel:
            raise UserFacingError("Nothing about that subscription is paused.")
        return Resumed(feed_name, channel)

    # -- /feeds refresh, /feeds status --------------------------------------------------------------------------

    async def claim_refresh(self, guild_id: int) -> Refresh:
        """Make the server's feeds due now, once a minute, except those whose site asked us to wait or that are
        backing off; ``UserFacingError`` when there are none or it is too soon."""
        ours = {f.id for f in await store.guild_feeds(self.db, guild_id)}
        if not ours:
            raise UserFacingError(NO_FEEDS)
        now = self.now()
        waiting: dict[int, Held] = {}

        def choose(feeds: list[store.Feed]) -> list[int]:
            waiting.clear()  # the feeds as the claim's transaction sees them
            waiting.update((h.feed_id, h) for f in feeds if (h := held(f, now=now, interval=self.watcher.interval)))
            return [f.id for f in feeds if f.id not in waiting]

        again = await store.claim_refresh(self.db, guild_id, now, REFRESH_EVERY, choose)
        if again is not None:
            raise RefreshTooSoon(again)
        return Refresh(frozenset(ours - waiting.keys()), tuple(sorted(waiting.values(), key=lambda h: h.until)))

    @staticmethod
    def own_outcomes(outcomes: list[PollOutcome], feed_ids: frozenset[int]) -> list[PollOutcome]:
        """What ``/feeds refresh`` reports of a poll: the server's own feeds only."""
        return [o for o in outcomes if o.feed_id in feed_ids]

    async def status(self, guild_id: int) -> Status:
        now = self.now()
        entries = await store.guild_status(self.db, guild_id, since=now - KEEP_POSTS)
        entries = [
            replace(
                entry,
                edited_here=await store.edits_here(
                    self.db, feed_id=entry.feed.id, channel_id=entry.subscription.channel_id, since=now - EDITS_SHOWN
                ),
            )
            for entry in entries
        ]
        paused = await store.paused_channels(self.db, guild_id) if entries else {}
        return Status(entries, paused, now, KEEP_POSTS.days)

    # -- /feeds block, unblock, spoilers ------------------------------------------------------------------------

    async def blocklist(self, guild_id: int, *, domain: str | None = None, phrase: str | None = None) -> Blocklist:
        """This server's blocklist, after adding ``domain`` and ``phrase`` when given."""
        settings = await store.guild_settings(self.db, guild_id)
        domains, phrases = list(settings.blocked_domains), list(settings.blocked_patterns)
        try:
            if domain:
                domains.append(normalise_domain(domain))
            if phrase:
                phrases.append(Keyword.compile(phrase).text)
        except FilterError as exc:
            raise UserFacingError(exc.text) from None
        if domain or phrase:
            before = len(settings.blocked_domains) + len(settings.blocked_patterns)
            settings = replace(
                settings, blocked_domains=tuple(dict.fromkeys(domains)), blocked_patterns=tuple(dict.fromkeys(phrases))
            )
            after = len(settings.blocked_domains) + len(settings.blocked_patterns)
            if after > before and after > self.limits.blocklist_per_server:
                raise UserFacingError(
                    "This server blocks {count} sites and phrases; one server may block at most {limit}. "
                    "Remove one with `/feeds unblock` first.",
                    count=before,
                    limit=self.limits.blocklist_per_server,
                )
            await store.save_guild_settings(self.db, settings)
        return Blocklist(settings.blocked_domains, settings.blocked_patterns, len(DEFAULT_BLOCKED_DOMAINS))

    async def unblock(self, guild_id: int, entry: str) -> None:
        settings = await store.guild_settings(self.db, guild_id)
        domains = tuple(d for d in settings.blocked_domains if d != entry.strip().lower())
        phrases = tuple(p for p in settings.blocked_patterns if p.casefold() != entry.strip().casefold())
        if (domains, phrases) == (settings.blocked_domains, settings.blocked_patterns):
            raise UserFacingError("“{entry}” is not on this server's blocklist; `/feeds block` shows it.", entry=entry)
        await store.save_guild_settings(self.db, replace(settings, blocked_domains=domains, blocked_patterns=phrases))

    async def spoilers(self, guild_id: int, days: int, premiere: str | None) -> SpoilerGuard:
        """Hide headlines for ``days`` after the premiere (kept from before when not given); 0 turns it off."""
        settings = await store.guild_settings(self.db, guild_id)
        date_text = settings.premiere_date
        if premiere is not None:
            try:
                date_text = date.fromisoformat(premiere.strip()).isoformat()
            except ValueError:
                raise UserFacingError("Give the premiere as year-month-day, like 2027-01-29.") from None
        if days and date_text is None:
            raise UserFacingError("Tell me the premiere date too, like `premiere:2027-01-29`.")
        await store.save_guild_settings(self.db, replace(settings, spoiler_days=days, premiere_date=date_text))
        start = premiere_of(date_text) if days else None
        return SpoilerGuard(start, None if start is None else start + timedelta(days=days))

    # -- /news --------------------------------------------------------------------------------------------------

    async def recent_posts(self, guild_id: int, count: int) -> list[store.Post]:
        return await store.recent_posts(self.db, guild_id, count)

    # -- the background work ------------------------------------------------------------------------------------

    async def poll_once(self, *, everything: bool = False) -> list[PollOutcome]:
        """Poll the due feeds (all followed, unpaused feeds with ``everything``), one cycle at a time.

        Feeds this cycle paused are told to their channels by ``announce_pauses``, after the caller has
        passed the new items on.
        """
        async with self._poll_lock:
            if everything:
                await store.make_all_due(self.db, self.now())
            outcomes = await self.watcher.poll_due()
        if any(o.queued for o in outcomes):
            self.outbox_changed.set()
        return outcomes

    async def send_due(self, channels: NewsChannels) -> int:
        """Send what the outbox holds that is due now, then the edits of posts already made (an article that
        changed, a story another outlet reported too); how many posts went out."""
        sent = await self.sender.drain(channels)
        await self.editor.drain(channels)
        return sent

    async def announce_pauses(self, channels: NewsChannels) -> None:
        """Tell each channel of a newly paused feed, once, why its news stopped."""
        for feed, subscriptions in await store.unannounced_pauses(self.db):
            for sub in subscriptions:
                try:
                    await channels.say_paused(
                        sub.channel_id, sub.guild_id, feed=feed.title or feed.url, reason=feed.paused_reason or ""
                    )
                except SendError as exc:
                    log.warning("could not tell channel %s that feed %s paused: %s", sub.channel_id, feed.id, exc)
            await store.mark_pause_announced(self.db, feed.id)

    async def prune_once(self) -> int:
        """Forget finished deliveries older than ``KEEP_POSTS`` (pending ones never), then the items gone from
        their feed for as long; returns how many deliveries and items were forgotten.

        An item is what tells a feed's old articles from new ones, so only one its feed no longer shows goes, and
        its keys are kept: an article the feed shows again months later is still not news.
        """
        forgotten = await self.watcher.forget_old_posts()
        if forgotten:
            log.info("forgot %d deliveries older than %d days", forgotten, KEEP_POSTS.days)
        now = self.now()
        items = await store.prune_items(self.db, before=now - KEEP_POSTS, now=now)
        if items:
            log.info("forgot %d items gone from their feeds for %d days", items, KEEP_POSTS.days)
        return forgotten + items


class FetchCommandsCooldown(UserFacingError):
    """``/feeds add`` or ``/feeds test`` beyond the user's or the server's minute; ``again`` says when it works."""

    def __init__(self, refusal: Refusal) -> None:
        when = discord_timestamp(refusal.again, "R")
        if refusal.scope == "user":
            super().__init__(
                "You have used `/feeds add` and `/feeds test` {limit} times in the last minute; try again {when}.",
                limit=refusal.limit,
                when=when,
            )
        else:
            super().__init__(
                "This server has used `/feeds add` and `/feeds test` {limit} times in the last minute; "
                "try again {when}.",
                limit=refusal.limit,
                when=when,
            )
        self.again = refusal.again


class RefreshTooSoon(UserFacingError):
    """``/feeds refresh`` again within a minute; ``again`` says when it is allowed."""

    def __init__(self, again: datetime) -> None:
        super().__init__("Feeds were just checked; you can refresh again {when}.", when=discord_timestamp(again, "R"))
        self.again = again
