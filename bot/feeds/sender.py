"""The outbox sender: posts queued news to Discord, once, politely, surviving crashes and outages.

Order of operations per delivery is what makes it safe: the attempt is recorded *before* the send, the
delivery is marked sent only *after* Discord returned the message, and every send carries the delivery's
deterministic nonce with ``enforce_nonce``, so a resend of a message Discord already created (a crash or a
5xx after the fact) returns the existing message instead of posting a second one. For an older delivery
that already had an attempt, Discord may have forgotten the nonce, so the channel's recent messages from
Marquee are searched for the same article link before anything is sent again.

Fairness and speed: the outbox is taken in rounds of at most one post per channel, servers in turn (the round
is chosen in SQL, ``db.feeds.due_deliveries``), so a backlog in one channel delays another channel by at most one
round. Up to ``concurrency`` sends are in flight at once, never two to the same channel (a channel's posts keep
their order, and Discord's 5-per-5-s channel limit is kept by ``channel_gap``), and every request the sender makes
is spaced ``GLOBAL_GAP`` apart, under Discord's 50 per second for the whole bot; discord.py still waits on its own
per-route buckets from the headers.

Several processes share one outbox by channel (``db.feeds.claim_channels``): each round only takes the channels this
process holds a lease on or can take now, renewed while it keeps sending and given back when a channel has nothing
left, so two processes never post in one channel at once. The token's 50 per second is the whole cluster's: with
``members()`` processes alive, each spaces its requests ``GLOBAL_GAP × members()`` apart. A process that dies
mid-channel leaves a lease that runs out; the next holder finds what it may have posted by the nonce and the
channel's history, exactly as a restart does. A channel with more than ``queue_cap`` posts waiting loses the oldest ones
(marked ``dropped`` with the reason, which ``/feeds status`` shows), so a flood cannot grow the outbox for ever.

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
from bot.feeds.channels import ChannelRefused, NewsChannels, PostRejected, SendError, SendFailed
from bot.feeds.leases import give_back_channels, renewing
from bot.feeds.normalise import NewsItem
from bot.feeds.pings import still_fresh
from bot.feeds.post import news_card, spoiler_guard_active
from bot.feeds.threads import thread_title
from bot.node import Node
from bot.settings import Shards
from db import Database

log = logging.getLogger(__name__)

# Discord allows 5 messages per 5 s per channel and 50 requests per second for the whole bot (interaction answers
# aside). The sender keeps to 4 per 5 s in a channel and 45 requests per second of its own, which leaves 5 per
# second for follow-ups, countdown edits and pins; the even spacing also keeps any fixed one-second window at 46.
CHANNEL_GAP = 1.25
GLOBAL_GAP = 1 / 45
PAUSE_CHANNEL_AFTER = 3
RETRY_BASE = timedelta(seconds=2)
RETRY_CAP = timedelta(minutes=30)
BATCH = 50  # channels per round
CONCURRENCY = 4
QUEUE_CAP = 100
OVERFLOW = "more than {cap} posts were waiting for this channel; the oldest were dropped"
# A drain lasts as long as news keeps coming, so the cap is applied again this often while it runs, not only at its
# start (a channel fed faster than its 4 posts per 5 s would otherwise grow past it).
CAP_EVERY = 5.0
# A request Discord never answers holds one of the few send slots (and its channel) until this passes, not for
# discord.py's 5-minute session timeout. 30 s still lets discord.py's own 5xx retries (1 + 3 + 5 + 7 s) run.
SEND_TIMEOUT = 30.0
PING_WINDOW = timedelta(minutes=10)  # one ping per role per channel (``Limits.ping_window_seconds``)
LEASE = timedelta(seconds=30)  # how long a channel stays this process's unrenewed (``Limits.lease_seconds``)


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
    """Drains due deliveries in fair rounds with a few sends in flight; one ``drain`` at a time."""

    def __init__(
        self,
        database: Database,
        *,
        clock: Callable[[], datetime] | None = None,
        concurrency: int = CONCURRENCY,
        queue_cap: int = QUEUE_CAP,
        ping_window: timedelta = PING_WINDOW,
        node: Node | None = None,
        members: Callable[[], int] = lambda: 1,
        hosted: Shards | None = None,
    ) -> None:
        self.db = database
        self.node = node or Node.for_this_process(LEASE)
        self.members = members
        self.hosted = hosted
        self.ping_window = ping_window
        self.clock = clock or (lambda: datetime.now(UTC))
        self.channel_gap = CHANNEL_GAP
        self.global_gap = GLOBAL_GAP  # this process's share is ``global_gap × members()``
        self.send_timeout = SEND_TIMEOUT
        self.concurrency = concurrency
        self.queue_cap = queue_cap
        self.cap_every = CAP_EVERY
        self._lock = asyncio.Lock()
        self._last_in_channel: dict[int, float] = {}
        self._next_request = 0.0

    async def drain(self, channels: NewsChannels) -> int:
        """Send every delivery that is due, in rounds, until only later ones are left; return how many were sent.

        A channel sent to less than ``channel_gap`` ago, or with a send in flight, sits the round out; when only
        such channels have news left, the drain waits for the first of them to be free rather than returning, so
        a long backlog keeps flowing at the channel's pace while every new round still picks up other channels.
        Cancelling the drain (shutdown) cancels the sends in flight: their attempts are recorded, and the next
        start finds them through the nonce and the channel's history.
        """
        async with self._lock, renewing(self.node, self._renew, "channels being sent to"):
            sent = 0
            flying: dict[int, asyncio.Task[bool]] = {}  # channel id -> its one send in flight
            capped_at: float | None = None
            try:
                while True:
                    sent += self._collect(flying)
                    if capped_at is None or time.monotonic() - capped_at >= self.cap_every:
                        await self._drop_overflow()
                        capped_at = time.monotonic()
                    resting = self._resting()
                    skip = resting.keys() | flying.keys()
                    due = await store.due_deliveries(
                        self.db,
                        self.clock(),
                        limit=BATCH + len(skip),
                        holder=self.node,
                        members=self._members(),
                        hosted=self.hosted,
                    )
                    ready = [d for d in due if d.channel_id not in skip][:BATCH]
                    if not ready:
                        waits = [resting[d.channel_id] for d in due if d.channel_id in resting]
                        if not waits and not flying:
                            return sent
                        await self._wait_for_room(flying, min(waits, default=None))
                        continue
                    for delivery in ready:
                        while len(flying) >= self.concurrency:
                            await self._wait_for_room(flying, None)
                            sent += self._collect(flying)
                        task = asyncio.create_task(self._deliver(channels, delivery), name=f"send {delivery.id}")
                        flying[delivery.channel_id] = task
            except asyncio.CancelledError:
                # Shutting down: with nothing in flight any more, the channels go back at once. (After an unexpected
                # error they are left to run out: the caller's next drain renews them, or another process takes them.)
                await self._stop(flying)
                await give_back_channels(self.db, self.node)
                raise
            finally:
                await self._stop(flying)

    @staticmethod
    async def _stop(flying: dict[int, asyncio.Task[bool]]) -> None:
        """Cancel the sends in flight and wait for them: their attempts are recorded, and whoever sends next finds
        them through the nonce and the channel's history."""
        for task in flying.values():
            task.cancel()
        if flying:
            await asyncio.gather(*flying.values(), return_exceptions=True)

    def _members(self) -> int:
        """The live processes sharing the token (at least this one)."""
        return max(1, self.members())

    async def _renew(self) -> None:
        await store.renew_channels(self.db, self.node, self.clock())

    async def _drop_overflow(self) -> None:
        """Drop each channel's oldest waiting posts beyond ``queue_cap``.

        A post in flight may be among them: if Discord confirms it, ``mark_sent`` makes it sent after all.
        """
        dropped = await store.drop_overflow(self.db, self.queue_cap, OVERFLOW.format(cap=self.queue_cap))
        if dropped:
            log.warning("dropped %d queued post(s) beyond %d per channel", dropped, self.queue_cap)

    @staticmethod
    def _collect(flying: dict[int, asyncio.Task[bool]]) -> int:
        """Forget finished sends; how many of them posted (an unexpected error is raised here)."""
        done = [channel for channel, task in flying.items() if task.done()]
        return sum(1 for channel in done if flying.pop(channel).result())

    def _resting(self) -> dict[int, float]:
        """Channels still inside their gap, with the monotonic time each may be sent to again."""
        now = time.monotonic()
        for channel in [c for c, last in self._last_in_channel.items() if now - last >= self.channel_gap]:
            del self._last_in_channel[channel]
        return {c: last + self.channel_gap for c, last in self._last_in_channel.items()}

    @staticmethod
    async def _wait_for_room(flying: dict[int, asyncio.Task[bool]], until: float | None) -> None:
        """Until a send finishes or the monotonic time ``until`` comes, whichever is first."""
        timeout = None if until is None else max(0.0, until - time.monotonic())
        if flying:
            await asyncio.wait(flying.values(), timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        elif timeout is not None:
            await asyncio.sleep(timeout)

    async def _pace(self) -> None:
        """Space every request of the sender ``global_gap × members()`` apart, whichever send makes it: the
        cluster's processes together stay under the token's global limit.

        The slot is taken before the sleep, with no await in between, so concurrent sends queue up in order.
        """
        now = time.monotonic()
        slot = max(now, self._next_request)
        self._next_request = slot + self.global_gap * self._members()
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _deliver(self, channels: NewsChannels, delivery: store.Delivery) -> bool:
        """Post one delivery; True when it is now sent. Every failure decides what happens to the delivery."""
        if delivery.posted_id is not None:  # posted already; only its discussion thread is owed
            await store.mark_attempt(self.db, delivery.id)
            return await self._posted(channels, delivery, delivery.posted_id)
        if delivery.attempts > 0:
            await self._pace()
            found = await self._find(channels, delivery)
            if found is not None:
                log.info("delivery %s was already posted as message %s; not sending again", delivery.id, found)
                return await self._posted(channels, delivery, found)
        card = await self._card(delivery)
        ping = await self._ping(delivery)
        await store.mark_attempt(self.db, delivery.id)
        await self._pace()
        self._last_in_channel[delivery.channel_id] = time.monotonic()
        try:
            async with asyncio.timeout(self.send_timeout):
                message_id = await self._post(channels, delivery, card, ping)
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
        log.info("posted %r to channel %s as %s", delivery.title, delivery.channel_id, message_id)
        return await self._posted(channels, delivery, message_id)

    # -- a thread per story ---------------------------------------------------------------------------------
    # A forum post is a thread whose first message is the card, made in one request that carries no nonce (Discord
    # drops it), so a retry first looks for the post by its title and link. A text channel's post keeps its nonce;
    # its thread is started after the message is recorded, and a message has at most one thread (160004 means it
    # is there), so a crash anywhere in between gives one message and one thread.

    async def _find(self, channels: NewsChannels, delivery: store.Delivery) -> int | None:
        if delivery.style.kind == "forum":
            title = thread_title(delivery.title, delivery.feed_title)
            return await channels.find_forum_post(
                delivery.channel_id, delivery.guild_id, title=title, link=delivery.link
            )
        return await channels.find_posted(
            delivery.channel_id, delivery.guild_id, nonce=delivery.nonce, link=delivery.link
        )

    async def _post(self, channels: NewsChannels, delivery: store.Delivery, card: Card, ping: int | None) -> int:
        if delivery.style.kind == "forum":
            title = thread_title(delivery.title, delivery.feed_title)
            return await channels.post_in_forum(
                delivery.channel_id, delivery.guild_id, card, title=title, tag_id=delivery.style.tag_id
            )
        return await self._send_card(channels, delivery, card, ping)

    async def _posted(self, channels: NewsChannels, delivery: store.Delivery, message_id: int) -> bool:
        """The post exists: record it, with its thread when the subscription wants one; True when now sent."""
        if delivery.style.kind != "thread":
            thread_id = message_id if delivery.style.kind == "forum" else None
            await store.mark_sent(self.db, delivery, message_id, self.clock(), thread_id=thread_id)
            return True
        if delivery.posted_id is None:
            await store.mark_posted(self.db, delivery.id, message_id)
        await self._pace()
        name = thread_title(delivery.title, delivery.feed_title)
        started: int | None = None
        try:
            async with asyncio.timeout(self.send_timeout):
                started = await channels.start_thread(delivery.channel_id, delivery.guild_id, message_id, name=name)
        except ChannelRefused as exc:
            await self._no_thread(channels, delivery, exc.reason, say=not exc.gone)
        except PostRejected as exc:
            await self._no_thread(channels, delivery, exc.reason, say=False)
        except SendFailed as exc:
            await self._retry(delivery, exc.reason)
            return False
        except TimeoutError:
            await self._retry(delivery, "no answer from Discord (TimeoutError)")
            return False
        await store.mark_sent(self.db, delivery, message_id, self.clock(), thread_id=started)
        if started is not None and delivery.thread_refused and delivery.subscription_id is not None:
            await store.thread_allowed_again(self.db, delivery.subscription_id)
        return True

    async def _no_thread(self, channels: NewsChannels, delivery: store.Delivery, reason: str, *, say: bool) -> None:
        """The post stands without its thread: never silently, and the channel hears it once, not per post."""
        log.warning("delivery %s posted without its thread: %s", delivery.id, reason)
        if not say or delivery.subscription_id is None:
            return
        if await store.note_thread_refused(self.db, delivery.subscription_id):
            try:
                await channels.say_no_thread(delivery.channel_id, delivery.guild_id, reason=reason)
            except SendError as exc:
                log.warning("could not tell channel %s its threads are refused: %s", delivery.channel_id, exc.reason)

    @staticmethod
    async def _send_card(channels: NewsChannels, delivery: store.Delivery, card: Card, ping: int | None) -> int:
        """Post the card as a message, with the role's ping when ``ping`` is set (a quiet post goes out exactly
        as before role pings, so every ``NewsChannels`` keeps working)."""
        if ping is None:
            return await channels.send_card(delivery.channel_id, delivery.guild_id, card, nonce=delivery.nonce)
        return await channels.send_card(
            delivery.channel_id, delivery.guild_id, card, nonce=delivery.nonce, ping_role=ping
        )

    async def _ping(self, delivery: store.Delivery) -> int | None:
        """The role this send pings, if any, decided from the delivery's own record (``bot.feeds.pings``).

        Only a post queued fresh with a matching role may ping, only while it is still fresh (a post held back by
        a paused channel or an outage goes out quietly), and the choice is made once, before the first send, and
        recorded: a retry resends with the same choice (the nonce makes Discord answer with the first message if
        it exists), an attempt that went out without a ping never gains one, and a recovered post is not resent.
        """
        if delivery.ping_role_id is None or not still_fresh(delivery.queued_at, self.clock()):
            return None
        if delivery.pinged:
            return delivery.ping_role_id
        if delivery.attempts > 0:
            return None
        if await store.claim_ping(self.db, delivery, self.clock(), self.ping_window):
            return delivery.ping_role_id
        log.info("delivery %s posts without a ping: role %s was pinged here lately", delivery.id, delivery.ping_role_id)
        return None

    async def _card(self, delivery: store.Delivery) -> Card:
        settings = await store.guild_settings(self.db, delivery.guild_id)
        guarded = spoiler_guard_active(premiere_of(settings.premiere_date), settings.spoiler_days, self.clock())
        sources = await store.delivery_sources(self.db, delivery.id)
        return news_card(
            as_news_item(delivery), spoiler_guard=guarded, feed_title=delivery.feed_title, sources=sources
        )

    # -- edits (bot.feeds.editor) share the card and the pace ----------------------------------------------------

    async def card_for(self, delivery: store.Delivery) -> Card:
        """The card the delivery shows now: its item's latest text and the other outlets with the story."""
        return await self._card(delivery)

    async def wait_turn(self, channel_id: int) -> None:
        """Wait until one more request to ``channel_id`` keeps to the posts' pace (the channel's gap, the global
        gap), and count it: an edit spends the same per-channel allowance at Discord as a post."""
        free_at = self._resting().get(channel_id)
        if free_at is not None:
            await asyncio.sleep(max(0.0, free_at - time.monotonic()))
        self._last_in_channel[channel_id] = time.monotonic()
        await self._pace()

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
