"""Guild scheduled events through the real discord.py client: create, move, cancel, delete, and refusals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import discord
import pytest

from fakediscord.scheduled_events import ScheduledEvent
from fakediscord.server import FakeDiscord
from fakediscord.world import DEFAULT_BOT_PERMISSIONS, Guild
from tests.helpers import rawapi
from tests.helpers.spec_shapes import schema_errors
from tests.helpers.tinybot import TinyBot, running

CAN_CREATE = DEFAULT_BOT_PERMISSIONS | discord.Permissions(create_events=True).value
PREMIERE = "All of Us Are Dead — season 2 premiere"


def _guild(fd: FakeDiscord, permissions: int = CAN_CREATE) -> Guild:
    return fd.add_guild("AOUAD Fans", bot_permissions=permissions)


def _soon(days: int = 30) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


async def _premiere(bot: discord.Client, guild: Guild, start: datetime) -> discord.ScheduledEvent:
    found = bot.get_guild(guild.id)
    assert found is not None
    return await found.create_scheduled_event(
        name=PREMIERE,
        start_time=start,
        end_time=start + timedelta(hours=1),
        entity_type=discord.EntityType.external,
        location="Netflix",
        privacy_level=discord.PrivacyLevel.guild_only,
        description="Netflix confirmed the date.",
    )


def _event_shape(payload: dict[str, object]) -> list[str]:
    """The event's own fields against the spec; its ``creator`` is a user object, checked with users elsewhere."""
    return schema_errors({k: v for k, v in payload.items() if k != "creator"}, "ExternalScheduledEventResponse")


def _only_event(fd: FakeDiscord, guild: Guild) -> ScheduledEvent:
    (event,) = fd.scheduled_events(guild)
    return event


async def test_external_event_is_created(fake_discord: FakeDiscord) -> None:
    """The premiere appears in the server as an external event at Netflix, one hour long, created by the bot."""
    fd = fake_discord
    guild = _guild(fd)
    start = _soon()
    async with running(fd, TinyBot(guild)) as bot:
        made = await _premiere(bot, guild, start)
        fetched = await bot.get_guild(guild.id).fetch_scheduled_events()  # type: ignore[union-attr]
    event = _only_event(fd, guild)
    assert (event.name, event.location, event.start, event.end) == (
        PREMIERE,
        "Netflix",
        start,
        start + timedelta(hours=1),
    )
    assert event.creator is fd.bot_user and event.status == 1
    assert made.id == event.id and made.location == "Netflix" and made.status is discord.EventStatus.scheduled
    assert [e.name for e in fetched] == [PREMIERE]


async def test_moving_the_event_reaches_the_bot(fake_discord: FakeDiscord) -> None:
    """Editing the start time moves the event, and the bot hears of it (GUILD_SCHEDULED_EVENT_UPDATE)."""
    fd = fake_discord
    guild = _guild(fd)
    start, later = _soon(30), _soon(37)
    async with running(fd, TinyBot(guild)) as bot:
        made = await _premiere(bot, guild, start)
        update = asyncio.ensure_future(bot.wait_for("scheduled_event_update"))
        moved = await made.edit(start_time=later, end_time=later + timedelta(hours=1))
        _, after = await asyncio.wait_for(update, 5)
    assert _only_event(fd, guild).start == later and moved.start_time == later
    assert after.start_time == later


async def test_cancelled_event_can_no_longer_change(fake_discord: FakeDiscord) -> None:
    """A cancelled event shows as cancelled; moving it afterwards fails with 180000."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)) as bot:
        made = await _premiere(bot, guild, _soon())
        cancelled = await made.cancel()
        with pytest.raises(discord.HTTPException) as refused:
            await cancelled.edit(start_time=_soon(40))
    assert _only_event(fd, guild).status == 4 and cancelled.status is discord.EventStatus.cancelled
    assert (refused.value.status, refused.value.code) == (400, 180000)


async def test_status_follows_discords_order(fake_discord: FakeDiscord) -> None:
    """An event goes scheduled → active → completed; cancelling an active one is refused, naming ``status``."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)) as bot:
        made = await _premiere(bot, guild, _soon())
        started = await made.start()
        path = f"/guilds/{guild.id}/scheduled-events/{made.id}"
        refused = await rawapi.call(fd, "PATCH", path, json={"status": 4})  # discord.py itself will not try
        ended = await started.end()
    assert (started.status, ended.status) == (discord.EventStatus.active, discord.EventStatus.completed)
    assert (refused.status, refused.body["code"]) == (400, 50035) and set(refused.body["errors"]) == {"status"}
    assert _only_event(fd, guild).status == 3


async def test_deleted_event_is_gone(fake_discord: FakeDiscord) -> None:
    """After delete the event is gone from the server, and fetching it is a 404 (10070)."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)) as bot:
        made = await _premiere(bot, guild, _soon())
        await made.delete()
        with pytest.raises(discord.NotFound) as missing:
            await bot.get_guild(guild.id).fetch_scheduled_event(made.id)  # type: ignore[union-attr]
    assert fd.scheduled_events(guild) == []
    assert missing.value.code == 10070


async def test_event_in_the_past_is_refused(fake_discord: FakeDiscord) -> None:
    """A start time in the past is a 400 (50035) naming ``scheduled_start_time``, and nothing is created."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)) as bot:
        with pytest.raises(discord.HTTPException) as refused:
            await _premiere(bot, guild, datetime.now(UTC) - timedelta(hours=2))
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert "scheduled_start_time" in refused.value.text
    assert fd.scheduled_events(guild) == []


async def test_event_needs_create_events(fake_discord: FakeDiscord) -> None:
    """Without Create Events (or Manage Events) the bot gets Forbidden (50013)."""
    fd = fake_discord
    guild = _guild(fd, DEFAULT_BOT_PERMISSIONS)
    async with running(fd, TinyBot(guild)) as bot:
        with pytest.raises(discord.Forbidden) as refused:
            await _premiere(bot, guild, _soon())
    assert refused.value.code == 50013
    assert fd.scheduled_events(guild) == []


async def test_someone_elses_event_needs_manage_events(fake_discord: FakeDiscord) -> None:
    """With Create Events alone the bot may change its own events but not a moderator's (Forbidden 50013)."""
    fd = fake_discord
    guild = _guild(fd)
    theirs = fd.add_scheduled_event(guild, "Watch party", start=_soon(), end=_soon(31), location="Discord")
    async with running(fd, TinyBot(guild)):
        answer = await rawapi.call(fd, "PATCH", f"/guilds/{guild.id}/scheduled-events/{theirs.id}", json={"status": 4})
    assert (answer.status, answer.body["code"]) == (403, 50013)
    assert theirs.status == 1


async def test_events_scheduled_before_connect_arrive_with_the_guild(fake_discord: FakeDiscord) -> None:
    """An event a moderator scheduled before the bot connected is already in the bot's view of the server."""
    fd = fake_discord
    guild = _guild(fd)
    start = _soon()
    fd.add_scheduled_event(guild, "Watch party", start=start, end=start + timedelta(hours=2), location="Discord")
    async with running(fd, TinyBot(guild)) as bot:
        cached = bot.get_guild(guild.id).scheduled_events  # type: ignore[union-attr]
    assert [(e.name, e.location, e.start_time, e.creator_id) for e in cached] == [
        ("Watch party", "Discord", start, fd.owner.id)
    ]


async def test_external_event_without_location_or_end_is_refused(fake_discord: FakeDiscord) -> None:
    """An external event needs a location and an end time: the 400 names both fields."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)):
        answer = await rawapi.call(
            fd,
            "POST",
            f"/guilds/{guild.id}/scheduled-events",
            json={
                "name": PREMIERE,
                "privacy_level": 2,
                "entity_type": 3,
                "scheduled_start_time": _soon().isoformat(),
                "entity_metadata": {},
            },
        )
    assert (answer.status, answer.body["code"]) == (400, 50035)
    assert set(answer.body["errors"]) == {"entity_metadata", "scheduled_end_time"}


async def test_event_answers_match_the_spec(fake_discord: FakeDiscord) -> None:
    """Created, listed and fetched events carry every field of the spec's ExternalScheduledEventResponse."""
    fd = fake_discord
    guild = _guild(fd)
    body = {
        "name": PREMIERE,
        "privacy_level": 2,
        "entity_type": 3,
        "scheduled_start_time": _soon().isoformat(),
        "scheduled_end_time": _soon(31).isoformat(),
        "entity_metadata": {"location": "Netflix"},
    }
    async with running(fd, TinyBot(guild)):
        made = await rawapi.call(fd, "POST", f"/guilds/{guild.id}/scheduled-events", json=body)
        listed = await rawapi.call(
            fd, "GET", f"/guilds/{guild.id}/scheduled-events", params={"with_user_count": "true"}
        )
        one = await rawapi.call(fd, "GET", f"/guilds/{guild.id}/scheduled-events/{made.body['id']}")
    assert made.status == 200 and _event_shape(made.body) == []
    assert [_event_shape(e) for e in listed.body] == [[]]
    assert listed.body[0]["user_count"] == 0
    assert _event_shape(one.body) == []
    assert one.body["entity_metadata"] == {"location": "Netflix"} and one.body["channel_id"] is None
