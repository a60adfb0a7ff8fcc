"""Benchmark 9: one server's backlog against another server's single new post (issue #12, item 2).

``python -m bot`` runs as its own process against fakediscord (Discord's default limits). One server's channel has
a backlog of N posts waiting in the outbox (a flood of ``backfill`` or a feed that re-issued everything); once the
backlog is flowing, another server's feed brings one new article, queued in the database exactly as the watcher
queues it. The figure: the time from that article being queued to its post in the other server, and how many of
the flooded channel's posts went out in between (target: under 3 s, at most one). The same is measured in the same
run with the sender as it was before fair rounds (``bench/oldsender.py``, put in place in the bot process by
``bench/oldsender_site/sitecustomize.py``), for the issue's 60-post backlog and for N.

The queue cap (``QUEUED_POSTS_PER_CHANNEL``) is raised to 10,000 for the run, so the backlog stays whole: this
measures the order of sending, not the dropping of old posts.

Run: ``python bench/fairness.py`` (backlogs of 60 and 1,000, about 2 minutes) or ``--quick`` (60 and 200).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from botprocess import BotProcess
from fanworld import posts_per_channel
from internals import delivery_nonce_for
from process import python_env
from report import Table, percentile, write_results

import db.feeds as store
from db import Database
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel

log = logging.getLogger(__name__)

OLD_SENDER_SITE = Path(__file__).resolve().with_name("oldsender_site")
TARGET = 3.0
FEED = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
    "<link>https://{slug}.example/</link></channel></rss>"
)


@dataclass
class Outcome:
    """One bot run: the other server's posts, each as (seconds from queued to posted, flooded posts meanwhile)."""

    sender: str
    backlog: int
    waits: list[tuple[float, int]] = field(default_factory=list)
    missed_after: float | None = None  # the post had not gone out after this many seconds
    flooded_meanwhile: int = 0
    limited: int = 0


def article(feed: str, n: int, now: datetime) -> store.NewItem:
    return store.NewItem(
        title=f"{feed} story {n}",
        link=f"https://{feed}.example/{n}",
        outlet=feed,
        summary=f"About {feed} story {n}.",
        image_url=None,
        published_at=now - timedelta(hours=2) + timedelta(seconds=n),
        item_key=f"{feed}-{n}",
        story_key=f"{feed}-{n}",
    )


def to_channel(item: store.NewItem, sub: store.Subscription) -> store.Target:
    return store.Target(sub.id, sub.guild_id, sub.channel_id, delivery_nonce_for(sub, item))


async def follow(database: Database, feed: str, channel: Channel, items: list[store.NewItem]) -> store.Subscription:
    """``channel`` follows ``feed`` with every one of ``items`` queued for it (``backfill`` of them all)."""
    now = datetime.now(UTC)
    subscription = await store.subscribe(
        database,
        url=f"https://{feed}.example/feed",
        title=feed,
        guild_id=channel.guild.id,
        channel_id=channel.id,
        include_words="",
        exclude_words="",
        created_by=channel.guild.owner_id,
        now=now,
        next_due_at=now + timedelta(days=1),  # never polled during the run: the benchmark brings the news
        existing_items=items,
        route=to_channel,
        backfill=len(items),
    )
    assert subscription is not None
    return subscription


async def run(sender: str, backlog: int, victims: int, patience: float, workdir: Path) -> Outcome:
    outcome = Outcome(sender, backlog)
    async with FakeDiscord() as fd:
        flooded = fd.general(fd.add_guild("Flooded server"))
        quiet = fd.general(fd.add_guild("Quiet server"))
        database_path = workdir / f"{sender}-{backlog}.db"
        env = {"QUEUED_POSTS_PER_CHANNEL": "10000"}
        if sender == "before":
            env["PYTHONPATH"] = os.pathsep.join([str(OLD_SENDER_SITE), python_env()["PYTHONPATH"]])
        async with await Database.open(database_path) as database:
            now = datetime.now(UTC)
            await follow(database, "flood", flooded, [article("flood", n, now) for n in range(backlog)])
            other = await follow(database, "quiet", quiet, [])
            bot = BotProcess(fd, database_path, workdir, name=f"{sender}-{backlog}", **env)
            await bot.start()
            try:
                await fd.wait_until(lambda: posts_per_channel(fd, [flooded])[0] >= 3 or None, 60, "the backlog")
                for n in range(victims):
                    before = posts_per_channel(fd, [flooded])[0]
                    queued = time.monotonic()
                    await store.store_items(
                        database, other.feed_id, [article("quiet", n, datetime.now(UTC))], now=datetime.now(UTC),
                        route=to_channel,
                    )  # fmt: skip
                    try:
                        await fd.wait_until(
                            lambda k=n: posts_per_channel(fd, [quiet])[0] > k or None, patience, "the quiet post"
                        )
                    except TimeoutError:
                        outcome.missed_after = patience
                        outcome.flooded_meanwhile = posts_per_channel(fd, [flooded])[0] - before
                        break
                    outcome.waits.append((time.monotonic() - queued, posts_per_channel(fd, [flooded])[0] - before))
            finally:
                await bot.stop()
    outcome.limited = sum(1 for e in fd.ledger if e.status == 429)
    return outcome


def row(o: Outcome) -> list[object]:
    label = "fair rounds (now)" if o.sender == "after" else "before (50 oldest of all servers, one at a time)"
    if o.missed_after is not None and not o.waits:
        return [o.backlog, label, f"not sent within {o.missed_after:.0f} s", f"{o.flooded_meanwhile}", "-", o.limited]
    waits = [w for w, _ in o.waits]
    return [
        o.backlog,
        label,
        f"{percentile(waits, 0.5):.2f} s",
        f"{max(ahead for _, ahead in o.waits)}",
        f"{max(waits):.2f} s ({len(waits)} posts)",
        o.limited,
    ]


async def measure(backlogs: list[int], victims: int, patience: float, workdir: Path) -> tuple[Table, list[str]]:
    outcomes = []
    for backlog in backlogs:
        outcomes.append(await run("after", backlog, victims, patience, workdir))
        outcomes.append(await run("before", backlog, 1, patience, workdir))
    body = Table.of(
        [
            "backlog in the flooded channel",
            "sender",
            "**queued to posted (median)**",
            "flooded posts sent meanwhile (most)",
            "slowest",
            "429s",
        ],
        [row(o) for o in outcomes],
    )
    notes = [
        f"Target: the other server's post within {TARGET:.0f} s of being queued, after at most one of the flooded "
        "channel's posts. The post is queued from the benchmark's process; the sender sees it at its next look at "
        "the outbox, which while a backlog drains comes whenever a send finishes or a channel's 1.25 s gap ends: "
        "the 1.25 s is that gap. A post the bot's own watcher queues is seen the same way (the watcher's wake-up "
        "starts a drain only when none is running).",
        "The flooded channel itself is paced at one post per 1.25 s (Discord allows 5 per 5 s per channel), so a "
        "backlog of 1,000 takes about 21 minutes to clear whichever sender runs; what changed is that it no longer "
        "stands in front of every other channel. With the default cap of 100 waiting posts per channel, the oldest "
        "900 of such a backlog would be dropped (and counted in /feeds status) instead.",
    ]
    for o in outcomes:
        slow = [w for w, _ in o.waits if w >= TARGET]
        if o.sender == "after" and (slow or o.missed_after is not None):
            notes.append(f"MISS: backlog {o.backlog}: {len(slow)} post(s) took {TARGET:.0f} s or more.")
        if o.sender == "after" and o.limited:
            notes.append(f"MISS: {o.limited} 429 answers with a backlog of {o.backlog}.")
    return body, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backlog", type=int, default=1000, help="posts waiting in the flooded channel (1000)")
    parser.add_argument("--victims", type=int, default=5, help="the other server's posts, one after another (5)")
    parser.add_argument("--patience", type=float, default=60.0, help="seconds to wait for one post (60)")
    parser.add_argument("--quick", action="store_true", help="backlogs of 60 and 200, 3 posts, 40 s patience")
    args = parser.parse_args()
    backlog, victims, patience = (200, 3, 40.0) if args.quick else (args.backlog, args.victims, args.patience)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="marquee-fairness-") as workdir:
        body, notes = asyncio.run(measure([60, backlog], victims, patience, Path(workdir)))
    write_results(
        "fairness",
        f"Fairness: another server's new post against a backlog of 60 and {backlog} posts in one channel.",
        [body],
        notes,
    )


if __name__ == "__main__":
    main()
