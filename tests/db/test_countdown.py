"""The countdown's rows: verdicts kept with their reason, changes never lost to a concurrent pass."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import db.countdown
import db.departures as departures
from bot.release.claims import Status, claim_to_json
from db import Database
from db.countdown import ClaimData
from tests.helpers.claims import claim as release_claim


def claim(*args: Any, **kwargs: Any) -> ClaimData:
    """A claim as the database stores it (the JSON object ``bot.release`` writes)."""
    return claim_to_json(release_claim(*args, **kwargs))


def published(data: ClaimData) -> date:
    return date.fromisoformat(data["source"]["published"])


NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
GUILD = 1001
SEED = claim(date(2026, 12, 1), date(2027, 6, 30), published=date(2026, 2, 23))
CONFIRMED = claim(date(2026, 12, 4), status=Status.CONFIRMED)


@pytest_asyncio.fixture
async def database(database: Database) -> Database:
    """The shared empty database (tests/conftest.py) with one countdown in it, started from SEED."""
    await db.countdown.create(
        database, guild_id=GUILD, channel_id=2002, ping_role_id=None, claim=SEED, by_user=3003, now=NOW
    )
    return database


async def confirm(database: Database, now: datetime) -> bool:
    """The confirmed date accepted over the seed, announced: what a stronger article does."""
    return await db.countdown.record(
        database,
        GUILD,
        CONFIRMED,
        expected=SEED,
        accepted=True,
        reason="stronger",
        by_user=None,
        announce=True,
        now=now,
    )


async def test_new_countdown_starts_from_its_seed_in_history(database: Database) -> None:
    """The starting claim is the first history entry, so /countdown history begins somewhere."""
    row = await db.countdown.get(database, GUILD)
    assert row is not None and row.claim == SEED and row.message_id is None and not row.locked
    [first] = await db.countdown.history(database, GUILD, limit=5)
    assert first.claim == SEED and first.accepted and first.reason == "first" and first.announce == "none"


async def test_accepted_claim_becomes_current_and_is_announced(database: Database) -> None:
    """An accepted claim replaces the current one, is due at once and has an announcement pending."""
    later = NOW + timedelta(hours=1)
    assert await confirm(database, later)
    row = await db.countdown.get(database, GUILD)
    assert row is not None and row.claim == CONFIRMED and row.changed_at == later and row.due_at == later
    [pending] = await db.countdown.pending_announcements(database, GUILD)
    assert pending.previous == SEED and pending.claim == CONFIRMED
    await db.countdown.mark_announced(database, pending.id, sent=True)
    assert await db.countdown.pending_announcements(database, GUILD) == []


async def test_rejected_claim_is_kept_once_with_reason(database: Database) -> None:
    """A kept-out claim is stored with its reason; the same article seen again is not stored twice."""
    rumour = claim(date(2027, 3, 1), date(2027, 3, 31), status=Status.RUMOURED)
    for _ in range(2):
        assert await db.countdown.record(
            database,
            GUILD,
            rumour,
            expected=SEED,
            accepted=False,
            reason="weaker",
            by_user=None,
            announce=False,
            now=NOW,
        )
    entries = await db.countdown.history(database, GUILD, limit=10)
    assert [(e.claim, e.accepted, e.reason) for e in entries] == [(rumour, False, "weaker"), (SEED, True, "first")]
    row = await db.countdown.get(database, GUILD)
    assert row is not None and row.claim == SEED


async def test_verdict_on_a_stale_claim_is_refused(database: Database) -> None:
    """A verdict reached against a claim that has since changed is not written; the caller decides again."""
    assert not await db.countdown.record(
        database, GUILD, CONFIRMED, expected=None, accepted=True, reason="first", by_user=None, announce=True, now=NOW
    )
    row = await db.countdown.get(database, GUILD)
    assert row is not None and row.claim == SEED


async def test_upkeep_pass_cannot_postpone_a_change_it_did_not_see(database: Database) -> None:
    """A change recorded during an upkeep pass stays due now, whatever the pass then schedules."""
    before = await db.countdown.get(database, GUILD)
    assert before is not None
    await confirm(database, NOW)
    written = await db.countdown.set_due(database, GUILD, NOW + timedelta(days=7), revision=before.revision)
    assert not written
    assert await db.countdown.due(database, NOW) == [GUILD]


async def test_due_timers_survive_reopening(tmp_path: Path) -> None:
    """A milestone stored as due_at is found again after a restart, and not before its time."""
    path = tmp_path / "restart.db"
    milestone = NOW + timedelta(days=7)
    async with await Database.open(path) as first:
        await db.countdown.create(
            first, guild_id=GUILD, channel_id=1, ping_role_id=None, claim=CONFIRMED, by_user=1, now=NOW
        )
        await db.countdown.set_due(first, GUILD, milestone)
    async with await Database.open(path) as second:
        assert await db.countdown.next_due(second) == milestone
        assert await db.countdown.due(second, milestone - timedelta(seconds=1)) == []
        assert await db.countdown.due(second, milestone) == [GUILD]


async def test_deleted_message_is_forgotten_only_if_current(database: Database) -> None:
    """A late delete notice about an old message does not drop its replacement."""
    await db.countdown.shown(database, GUILD, message_id=77, rendered="a", edited_at=None)
    assert not await db.countdown.forget_message(database, GUILD, 76, NOW)
    assert await db.countdown.forget_message(database, GUILD, 77, NOW)
    row = await db.countdown.get(database, GUILD)
    assert row is not None and row.message_id is None and row.due_at == NOW


async def test_news_is_remembered_once_in_publication_order(database: Database) -> None:
    """Claims read from the news are kept once each, oldest article first, for servers that join later."""
    older = claim(date(2027, 3, 1), date(2027, 3, 31), published=date(2026, 10, 1))
    assert await db.countdown.remember_news(database, CONFIRMED, published(CONFIRMED), NOW, guild_ids=[GUILD])
    assert not await db.countdown.remember_news(database, CONFIRMED, published(CONFIRMED), NOW, guild_ids=[GUILD])
    assert await db.countdown.remember_news(database, older, published(older), NOW, guild_ids=[GUILD])
    assert await db.countdown.news(database, GUILD) == [older, CONFIRMED]


async def test_naive_time_is_refused(database: Database) -> None:
    """Naive datetimes never reach the database."""
    with pytest.raises(ValueError, match="naive"):
        await db.countdown.set_due(database, GUILD, datetime(2026, 11, 20))  # noqa: DTZ001


async def test_news_since_a_moment(database: Database) -> None:
    """Only the news first seen at or after a moment is handed back, for a countdown being unlocked."""
    older = claim(date(2027, 3, 1), date(2027, 3, 31), published=date(2026, 10, 1))
    await db.countdown.remember_news(database, older, published(older), NOW - timedelta(hours=1), guild_ids=[GUILD])
    await db.countdown.remember_news(database, CONFIRMED, published(CONFIRMED), NOW, guild_ids=[GUILD])
    assert await db.countdown.news(database, GUILD, seen_since=NOW) == [CONFIRMED]


async def test_lock_remembers_when(database: Database) -> None:
    """Locking records the moment (unlock weighs the news since); unlocking clears it; repeats change nothing."""
    assert await db.countdown.set_locked(database, GUILD, True, NOW)
    assert not await db.countdown.set_locked(database, GUILD, True, NOW + timedelta(hours=1))
    row = await db.countdown.get(database, GUILD)
    assert row is not None and row.locked and row.locked_at == NOW
    assert await db.countdown.set_locked(database, GUILD, False, NOW + timedelta(hours=2))
    row = await db.countdown.get(database, GUILD)
    assert row is not None and not row.locked and row.locked_at is None


async def test_news_is_kept_per_server_that_received_it(database: Database) -> None:
    """A claim from one server's feed is replayed for that server only; another server receiving it later is
    linked from that moment."""
    other = GUILD + 1
    assert await db.countdown.remember_news(database, CONFIRMED, published(CONFIRMED), NOW, guild_ids=[GUILD]) == {
        GUILD
    }
    assert await db.countdown.news(database, other) == []
    later = NOW + timedelta(hours=2)
    fresh = await db.countdown.remember_news(database, CONFIRMED, published(CONFIRMED), later, guild_ids=[GUILD, other])
    assert fresh == {other}
    assert await db.countdown.news(database, other) == [CONFIRMED]
    assert await db.countdown.news(database, other, seen_since=later) == [CONFIRMED]
    assert await db.countdown.news(database, GUILD, seen_since=later) == []


@pytest.mark.parametrize("gone", ["server", "channel"])
async def test_a_countdown_marquee_has_left_is_never_due(database: Database, gone: str) -> None:
    """News from a removed server's feeds may make its countdown due; the timer leaves it alone until it returns."""
    await confirm(database, NOW)
    assert await db.countdown.due(database, NOW) == [GUILD]
    await departures.depart(database, GUILD, 2002 if gone == "channel" else None, now=NOW, reason="gone")
    assert await db.countdown.due(database, NOW) == []
    assert await db.countdown.next_due(database) is None
    if gone == "server":  # invited back within the grace period (a deleted channel does not come back)
        await departures.come_back(database, GUILD, reason="gone")
        assert await db.countdown.due(database, NOW) == [GUILD]
