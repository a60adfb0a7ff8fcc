"""What the feed watcher's storage hands out, and how a row becomes one.

The records are frozen: they are snapshots of rows, and a change goes through a query function, never through a
record. Each converter sits next to the record it fills, so a renamed column is fixed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from db.database import Row
from db.times import from_text


@dataclass(frozen=True, slots=True)
class Article:
    """What a post shows of an item: stored once with the item, handed back with each of its deliveries."""

    title: str
    link: str | None
    outlet: str | None
    summary: str
    image_url: str | None
    published_at: datetime


@dataclass(frozen=True, slots=True)
class NewItem(Article):
    """An item as the feed watcher read it, ready to store."""

    item_key: str
    story_key: str  # the main story key, which groups a story's posts in /news
    aliases: tuple[str, ...] = ()  # the item's other identity keys (the link of an item with a guid)
    # Every key that makes another feed's item the same story (canonical link, distinctive headline); an item that
    # shares any of them with one a channel had within 48 hours is not posted there again.
    story_keys: tuple[str, ...] = ()
    # A digest of the normalised headline and summary: a different one on a known item is a material change.
    text_key: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    """Where one new item should be posted: a subscription's channel."""

    subscription_id: int
    guild_id: int
    channel_id: int
    nonce: str
    ping_role_id: int | None = None  # the role this post may ping, when its words matched (role pings)


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str
    etag: str | None
    last_modified: str | None
    last_fetch_at: datetime | None
    last_status: int | None
    last_error: str | None
    next_due_at: datetime
    consecutive_failures: int
    failing_since: datetime | None
    paused_reason: str | None
    pause_announced: bool
    not_found_streak: int = 0


@dataclass(frozen=True, slots=True)
class PostStyle:
    """How a subscription's articles appear: a message, a message with its own discussion thread, or a forum post
    (with the forum tag chosen at subscribe time, if any)."""

    kind: Literal["message", "thread", "forum"] = "message"
    tag_id: int | None = None


PLAIN = PostStyle()  # a message per article, as before threads


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    feed_id: int
    guild_id: int
    channel_id: int
    include_words: str
    exclude_words: str
    feed_url: str
    feed_title: str
    style: PostStyle = PLAIN
    ping_role_id: int | None = None  # the role its news pings, or None (role pings)
    ping_words: str = ""  # words one of which must match for a ping; empty: every post may ping


@dataclass(frozen=True, slots=True)
class Delivery(Article):
    id: int
    item_id: int
    guild_id: int
    channel_id: int
    nonce: str
    attempts: int
    feed_title: str
    ping_role_id: int | None = None  # set only for a post queued fresh whose words matched (role pings)
    pinged: bool = False  # the sender chose to ping with this post (recorded before its first send)
    queued_at: datetime | None = None
    style: PostStyle = PLAIN  # the subscription's, read with the delivery
    subscription_id: int | None = None
    posted_id: int | None = None  # a message already posted whose discussion thread is still owed
    thread_refused: bool = False  # the channel was told its threads are refused, and none went through since


@dataclass(frozen=True, slots=True)
class FeedStatus:
    subscription: Subscription
    feed: Feed
    posted_here: int
    dropped_here: int = 0  # posts of this feed the channel never got (queue full, or Discord refused them)
    dropped_reason: str | None = None  # why the latest of them was dropped
    edited_here: int = 0  # edits of its posts here in the last day (an article changed, another outlet had it)


@dataclass(frozen=True, slots=True)
class Post:
    title: str
    link: str | None
    outlet: str | None
    published_at: datetime
    channel_id: int
    message_id: int | None
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class GuildFeedSettings:
    guild_id: int
    blocked_domains: tuple[str, ...]
    blocked_patterns: tuple[str, ...]
    spoiler_days: int
    premiere_date: str | None


def feed_from_row(row: Row) -> Feed:
    next_due = from_text(row["next_due_at"])
    assert next_due is not None
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetch_at=from_text(row["last_fetch_at"]),
        last_status=row["last_status"],
        last_error=row["last_error"],
        next_due_at=next_due,
        consecutive_failures=row["consecutive_failures"],
        failing_since=from_text(row["failing_since"]),
        paused_reason=row["paused_reason"],
        pause_announced=bool(row["pause_announced"]),
        not_found_streak=row["not_found_streak"],
    )


def subscription_from_row(row: Row) -> Subscription:
    """A row of a subscription joined with its feed (``feed_url`` and ``feed_title`` come from the feed)."""
    return Subscription(
        id=row["id"],
        feed_id=row["feed_id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        include_words=row["include_words"],
        exclude_words=row["exclude_words"],
        feed_url=row["feed_url"],
        feed_title=row["feed_title"],
        ping_role_id=row["ping_role_id"],
        ping_words=row["ping_words"],
        style=post_style(row["post_style"], row["forum_tag_id"]),
    )


def post_style(kind: str | None, tag_id: int | None) -> PostStyle:
    """The stored style (``None`` where no subscription is left), checked against the three the schema allows."""
    if kind == "thread":
        return PostStyle("thread")
    if kind == "forum":
        return PostStyle("forum", tag_id)
    return PLAIN
