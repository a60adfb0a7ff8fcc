"""The world of the cluster benchmark: servers spread evenly over the shards, feeds that count their fetches, and
what fakediscord's ledger says each bot process sent.

fakediscord gives a guild the id of its creation millisecond (``(ms << 22) | …``), so Discord's shard formula
``(guild_id >> 22) % count`` puts it on shard ``ms % count``: guilds created in a tight loop land unevenly, and a
shard over 2,500 guilds is refused with 4011 as on Discord. ``ShardedIds`` hands out ids whose millisecond is
chosen instead, so guild *n* lands on shard ``n % count`` exactly; once the world is built it gives Discord-shaped
ids from the real clock again (later ones, since the chosen milliseconds lie an hour back).
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiohttp import web
from feedfarm import FeedFarm
from report import percentile

from bot.feeds.schedule import next_slot
from fakediscord.gateway_protocol import shard_for
from fakediscord.server import FakeDiscord
from fakediscord.world import DISCORD_EPOCH_MS, Channel, Snowflakes

MESSAGES = re.compile(r"^/channels/(\d+)/messages$")
PID_TAG = re.compile(r"marquee-pid/(\d+)")
FEED_PATH = re.compile(r"^/feeds/(\d+)\.xml$")


class ShardedIds(Snowflakes):
    """Snowflakes whose creation millisecond can be aimed at a shard (``aim``) while ``building``."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.building = True
        self._ms = int(time.time() * 1000) - DISCORD_EPOCH_MS - 3_600_000
        self._serial = itertools.count()

    def aim(self, shard: int) -> None:
        """Make the next id's millisecond fall on ``shard``."""
        while (self._ms + 1) % self.count != shard:
            self._ms += 1

    def next(self) -> int:
        if not self.building:
            return super().next()
        self._ms += 1
        return (self._ms << 22) | (1 << 17) | (next(self._serial) % 4096)


def sharded_news_channels(fd: FakeDiscord, guilds: int, shards: int) -> list[Channel]:
    """``guilds`` fan servers with Marquee in them, guild *n* on shard ``n % shards``; their #general channels."""
    ids = ShardedIds(shards)
    fd.world.ids = ids
    channels = []
    for n in range(guilds):
        ids.aim(n % shards)
        channels.append(fd.general(fd.add_guild(f"Fan server {n}")))
    ids.building = False
    spread = Counter(shard_for(c.guild.id, shards) for c in channels)
    assert max(spread.values()) - min(spread.values()) <= 1, spread
    return channels


class CountingFarm(FeedFarm):
    """The loopback feed farm, remembering when each feed was fetched (monotonic seconds)."""

    def __init__(self, hosts: int = 10, latency: float = 0.05) -> None:
        super().__init__(hosts, latency)
        self.fetches: dict[int, list[float]] = defaultdict(list)

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        found = FEED_PATH.match(request.path)
        if found:
            self.fetches[int(found.group(1))].append(time.monotonic())
        return await super()._serve(request)


@dataclass
class IntervalRow:
    start: float  # monotonic seconds: the interval's window of slots starts here
    counts: list[int]  # fetches of each feed in the interval around its slot

    @property
    def summary(self) -> tuple[int, float, int, int, int]:
        """min, median, max, feeds fetched 0 times, feeds fetched more than once."""
        c = self.counts
        return min(c), percentile(c, 0.5), max(c), sum(1 for n in c if n == 0), sum(1 for n in c if n > 1)


def fetch_intervals(
    farm: CountingFarm, urls: dict[int, str], interval: float, start: float, end: float
) -> list[IntervalRow]:
    """Fetches of every feed in each whole poll interval of [``start``, ``end``] (monotonic seconds).

    Each feed has a fixed slot in the interval (``bot.feeds.schedule``: a hash of its URL); interval *j* counts,
    for every feed, the fetches within half an interval either side of its slot in
    [start + (j + ½)·I, start + (j + 1½)·I). A late fetch (a lease taken over) still falls in its own interval;
    a second process fetching the same feed shows as 2.
    """
    wall_minus_mono = time.time() - time.monotonic()
    step = timedelta(seconds=interval)
    rows = []
    j = 0
    while start + (j + 2) * interval <= end:
        counts = []
        for feed, url in urls.items():
            not_before = datetime.fromtimestamp(start + (j + 0.5) * interval + wall_minus_mono, UTC)
            slot = next_slot(url, not_before, step).timestamp() - wall_minus_mono
            counts.append(sum(1 for t in farm.fetches.get(feed, []) if slot - interval / 2 <= t < slot + interval / 2))
        rows.append(IntervalRow(start + j * interval, counts))
        j += 1
    return rows


@dataclass
class Post:
    time: float  # fakediscord's clock (monotonic seconds) when the request was answered
    channel: int
    pid: int  # the bot process that sent it (its User-Agent tag; 0 when untagged)
    status: int


@dataclass
class Tally:
    """Message requests read from fakediscord's ledger as they come (only the new entries each time).

    ``first`` keeps the request that made each channel's first message. Later 200s into the same channel are a
    repeated nonce answered with the message already there (``enforce_nonce``) or a duplicate, which the channel's
    messages show.
    """

    fd: FakeDiscord
    posts: list[Post] = field(default_factory=list)
    first: dict[int, Post] = field(default_factory=dict)
    seen: int = 0

    def update(self) -> None:
        ledger = self.fd.ledger
        for entry in ledger[self.seen :]:
            found = MESSAGES.match(entry.path)
            if entry.method == "POST" and found:
                tag = PID_TAG.search(entry.headers.get("User-Agent", ""))
                post = Post(entry.time, int(found.group(1)), int(tag.group(1)) if tag else 0, entry.status)
                self.posts.append(post)
                if post.status == 200:
                    self.first.setdefault(post.channel, post)
        self.seen = len(ledger)

    def channels_posted(self) -> int:
        self.update()
        return len(self.first)

    def created(self) -> list[Post]:
        """The first message of each channel, in time order."""
        return sorted(self.first.values(), key=lambda p: p.time)


class GlobalLimitHits:
    """Counts 429s of the global (per-token) limit, which fakediscord's ledger does not tell from route 429s."""

    def __init__(self, fd: FakeDiscord) -> None:
        self.times: list[float] = []
        original = fd.ratelimits.check_global

        def counting(token: str = "") -> object:
            verdict = original(token)
            if verdict is not None and verdict.is_global:
                self.times.append(fd.clock.now())
            return verdict

        fd.ratelimits.check_global = counting  # type: ignore[method-assign,assignment]


def shards_connected(fd: FakeDiscord) -> set[int]:
    """The shard ids with a live gateway session."""
    return {s.shard[0] for s in fd.hub.sessions.values() if s.connection is not None and s.shard is not None}
