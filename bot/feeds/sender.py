"""The outbox sender: posts queued news to Discord, once, politely, surviving crashes and outages.

Order of operations per delivery is what makes it safe: the attempt is recorded *before* the send, the
delivery is marked sent only *after* Discord returned the message, and every send carries the delivery's
deterministic nonce with ``enforce_nonce``, so a resend of a message Discord already created (a crash or a
5xx after the fact) returns the existing message instead of posting a second one. For an older delivery
that already had an attempt, Discord may have forgotten the nonce, so the channel's recent messages from
Marquee are searched for the same article link before anything is sent again.

Discord itself is behind ``bot.feeds.channels.NewsChannels``: these rules decide by the kind of answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time

import db.feeds as store
from bot.cards import Card
from bot.feeds.channels import ChannelRefused, NewsChannels, PostRejected, SendFailed
from bot.feeds.normalise import NewsItem
from bot.feeds.post import news_card, spoiler_guard_active
from db import Database

log = logging.getLogger(__name__)

# Discord allows 5 messages per 5 s per channel and 50 requests per second overall; stay well under both.
CHANNEL_GAP = 1.25
GLOBAL_GAP = 0.05
PAUSE_CHANNEL_AFTER = 3
RETRY_BASE = timedelta(seconds=2)
RETRY_CAP = timedelta(minutes=30)
BATCH = 50
# One send at a time drains the outbox, so a request Discord never answers would hold up every channel behind it
# for discord.py's 5-minute session timeout. 30 s still lets discord.py's own 5xx retries (1 + 3 + 5 + 7 s) run.
SEND_TIMEOUT = 30.0


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failed send: 2 s, 4 s, 8 s … capped at 30 min."""
    delay: timedelta = RETRY_BASE * 2 ** max(0, min(attempts - 1, 20))
    return min(delay, RETRY_CAP)


def as_news_item(delivery: store.Delivery) -> NewsItem:
    """The stored item in the shape ``news_card`` draws."""
    return NewsItem(
        guid=None,
        link=delivery.link or "",
        title=delivery.title,
        summary=delivery.summary,
        published=delivery.published_at,
        author=None,
        image=delivery.image_url,
        outlet=delivery.outlet,
        outlet_url=None,
        categories=(),
    )


def premiere_of(value: str | None) -> datetime | None:
    """The stored premiere date (``YYYY-MM-DD`` or a full ISO time) as an aware UTC time."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), day_time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        log.warning("ignoring an unreadable premiere date %r", value)
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class OutboxSender:
    """Drains due deliveries oldest first; one ``drain`` at a time."""

    def __init__(self, database: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self.db = database
        self.clock = clock or (lambda: datetime.now(UTC))
        self.channel_gap = CHANNEL_GAP
        self.send_timeout = SEND_TIMEOUT
        self._lock = asyncio.Lock()
        self._last_in_channel: dict[int, float] = {}
        self._last_send = 0.0

    async def drain(self, channels: NewsChannels) -> int:
        """Send every delivery that is due and whose channel is not being paced; return how many were sent.

        A channel that must wait for pacing is skipped for the rest of this round (its later posts too, so
        each channel still gets its news oldest first); the next round picks it up.
        """
        async with self._lock:
            sent = 0
            waiting: set[int] = set()
            for delivery in await store.due_deliveries(self.db, self.clock(), limit=BATCH):
                if delivery.channel_id in waiting:
                    continue
                last = self._last_in_channel.get(delivery.channel_id)
                if last is not None and time.monotonic() - last < self.channel_gap:
                    waiting.add(delivery.channel_id)
                    continue
                if await self._deliver(channels, delivery):
                    sent += 1
                else:
                    waiting.add(delivery.channel_id)
            return sent

    async def _pace(self) -> None:
        gap = GLOBAL_GAP - (time.monotonic() - self._last_send)
        if gap > 0:
            await asyncio.sleep(gap)
        self._last_send = time.monotonic()

    async def _deliver(self, channels: NewsChannels, delivery: store.Delivery) -> bool:
        """Post one delivery; True when it is now sent. Every failure decides what happens to the delivery."""
        if delivery.attempts > 0:
            found = await channels.find_posted(
                delivery.channel_id, delivery.guild_id, nonce=delivery.nonce, link=delivery.link
            )
            if found is not None:
                log.info("delivery %s was already posted as message %s; not sending again", delivery.id, found)
                await store.mark_sent(self.db, delivery, found, self.clock())
                return True
        card = await self._card(delivery)
        await store.mark_attempt(self.db, delivery.id)
        await self._pace()
        self._last_in_channel[delivery.channel_id] = time.monotonic()
        try:
            async with asyncio.timeout(self.send_timeout):
                message_id = await channels.send_card(
                    delivery.channel_id, delivery.guild_id, card, nonce=delivery.nonce
                )
        except ChannelRefused as exc:
            await self._channel_refused(delivery, exc.reason)
            return False
        except PostRejected as exc:
            log.error("Discord refused delivery %s for good (%s)", delivery.id, exc.reason)
            await store.give_up(self.db, delivery.id, exc.reason)
            return False
        except SendFailed as exc:
            await self._retry(delivery, exc.reason)
            return False
        except TimeoutError:
            await self._retry(delivery, "no answer from Discord (TimeoutError)")
            return False
        await store.mark_sent(self.db, delivery, message_id, self.clock())
        log.info("posted %r to channel %s as %s", delivery.title, delivery.channel_id, message_id)
        return True

    async def _card(self, delivery: store.Delivery) -> Card:
        settings = await store.guild_settings(self.db, delivery.guild_id)
        guarded = spoiler_guard_active(premiere_of(settings.premiere_date), settings.spoiler_days, self.clock())
        return news_card(as_news_item(delivery), spoiler_guard=guarded, feed_title=delivery.feed_title)

    async def _retry(self, delivery: store.Delivery, error: str) -> None:
        delay = retry_delay(delivery.attempts + 1)
        log.warning("delivery %s failed (%s); retrying in %s", delivery.id, error, delay)
        await store.retry_later(self.db, delivery.id, error, self.clock() + delay)

    async def _channel_refused(self, delivery: store.Delivery, error: str) -> None:
        now = self.clock()
        paused = await store.channel_failed(
            self.db,
            delivery,
            error,
            now=now,
            retry_at=now + retry_delay(delivery.attempts + 1),
            pause_after=PAUSE_CHANNEL_AFTER,
        )
        log.warning(
            "channel %s refused delivery %s: %s%s",
            delivery.channel_id,
            delivery.id,
            error,
            "; channel paused" if paused else "",
        )
