"""Where Marquee is no longer wanted: a server that removed it, a channel deleted with its setup in it.

A departure is a row with its time. While it stands, the place's channels are paused in ``channel_health``
under the reason the caller gives, so the outbox holds their posts instead of sending them into a server
Marquee has left; a server that invites Marquee back gets the pause lifted and loses nothing. Once the grace
period is over, ``forget`` deletes the place's setup in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.countdown import delete_in as delete_countdown
from db.database import Database
from db.feeds import forget_place
from db.times import from_text, to_text

# The channel_id of a departure of a whole server.
WHOLE_SERVER = 0


@dataclass(frozen=True, slots=True)
class Departure:
    guild_id: int
    channel_id: int | None  # None: Marquee left the whole server
    departed_at: datetime


async def has_setup(db: Database, guild_id: int, channel_id: int) -> bool:
    """Whether the channel holds anything of Marquee's: a subscription, posts waiting for it, or the countdown."""
    row = await db.fetchone(
        "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE guild_id = ? AND channel_id = ?) "
        "OR EXISTS (SELECT 1 FROM deliveries WHERE state = 'pending' AND guild_id = ? AND channel_id = ?) "
        "OR EXISTS (SELECT 1 FROM countdowns WHERE guild_id = ? AND channel_id = ?)",
        (guild_id, channel_id, guild_id, channel_id, guild_id, channel_id),
    )
    return row is not None and bool(row[0])


async def servers_with_setup(db: Database) -> set[int]:
    """Every server Marquee keeps something for: subscriptions, waiting posts, feed settings or a countdown."""
    rows = await db.fetchall(
        "SELECT guild_id FROM subscriptions UNION SELECT guild_id FROM deliveries WHERE state = 'pending' "
        "UNION SELECT guild_id FROM guild_feed_settings UNION SELECT guild_id FROM countdowns"
    )
    return {int(r[0]) for r in rows}


async def depart(db: Database, guild_id: int, channel_id: int | None, *, now: datetime, reason: str) -> bool:
    """Record that Marquee left the server (``channel_id`` None) or that the channel went, and pause the
    channels concerned with ``reason`` (a channel already paused for another reason keeps that one).

    A departure already recorded keeps its first time: the grace period runs from when Marquee left.
    Returns whether the departure is new.
    """
    place = WHOLE_SERVER if channel_id is None else channel_id
    async with db.transaction() as tx:
        added = await tx.execute(
            "INSERT INTO departures (guild_id, channel_id, departed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, place, to_text(now)),
        )
        if channel_id is None:
            channels = await tx.fetchall(
                "SELECT channel_id FROM subscriptions WHERE guild_id = ? UNION "
                "SELECT channel_id FROM deliveries WHERE state = 'pending' AND guild_id = ?",
                (guild_id, guild_id),
            )
            paused = [int(r[0]) for r in channels]
        else:
            paused = [channel_id]
        await tx.executemany(
            "INSERT INTO channel_health (channel_id, guild_id, paused_reason, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (channel_id) DO UPDATE SET "
            "paused_reason = COALESCE(channel_health.paused_reason, excluded.paused_reason), "
            "updated_at = excluded.updated_at",
            [(channel, guild_id, reason, to_text(now)) for channel in paused],
        )
    return added > 0


async def come_back(db: Database, guild_id: int, *, reason: str) -> bool:
    """Marquee is in the server again: drop the server's departure and lift the pauses it made (``reason``).

    Deleted channels stay departed: they do not come back with the server. Returns whether a departure ended.
    """
    # Every server Marquee is in comes back at each start: most have nothing to end, and need no write.
    sql = "SELECT 1 FROM departures WHERE guild_id = ? AND channel_id = ?"
    if await db.fetchone(sql, (guild_id, WHOLE_SERVER)) is None:
        return False
    async with db.transaction() as tx:
        ended = await tx.execute(
            "DELETE FROM departures WHERE guild_id = ? AND channel_id = ?", (guild_id, WHOLE_SERVER)
        )
        await tx.execute(
            "UPDATE channel_health SET paused_reason = NULL, consecutive_failures = 0 "
            "WHERE guild_id = ? AND paused_reason = ?",
            (guild_id, reason),
        )
    return ended > 0


def _departure(guild_id: int, channel_id: int, departed_at: str) -> Departure:
    when = from_text(departed_at)
    assert when is not None
    return Departure(guild_id, None if channel_id == WHOLE_SERVER else channel_id, when)


async def departures(db: Database, *, before: datetime | None = None) -> list[Departure]:
    """Departures recorded (only those before ``before``, when given), oldest first."""
    rows = await db.fetchall(
        "SELECT guild_id, channel_id, departed_at FROM departures WHERE departed_at < COALESCE(?, '9') "
        "ORDER BY departed_at, guild_id, channel_id",
        (None if before is None else to_text(before),),
    )
    return [_departure(int(r[0]), int(r[1]), str(r[2])) for r in rows]


async def forget(db: Database, departure: Departure) -> None:
    """Delete the place's setup (subscriptions, waiting posts, paused channels, per-server feed settings, the
    countdown and its history) and the departure itself, all or nothing."""
    guild_id, channel_id = departure.guild_id, departure.channel_id
    async with db.transaction() as tx:
        await forget_place(tx, guild_id, channel_id)
        await delete_countdown(tx, guild_id, channel_id=channel_id)
        if channel_id is None:  # the server's deleted channels go with it
            await tx.execute("DELETE FROM departures WHERE guild_id = ?", (guild_id,))
        else:
            await tx.execute("DELETE FROM departures WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id))
