"""Per-server countdowns, their history of candidate claims, and the claims read from the news.

A countdown row is also its own timer: ``due_at`` says when the sleeper must look at it next (a milestone,
an edit held back by the one-edit-a-minute rule, an announcement to post), so a restart loses nothing.
Announcements follow the outbox pattern: the history entry that changed the claim is written ``pending`` in
the same transaction, and becomes ``sent`` only after Discord confirmed the message.

Claims are stored as the JSON objects ``bot.release.claims.claim_to_json`` makes (``ClaimData``): the database
knows rows, not release rules, so it compares claims by their canonical JSON text and never interprets them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.database import Database, Row, Transaction
from db.leases import Holder, Hosted, on_shards, skip_locked, until
from db.times import from_text, to_text

ClaimData = Mapping[str, Any]


def _dump(claim: ClaimData | None) -> str | None:
    return None if claim is None else json.dumps(claim, sort_keys=True, ensure_ascii=False)


def _load(text: str | None) -> ClaimData | None:
    if text is None:
        return None
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"a stored claim must be a JSON object, not {type(data).__name__}")
    return data


@dataclass(frozen=True, slots=True)
class Countdown:
    guild_id: int
    channel_id: int
    message_id: int | None
    ping_role_id: int | None
    locked: bool
    locked_at: datetime | None
    claim: ClaimData | None
    changed_at: datetime
    rendered: str | None
    last_edit_at: datetime | None
    due_at: datetime | None
    problem: str | None
    revision: int
    event_enabled: bool = False
    event_id: int | None = None
    event_shown: str | None = None
    event_deleted_day: str | None = None
    event_problem: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    guild_id: int
    claim: ClaimData
    previous: ClaimData | None
    accepted: bool
    reason: str
    by_user: int | None
    announce: str
    created_at: datetime


def _countdown(row: Row) -> Countdown:
    changed = from_text(row["changed_at"])
    assert changed is not None
    return Countdown(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        ping_role_id=row["ping_role_id"],
        locked=bool(row["locked"]),
        locked_at=from_text(row["locked_at"]),
        claim=_load(row["claim"]),
        changed_at=changed,
        rendered=row["rendered"],
        last_edit_at=from_text(row["last_edit_at"]),
        due_at=from_text(row["due_at"]),
        problem=row["problem"],
        revision=row["revision"],
        event_enabled=bool(row["event_enabled"]),
        event_id=row["event_id"],
        event_shown=row["event_shown"],
        event_deleted_day=row["event_deleted_day"],
        event_problem=row["event_problem"],
    )


def _entry(row: Row) -> HistoryEntry:
    claim = _load(row["claim"])
    created = from_text(row["created_at"])
    assert claim is not None and created is not None
    return HistoryEntry(
        id=row["id"],
        guild_id=row["guild_id"],
        claim=claim,
        previous=_load(row["previous"]),
        accepted=bool(row["accepted"]),
        reason=row["reason"],
        by_user=row["by_user"],
        announce=row["announce"],
        created_at=created,
    )


async def get(db: Database, guild_id: int) -> Countdown | None:
    row = await db.fetchone("SELECT * FROM countdowns WHERE guild_id = ?", (guild_id,))
    return None if row is None else _countdown(row)


async def _get(tx: Transaction, guild_id: int) -> Countdown | None:
    row = await tx.fetchone("SELECT * FROM countdowns WHERE guild_id = ?", (guild_id,))
    return None if row is None else _countdown(row)


async def by_message(db: Database, message_id: int) -> Countdown | None:
    row = await db.fetchone("SELECT * FROM countdowns WHERE message_id = ?", (message_id,))
    return None if row is None else _countdown(row)


async def create(
    db: Database,
    *,
    guild_id: int,
    channel_id: int,
    ping_role_id: int | None,
    claim: ClaimData | None,
    by_user: int,
    now: datetime,
) -> Countdown:
    """A new countdown starting from ``claim``; the starting claim is the first history entry."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO countdowns (guild_id, channel_id, ping_role_id, claim, changed_at, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (guild_id, channel_id, ping_role_id, _dump(claim), to_text(now), by_user, to_text(now)),
        )
        if claim is not None:
            await _record(
                tx, guild_id, claim, None, accepted=True, reason="first", by_user=None, announce=False, now=now
            )
        made = await _get(tx, guild_id)
    assert made is not None
    return made


async def move(db: Database, guild_id: int, *, channel_id: int, ping_role_id: int | None) -> None:
    """Point an existing countdown at a (possibly new) channel and ping role; the message is posted anew."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE countdowns SET channel_id = ?, ping_role_id = ?, message_id = NULL, rendered = NULL,"
            " last_edit_at = NULL, problem = NULL WHERE guild_id = ?",
            (channel_id, ping_role_id, guild_id),
        )


async def set_ping_role(db: Database, guild_id: int, ping_role_id: int | None) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE countdowns SET ping_role_id = ? WHERE guild_id = ?", (ping_role_id, guild_id))


async def _record(
    tx: Transaction,
    guild_id: int,
    claim: ClaimData,
    previous: ClaimData | None,
    *,
    accepted: bool,
    reason: str,
    by_user: int | None,
    announce: bool,
    now: datetime,
) -> int:
    return await tx.insert(
        "INSERT INTO countdown_history (guild_id, claim, previous, accepted, reason, by_user, announce, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            _dump(claim),
            _dump(previous),
            int(accepted),
            reason,
            by_user,
            "pending" if announce else "none",
            to_text(now),
        ),
    )


async def record(
    db: Database,
    guild_id: int,
    claim: ClaimData,
    *,
    expected: ClaimData | None,
    accepted: bool,
    reason: str,
    by_user: int | None,
    announce: bool,
    now: datetime,
) -> bool:
    """Store a verdict on ``claim``; when accepted, make it the current claim and make the countdown due.

    ``expected`` is the claim the verdict was reached against: if the countdown moved on meanwhile nothing is
    written and False is returned, so the caller decides again. The same verdict on the same article against
    the same current claim (an article seen twice) is stored once; a repeat also returns True.
    """
    async with db.transaction() as tx:
        current = await _get(tx, guild_id)
        if current is None or _dump(current.claim) != _dump(expected):
            return False
        if by_user is None:
            seen = await tx.fetchone(
                "SELECT 1 FROM countdown_history WHERE guild_id = ? AND claim = ? AND COALESCE(previous, '') = "
                "COALESCE(?, '') AND reason = ?"
                " AND by_user IS NULL",
                (guild_id, _dump(claim), _dump(expected), reason),
            )
            if seen is not None:
                return True
        await _record(
            tx, guild_id, claim, expected, accepted=accepted, reason=reason, by_user=by_user, announce=announce, now=now
        )
        if accepted:
            await tx.execute(
                "UPDATE countdowns SET claim = ?, changed_at = ?, due_at = ?, revision = revision + 1"
                " WHERE guild_id = ?",
                (_dump(claim), to_text(now), to_text(now), guild_id),
            )
    return True


async def set_locked(db: Database, guild_id: int, locked: bool, now: datetime) -> bool:
    """Lock or unlock; returns False when it already was. The message shows the lock, so it becomes due."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE countdowns SET locked = ?, locked_at = ?, due_at = ?, revision = revision + 1"
            " WHERE guild_id = ? AND locked != ?",
            (int(locked), to_text(now) if locked else None, to_text(now), guild_id, int(locked)),
        )
    return changed > 0


async def history(db: Database, guild_id: int, *, limit: int, accepted_only: bool = False) -> list[HistoryEntry]:
    """Newest first."""
    only = " AND accepted = 1" if accepted_only else ""
    rows = await db.fetchall(
        f"SELECT * FROM countdown_history WHERE guild_id = ?{only} ORDER BY id DESC LIMIT ?",  # noqa: S608
        (guild_id, limit),
    )
    return [_entry(r) for r in rows]


async def pending_announcements(db: Database, guild_id: int) -> list[HistoryEntry]:
    """Oldest first, so a burst of changes is told in the order it happened."""
    rows = await db.fetchall(
        "SELECT * FROM countdown_history WHERE guild_id = ? AND announce = 'pending' ORDER BY id", (guild_id,)
    )
    return [_entry(r) for r in rows]


async def mark_announced(db: Database, history_id: int, *, sent: bool) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE countdown_history SET announce = ? WHERE id = ?", ("sent" if sent else "failed", history_id)
        )


async def shown(db: Database, guild_id: int, *, message_id: int, rendered: str, edited_at: datetime | None) -> None:
    """The message now shows the card with digest ``rendered``; ``edited_at`` is set for edits, not posts."""
    async with db.transaction() as tx:
        if edited_at is None:
            await tx.execute(
                "UPDATE countdowns SET message_id = ?, rendered = ?, problem = NULL WHERE guild_id = ?",
                (message_id, rendered, guild_id),
            )
        else:
            await tx.execute(
                "UPDATE countdowns SET message_id = ?, rendered = ?, last_edit_at = ?, problem = NULL"
                " WHERE guild_id = ?",
                (message_id, rendered, to_text(edited_at), guild_id),
            )


async def forget_message(db: Database, guild_id: int, message_id: int, now: datetime) -> bool:
    """Message ``message_id`` is gone: post the countdown again, now. False if it was not the current message.

    Naming the message keeps a late notice about an old message from dropping its replacement.
    """
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE countdowns SET message_id = NULL, rendered = NULL, last_edit_at = NULL, due_at = ?,"
            " revision = revision + 1 WHERE guild_id = ? AND message_id = ?",
            (to_text(now), guild_id, message_id),
        )
    return changed > 0


async def set_event_enabled(db: Database, guild_id: int, enabled: bool, now: datetime) -> bool:
    """Turn the premiere event on or off; returns False when it already was. The timer looks at once."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE countdowns SET event_enabled = ?, event_problem = NULL, due_at = ?, revision = revision + 1"
            " WHERE guild_id = ? AND event_enabled != ?",
            (int(enabled), to_text(now), guild_id, int(enabled)),
        )
    return changed > 0


async def event_shown(db: Database, guild_id: int, *, event_id: int | None, shown: str | None) -> None:
    """The server's event is now ``event_id`` telling what ``shown`` digests (both None: no event any more)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE countdowns SET event_id = ?, event_shown = ?, event_problem = NULL WHERE guild_id = ?",
            (event_id, shown, guild_id),
        )


async def event_deleted(db: Database, guild_id: int, event_id: int, *, day: str | None) -> bool:
    """Someone deleted (or ended) event ``event_id``: forget it, and remember ``day`` so the same day is not
    given a new event. False if it was not the server's current event (a late notice about an old one)."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE countdowns SET event_id = NULL, event_shown = NULL, event_deleted_day = ?"
            " WHERE guild_id = ? AND event_id = ?",
            (day, guild_id, event_id),
        )
    return changed > 0


async def clear_event_deleted(db: Database, guild_id: int) -> None:
    """The confirmed day changed or was withdrawn since the event was deleted: the next confirmation gets one."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE countdowns SET event_deleted_day = NULL WHERE guild_id = ?", (guild_id,))


async def set_event_problem(db: Database, guild_id: int, problem: str | None) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE countdowns SET event_problem = ? WHERE guild_id = ?", (problem, guild_id))


async def set_problem(db: Database, guild_id: int, problem: str | None) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE countdowns SET problem = ? WHERE guild_id = ?", (problem, guild_id))


async def set_due(db: Database, guild_id: int, due_at: datetime | None, *, revision: int | None = None) -> bool:
    """Set when to look at the countdown next.

    With ``revision`` (the one the caller's work was based on) nothing is written if a change came in
    meanwhile: that change already made the countdown due now, and must not be pushed back. Returns whether
    it was written.
    """
    at = None if due_at is None else to_text(due_at)
    async with db.transaction() as tx:
        if revision is None:
            changed = await tx.execute("UPDATE countdowns SET due_at = ? WHERE guild_id = ?", (at, guild_id))
        else:
            changed = await tx.execute(
                "UPDATE countdowns SET due_at = ? WHERE guild_id = ? AND revision = ?", (at, guild_id, revision)
            )
    return changed > 0


# A countdown whose server removed Marquee, or whose channel was deleted, waits out the grace period untouched:
# news from its feeds may still arrive, but editing or announcing there would only be refused.
_PRESENT = (
    "NOT EXISTS (SELECT 1 FROM departures d WHERE d.guild_id = countdowns.guild_id"
    " AND d.channel_id IN (0, countdowns.channel_id))"
)


async def due(
    db: Database, now: datetime, *, holder: Holder | None = None, hosted: Hosted | None = None, limit: int = 100
) -> list[int]:
    """Guilds whose countdown is due at ``now``, soonest first (none Marquee has left), claimed for ``holder``.

    Only servers on the ``hosted`` shards (the countdown's message and pins need the server in this process's
    cache), and only countdowns no live lease holds: each is leased to ``holder`` in the same statement, so two
    processes never bring one server's message up to date at once; ``release`` gives it back when done, and the
    lease of a process that died runs out. Without ``holder`` it only looks (tests).
    """
    stamp = to_text(now)
    ours, ours_params = on_shards("guild_id", hosted)
    # A lease of the holder's own is no obstacle: within one process the service's lock takes turns.
    where = (
        f"due_at IS NOT NULL AND due_at <= ? AND {_PRESENT} AND (lease_until IS NULL OR lease_until <= ? "
        f"OR lease_owner = ?) AND {ours}"
    )
    params = (stamp, stamp, "" if holder is None else holder.id, *ours_params)
    if holder is None:
        rows = await db.fetchall(
            f"SELECT guild_id, due_at FROM countdowns WHERE {where} ORDER BY due_at, guild_id LIMIT ?",  # noqa: S608
            (*params, limit),
        )
    else:
        async with db.transaction() as tx:
            rows = await tx.fetchall(
                "UPDATE countdowns SET lease_owner = ?, lease_until = ? WHERE guild_id IN ("  # noqa: S608
                f"SELECT guild_id FROM countdowns WHERE {where} ORDER BY due_at, guild_id LIMIT ?"
                f"{skip_locked(db)}) RETURNING guild_id, due_at",
                (holder.id, until(holder, now), *params, limit),
            )
    return [int(r["guild_id"]) for r in sorted(rows, key=lambda r: (r["due_at"], r["guild_id"]))]


async def hold(db: Database, guild_id: int, holder: Holder, now: datetime) -> bool:
    """Take or renew ``holder``'s lease on one server's countdown (``/countdown setup`` bringing its message up to
    date at once, or the timer before each server it claimed); False while another live holder has it."""
    async with db.transaction() as tx:
        taken = await tx.execute(
            "UPDATE countdowns SET lease_owner = ?, lease_until = ? WHERE guild_id = ? "
            "AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)",
            (holder.id, until(holder, now), guild_id, holder.id, to_text(now)),
        )
    return taken > 0


async def release(db: Database, guild_ids: Iterable[int], holder: Holder) -> None:
    """Give back ``holder``'s leases on these countdowns (their upkeep is done, or will not happen here)."""
    async with db.transaction() as tx:
        await tx.executemany(
            "UPDATE countdowns SET lease_owner = NULL, lease_until = NULL WHERE guild_id = ? AND lease_owner = ?",
            [(guild_id, holder.id) for guild_id in guild_ids],
        )


async def next_due(db: Database, *, hosted: Hosted | None = None) -> datetime | None:
    """When the next countdown on the ``hosted`` shards is due; one another process holds counts from when its
    lease runs out, so the timer does not wake again and again for work that is not its to do."""
    ours, ours_params = on_shards("guild_id", hosted)
    row = await db.fetchone(
        "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > due_at THEN lease_until ELSE due_at END) "  # noqa: S608
        f"AS due FROM countdowns WHERE due_at IS NOT NULL AND {_PRESENT} AND {ours}",
        tuple(ours_params),
    )
    return None if row is None else from_text(row["due"])


async def remember_news(
    db: Database, claim: ClaimData, published: date, now: datetime, *, guild_ids: Iterable[int]
) -> set[int]:
    """Keep a claim read from the news for the servers that received it; the servers new to it.

    The claim is stored once; each server is linked once, at the moment it first received it, so a countdown
    unlocked later hears what its own server received while it was locked.
    """
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO release_news (claim, published, seen_at) VALUES (?, ?, ?) ON CONFLICT (claim) DO NOTHING",
            (_dump(claim), published.isoformat(), to_text(now)),
        )
        row = await tx.fetchone("SELECT id FROM release_news WHERE claim = ?", (_dump(claim),))
        assert row is not None
        fresh: set[int] = set()
        for guild_id in sorted(set(guild_ids)):
            if await tx.execute(
                "INSERT INTO release_news_servers (news_id, guild_id, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (news_id, guild_id) DO NOTHING",
                (row["id"], guild_id, to_text(now)),
            ):
                fresh.add(guild_id)
    return fresh


async def news(db: Database, guild_id: int, *, seen_since: datetime | None = None) -> list[ClaimData]:
    """Claims read from the news this server received (all, or those it received at or after ``seen_since``),
    oldest article first."""
    since = "" if seen_since is None else to_text(seen_since)
    rows = await db.fetchall(
        "SELECT n.claim FROM release_news n JOIN release_news_servers s ON s.news_id = n.id"
        " WHERE s.guild_id = ? AND s.seen_at >= ? ORDER BY n.published, n.id",
        (guild_id, since),
    )
    return [c for c in (_load(r["claim"]) for r in rows) if c is not None]


async def countdowns_of(db: Database, guild_ids: Iterable[int]) -> list[Countdown]:
    """The countdowns of these servers (those that have one), by server id."""
    wanted = sorted(set(guild_ids))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = await db.fetchall(
        f"SELECT * FROM countdowns WHERE guild_id IN ({marks}) ORDER BY guild_id",  # noqa: S608
        wanted,
    )
    return [_countdown(r) for r in rows]


async def delete_in(tx: Transaction, guild_id: int, *, channel_id: int | None = None) -> bool:
    """Delete a server's countdown and its history (only if it is pinned in ``channel_id``, when given); for a
    whole server also which news it received, so a later countdown there starts from nothing of its past."""
    if channel_id is None:
        await tx.execute("DELETE FROM release_news_servers WHERE guild_id = ?", (guild_id,))
        return await tx.execute("DELETE FROM countdowns WHERE guild_id = ?", (guild_id,)) > 0
    return await tx.execute("DELETE FROM countdowns WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id)) > 0
