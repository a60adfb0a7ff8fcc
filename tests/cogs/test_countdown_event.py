"""The premiere as a scheduled event in the server, end to end through fakediscord with the real bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import discord
import pytest

import db.countdown
from bot.bot import Marquee
from bot.feeds.news import News
from bot.feeds.normalise import NewsItem
from bot.runner import running_bot
from cogs.countdown._cog import CountdownCommands
from fakediscord.scheduled_events import ScheduledEvent
from fakediscord.server import FakeDiscord
from fakediscord.world import DEFAULT_BOT_PERMISSIONS, Channel, Guild, User
from tests.helpers import rawapi
from tests.helpers.marquee import fan_server, marquee_settings

PREMIERE = "All of Us Are Dead — season 2 premiere"
CREATE_EVENTS = DEFAULT_BOT_PERMISSIONS | discord.Permissions(create_events=True).value
# Discord refuses events in the past, by its own clock: the premieres are next year, whenever the tests run.
YEAR = datetime.now(UTC).year + 1
WINTER, SUMMER, LATER = date(YEAR, 1, 29), date(YEAR, 6, 4), date(YEAR, 6, 11)
NETFLIX_LINK = "https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2-date"


def pacific_midnight(day: date) -> datetime:
    """00:00 America/Los_Angeles on ``day`` (one of the test's days), in UTC: 08:00 in PST, 07:00 in PDT."""
    return datetime(day.year, day.month, day.day, 8 if day == WINTER else 7, tzinfo=UTC)


class Clock:
    """The countdown's sense of time, moved by the test; it starts at the real now, as Discord's does."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.at


def confirmed(day: date, *, published: datetime) -> NewsItem:
    return NewsItem(
        guid=None,
        link=f"{NETFLIX_LINK}-{day.isoformat()}",
        title=f"Netflix confirms All of Us Are Dead season 2 premiere date: {day:%B} {day.day}, {day.year}",
        summary=f"Netflix announced that All of Us Are Dead season 2 premieres on {day:%B} {day.day}, {day.year}.",
        published=published,
        author=None,
        image=None,
        outlet="Netflix Tudum",
        outlet_url=None,
        categories=(),
    )


@dataclass
class Fans:
    fd: FakeDiscord
    bot: Marquee
    guild: Guild
    channel: Channel
    fan: User
    mod: User
    cog: CountdownCommands
    clock: Clock

    async def command(self, name: str, *, user: User | None = None, **options: Any) -> Any:
        reply = await (
            await self.fd.invoke(name, user=user or self.mod, in_channel=self.channel, options=options)
        ).response()
        assert reply.ephemeral
        return reply

    async def news(self, day: date) -> None:
        """A confirmed date in a feed this server follows; a day later than the last news, as news goes."""
        self.clock.at += timedelta(days=1)
        await self.cog.on_news_items(News((confirmed(day, published=self.clock.at),), frozenset({self.guild.id})))
        await self.cog.run_due()

    async def set(self, when: str, status: str) -> None:
        """A moderator sets the countdown by hand."""
        self.clock.at += timedelta(minutes=2)
        reply = await self.command("countdown set", when=when, status=status, source_url="https://news.example/aouad")
        assert status in reply.content
        await self.cog.run_due()

    def events(self) -> list[ScheduledEvent]:
        return self.fd.scheduled_events(self.guild)


def aouad_fans(fd: FakeDiscord, *, permissions: int = CREATE_EVENTS) -> Guild:
    """The fan server, with Marquee's role holding ``permissions`` (Create Events unless a test says otherwise)."""
    guild, _, _ = fan_server(fd)
    fd.edit_role(fd.bot_role(guild), permissions=permissions)
    return guild


@asynccontextmanager
async def marquee(fd: FakeDiscord, tmp_path: Path, guild: Guild, clock: Clock) -> AsyncIterator[Fans]:
    """Marquee running in ``guild``; leaving the block stops it (the database stays for a restart)."""
    users = {m.user.username: m.user for m in guild.members.values()}
    async with running_bot(marquee_settings(fd, tmp_path), guild_ready_timeout=0.05) as bot:
        cog = cast(CountdownCommands, bot.get_cog("CountdownCommands"))
        cog.service.clock = clock
        yield Fans(fd, bot, guild, fd.general(guild), users["hyosan_fan"], users["moderator"], cog, clock)


def fan_server_with_marquee(
    fd: FakeDiscord, tmp_path: Path, *, permissions: int = CREATE_EVENTS
) -> AbstractAsyncContextManager[Fans]:
    return marquee(fd, tmp_path, aouad_fans(fd, permissions=permissions), Clock())


async def set_up(fans: Fans, **options: Any) -> str:
    reply = await fans.command("countdown setup", **options)
    assert "pinned" in reply.content or "Create Events" in reply.content, reply.content
    return str(reply.content)


async def test_confirmed_day_becomes_one_event_at_netflix_midnight(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """A confirmed day puts one external event at Netflix in the server: 00:00 Pacific, an hour long, sourced."""
    async with fan_server_with_marquee(fake_discord, tmp_path) as fans:
        await set_up(fans, event=True)
        assert fans.events() == []  # the show pack's reported window earns no event
        await fans.news(WINTER)
        await fans.cog.run_due()  # nothing new to do: still one event
    [event] = fans.events()
    start = pacific_midnight(WINTER)
    assert (event.name, event.location, event.start, event.end) == (
        PREMIERE,
        "Netflix",
        start,
        start + timedelta(hours=1),
    )
    assert start.hour == 8 and event.status == 1 and event.creator is fake_discord.bot_user
    assert event.entity_type == 3 and event.channel_id is None
    description = event.description or ""
    assert "Netflix Tudum" in description and f"premiere date: January 29, {YEAR}" in description
    assert f"{NETFLIX_LINK}-{WINTER.isoformat()}" in description


async def test_a_date_that_moves_twice_moves_the_one_event(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """Two later confirmations move the same event twice (summer time counted); no second event appears."""
    async with fan_server_with_marquee(fake_discord, tmp_path) as fans:
        await set_up(fans, event=True)
        await fans.news(WINTER)
        [made] = fans.events()
        await fans.news(SUMMER)
        [moved] = fans.events()
        assert moved.start == pacific_midnight(SUMMER) and moved.start.hour == 7
        await fans.news(LATER)
    [event] = fans.events()
    assert event.id == made.id and event.status == 1
    assert (event.start, event.end) == (pacific_midnight(LATER), pacific_midnight(LATER) + timedelta(hours=1))
    assert f"{LATER:%B} {LATER.day}" in (event.description or "")
    path = f"/guilds/{fans.guild.id}/scheduled-events"
    assert len(fake_discord.requests("POST", path)) == 1
    assert len(fake_discord.requests("PATCH", f"{path}/{event.id}")) == 2


async def test_withdrawn_date_cancels_and_a_new_confirmation_makes_a_new_event(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """A moderator taking the date back to a window cancels the event; a later confirmed day gets a fresh one."""
    async with fan_server_with_marquee(fake_discord, tmp_path) as fans:
        await set_up(fans, event=True)
        await fans.news(WINTER)
        [first] = fans.events()
        await fans.set(f"early {YEAR}", "reported")
        assert [e.status for e in fans.events()] == [4]
        await fans.set(f"June 4, {YEAR}", "confirmed")
    cancelled, fresh = fans.events()
    assert cancelled.id == first.id and cancelled.status == 4
    assert fresh.status == 1 and fresh.start == pacific_midnight(SUMMER) and fresh.name == PREMIERE
    assert "news.example" in (fresh.description or "")


@pytest.mark.parametrize(
    ("when", "status"),
    [("January 29, {year}", "reported"), ("January 29, {year}", "rumoured"), ("February {year}", "confirmed")],
    ids=["reported day", "rumoured day", "confirmed month"],
)
async def test_no_event_without_a_confirmed_day(
    fake_discord: FakeDiscord, tmp_path: Path, when: str, status: str
) -> None:
    """Rumoured or reported days, and a confirmed window wider than a day, put nothing in the server's events."""
    async with fan_server_with_marquee(fake_discord, tmp_path) as fans:
        await set_up(fans, event=True)
        await fans.set(when.format(year=YEAR), status)
    assert fans.events() == []
    assert fake_discord.requests("POST", f"/guilds/{fans.guild.id}/scheduled-events") == []


async def test_without_create_events_the_countdown_works_and_show_says_what_to_grant(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """Missing Create Events: setup says so, the pin still follows the news, and /countdown show names it."""
    async with fan_server_with_marquee(fake_discord, tmp_path, permissions=DEFAULT_BOT_PERMISSIONS) as fans:
        reply = await set_up(fans, event=True)
        assert "Create Events" in reply and "Server Settings" in reply
        await fans.news(WINTER)
        [pin] = fake_discord.pins(fans.channel)
        assert "Confirmed:" in str(pin.embeds[0].get("description", ""))
        for user in (fans.fan, fans.mod):
            shown = await fans.command("countdown show", user=user)
            fields = {f["name"]: f["value"] for f in shown.embeds[0]["fields"]}
            assert "Create Events" in fields["Premiere event"], fields
            assert "error" not in str(shown.embeds[0]).lower()
    assert fans.events() == []
    assert fake_discord.requests("POST", f"/guilds/{fans.guild.id}/scheduled-events") == []


async def test_a_restart_between_creating_and_recording_makes_no_second_event(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """Marquee stopping before it stored the event's id adopts that event after the restart and moves it."""
    guild, clock = aouad_fans(fake_discord), Clock()
    async with marquee(fake_discord, tmp_path, guild, clock) as fans:
        await set_up(fans, event=True)
        await fans.news(WINTER)
        # The crash: Discord made the event, the id never reached the database.
        await db.countdown.event_shown(fans.cog.service.db, fans.guild.id, event_id=None, shown=None)
    [made] = fans.events()
    async with marquee(fake_discord, tmp_path, guild, clock) as fans:
        await fans.cog.run_due()
        await fans.news(SUMMER)
        await fans.news(LATER)
    [event] = fans.events()
    assert event.id == made.id and event.start == pacific_midnight(LATER)
    assert len(fake_discord.requests("POST", f"/guilds/{fans.guild.id}/scheduled-events")) == 1


async def test_an_event_someone_deleted_stays_deleted_until_the_day_changes(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """A moderator deleting the event in Discord is respected for that day; a new confirmed day gets an event."""
    async with fan_server_with_marquee(fake_discord, tmp_path) as fans:
        await set_up(fans, event=True)
        await fans.news(WINTER)
        [made] = fans.events()
        gone = await rawapi.call(fake_discord, "DELETE", f"/guilds/{fans.guild.id}/scheduled-events/{made.id}")
        assert gone.status == 204
        await fans.set(f"January 29, {YEAR}", "confirmed")  # the same day again, from another source
        assert fans.events() == []
        await fans.news(SUMMER)
    [event] = fans.events()
    assert event.id != made.id and event.start == pacific_midnight(SUMMER)


async def test_event_can_be_switched_on_later_and_off_again(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """/countdown event turns the premiere event on for an existing countdown, and off (cancelling it)."""
    async with fan_server_with_marquee(fake_discord, tmp_path) as fans:
        await set_up(fans)
        await fans.news(WINTER)
        assert fans.events() == []  # not asked for
        on = await fans.command("countdown event", enabled=True)
        assert "on" in on.content
        await fans.cog.run_due()
        [event] = fans.events()
        assert event.start == pacific_midnight(WINTER)
        off = await fans.command("countdown event", enabled=False)
        assert "off" in off.content
        await fans.cog.run_due()
        refused = await fans.command("countdown event", user=fans.fan, enabled=True)
        assert "Manage Server" in refused.content
    assert [e.status for e in fans.events()] == [4]
