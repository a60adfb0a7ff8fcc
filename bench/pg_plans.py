"""Benchmark for issue 17: PostgreSQL's plan cache against db/'s key lookups, with and without custom plans.

asyncpg prepares every statement and keeps it per connection; after five runs PostgreSQL may switch a prepared
statement to a generic plan, one that ignores the parameters' values. For ``store_batch``'s lookups of up to 500
keys in ``IN (…)`` that plan is far worse. ``db/postgres.py`` sets ``plan_cache_mode = force_custom_plan`` on its
connections; this measures a feed's poll (990 items it has seen, 10 new) both ways in one run, through db/ itself.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime

from pgserver import throwaway_postgres
from report import Table, write_results

import db.postgres
from db.database import Database
from db.feeds.items import store_batch
from db.feeds.records import NewItem

NOW = datetime(2026, 12, 7, tzinfo=UTC)
MODES = ("auto", "force_custom_plan")  # PostgreSQL's default, then Marquee's


def item(n: int) -> NewItem:
    link = f"https://news.example/{n}"
    return NewItem(
        title=f"Article {n}", link=link, outlet=None, summary="", image_url=None, published_at=NOW,
        item_key=f"guid-{n}", story_key=f"L:{link}", aliases=(link,),
    )  # fmt: skip


async def poll_times(url: str, mode: str, rounds: int) -> list[float]:
    """Per poll of 990 seen + 10 new items, on a connection pool whose plan cache mode is ``mode``."""
    database = await db.postgres.PostgresDatabase.connect(url, settings={"plan_cache_mode": mode})
    try:
        async with database.transaction() as tx:
            feed_id = await tx.insert(
                "INSERT INTO feeds (url, next_due_at, created_at) VALUES (?, ?, ?)",
                (f"https://feed.example/{mode}", NOW.isoformat(), NOW.isoformat()),
            )
        seen = [item(n) for n in range(990)]
        async with database.transaction() as tx:
            await store_batch(tx, feed_id, seen, NOW)
        times = []
        for r in range(rounds):
            batch = seen + [item(10_000 + r * 10 + k) for k in range(10)]
            started = time.perf_counter()
            async with database.transaction() as tx:
                await store_batch(tx, feed_id, batch, NOW)
            times.append(time.perf_counter() - started)
        return times
    finally:
        await database.close()


async def measure(rounds: int) -> dict[str, list[float]]:
    async with throwaway_postgres() as url:
        schema: Database = await Database.open(url)
        await schema.close()
        return {mode: await poll_times(url, mode, rounds) for mode in MODES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    results = asyncio.run(measure(args.rounds))
    base = statistics.median(results["auto"][5:])
    table = Table.of(
        ["plan_cache_mode", "first 5 polls (ms)", "median after them (ms)", "ratio to auto"],
        [
            [
                mode,
                ", ".join(f"{t * 1000:.0f}" for t in times[:5]),
                f"{statistics.median(times[5:]) * 1000:.1f}",
                f"{statistics.median(times[5:]) / base:.2f}×",
            ]
            for mode, times in results.items()
        ],
    )
    write_results(
        "pg_plans",
        "A feed's poll (990 seen items, 10 new) on PostgreSQL through db/, PostgreSQL's plan cache left to itself "
        "(auto) and with custom plans forced, as db/postgres.py sets it.",
        [table],
        [
            f"{args.rounds} polls per mode, one pool each, on one throwaway PostgreSQL 15 (fsync off).",
            "In auto mode the sixth run of a prepared statement may get a generic plan; the key lookups' IN lists "
            "then cost several times more. Forcing custom plans costs a plan per run, which is small for db/'s "
            "statements.",
        ],
    )


if __name__ == "__main__":
    main()
