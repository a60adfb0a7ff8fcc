"""Role pings on news: which post may ping, which role a moderator may choose, and what counts as fresh news.

A ping is a promise to a fan that something just happened, so the rules are narrow on purpose. A subscription
names one role and, optionally, the words that must appear (whole words or phrases, any case, in the headline or
summary) for a post to ping it. Only news queued *fresh* may ping: never a subscription's backfill, never a poll
catching up after an outage or a paused feed (``catching_up``), never a post held back in the outbox (a paused
channel, Discord down, Marquee away) beyond ``FRESH_FOR`` (``OutboxSender`` checks that at send time), and at most
once per role per channel per ``Limits.ping_window_seconds``. Edits never ping: the ping is decided by the sender
from the delivery's own record, and only the first send of a post carries it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import db.feeds as store
from bot.errors import UserFacingError
from bot.feeds.filters import FilterError, Keyword, parse_keywords
from bot.feeds.normalise import NewsItem

# News older than this when it would go out is catch-up, posted quietly: a poll that ran this late (Marquee was
# down), a feed that was failing for this long, a post that waited this long in the outbox. Normal posts go out
# within seconds; a channel's backlog of 100 posts at 4 per 5 s takes about two minutes.
FRESH_FOR = timedelta(minutes=5)
# Names Discord members read as a mass ping, whatever the role really is.
MASS_PING_NAMES = frozenset({"everyone", "here"})


@dataclass(frozen=True, slots=True)
class PingRole:
    """What the rules need to know of a role a moderator picked (the cog reads it from Discord)."""

    id: int
    name: str
    everyone: bool  # the server's @everyone role itself
    mentionable: bool  # "Allow anyone to @mention this role"


def ping_refusal(role: PingRole, *, can_mention_everyone: bool, channel: str) -> UserFacingError | None:
    """Why ``role`` cannot be the ping of a subscription posting in ``channel``, or ``None`` when it can.

    Marquee may mention a role that is mentionable, or any role where it has Mention Everyone; it never pings
    @everyone or @here, nor a role whose name makes its mention read as one.
    """
    if role.everyone or role.name.strip().lstrip("@").casefold() in MASS_PING_NAMES:
        return UserFacingError("Marquee never pings @everyone or @here; pick a role that fans can join for the news.")
    if not role.mentionable and not can_mention_everyone:
        return UserFacingError(
            "I cannot ping @{role} in {channel}: the role is not mentionable and I do not have Mention Everyone "
            "there. Turn on “Allow anyone to @mention this role” in the role's settings, or give me "
            "“Mention @everyone, @here, and All Roles” in that channel; then try again.",
            role=role.name,
            channel=channel,
        )
    return None


@functools.lru_cache(maxsize=256)
def _words(text: str) -> tuple[Keyword, ...] | None:
    """The stored ping words compiled; ``None`` when they no longer validate (then nothing pings)."""
    try:
        return parse_keywords(text)
    except FilterError:
        return None


def wants_ping(item: NewsItem, words: str) -> bool:
    """Whether ``item`` matches a subscription's ping words: any of them in its headline or summary (no words:
    every post may ping)."""
    keywords = _words(words)
    if keywords is None:
        return False
    if not keywords:
        return True
    text = f"{item.title}\n{item.summary}"
    return any(keyword.found_in(text) for keyword in keywords)


def catching_up(feed: store.Feed, now: datetime) -> bool:
    """Whether a poll of ``feed`` now brings back news held up by an outage or a pause: the poll runs more than
    ``FRESH_FOR`` late (Marquee was down or behind), or the feed was failing that long, or it was just resumed
    after a pause (``resume_feed`` clears ``failing_since`` but leaves the last error until a fetch succeeds)."""
    if now - feed.next_due_at > FRESH_FOR:
        return True
    if feed.last_error is None:
        return False
    return feed.failing_since is None or now - feed.failing_since > FRESH_FOR


def still_fresh(queued_at: datetime | None, now: datetime) -> bool:
    """Whether a post queued at ``queued_at`` may still ping when it goes out ``now``."""
    return queued_at is not None and now - queued_at <= FRESH_FOR
