"""/countdown as moderators and fans use it, end to end through fakediscord with the real bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import discord
import pytest_asyncio

import db.countdown
from bot.feeds.news import News
from bot.feeds.normalise import NewsItem
from bot.runner import running_bot
from cogs.countdown._cog import CountdownCommands
from fakediscord.server import FakeDiscord
from fakediscord.world import Guild, Message
from tests.helpers.marquee import Server, fan_server, marquee_settings

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NETFLIX_LINK = "https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2-date"


class Clock:
    """The countdown's sense of time, moved by the test instead of waited for."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def news(
    title: str,
    summary: str,
    *,
    published: datetime = START,
    link: str = NETFLIX_LINK,
    outlet: str = "Netflix Tudum",
) -> NewsItem:
    return NewsItem(
        guid=None,
        link=link,
        title=title,
        summary=summary,
        published=published,
        author=None,
        image=None,
        outlet=outlet,
        outlet_url=None,
        categories=(),
    )


CONFIRMED = news(
    "Netflix confirms All of Us Are Dead season 2 premiere date",
    "Netflix announced that All of Us Are Dead season 2 premieres on December 4, 2026.",
)
OLD_RUMOUR = news(
    "All of Us Are Dead season 2 could land in March 2027",
    "The second season is expected in March 2027.",
    published=START - timedelta(days=30),
    link="https://rumours.example/aouad-march",
    outlet="Rumour Mill",
)


@dataclass
class Countdown:
    server: Server
    cog: CountdownCommands
    clock: Clock


def countdown_cog(bot: discord.ext.commands.Bot, clock: Clock) -> CountdownCommands:
    cog = bot.get_cog("CountdownCommands")
    assert cog is not None  # each bot imports its extensions afresh, so the class is not ours to isinstance
    cog = cast(CountdownCommands, cog)
    cog.service.clock = clock
    return cog


@pytest_asyncio.fixture
async def countdown(server: Server) -> Countdown:
    clock = Clock(START)
    return Countdown(server, countdown_cog(server.bot, clock), clock)


def news_for(guild: Guild, *items: NewsItem) -> News:
    """New items as the feeds hand them on: from a feed this server follows."""
    return News(items, frozenset({guild.id}))


def text(message: Message) -> str:
    embed = message.embeds[0]
    parts = [str(embed.get("title", "")), str(embed.get("description", ""))]
    parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    parts.append(str(embed.get("footer", {}).get("text", "")))
    return "\n".join(parts)


async def setup_countdown(server: Server, **options: Any) -> Message:
    reply = await (
        await server.fd.invoke("countdown setup", user=server.mod, in_channel=server.channel, **options)
    ).response()
    assert reply.ephemeral
    assert "pinned" in reply.content, reply.content
    pins = server.fd.pins(server.channel)
    assert len(pins) == 1
    return pins[0]


async def edited(fd: FakeDiscord, message: Message, wanted: str) -> Message:
    return await fd.wait_until(lambda: message if wanted in text(message) else None, 5, f"pin showing {wanted!r}")


async def test_setup_pins_what_the_show_pack_knows(countdown: Countdown) -> None:
    """/countdown setup posts one message, pins it, and says how sure the current window is."""
    server = countdown.server
    pin = await setup_countdown(server)
    body = text(pin)
    assert "Reported: late 2026 or early 2027" in body
    assert "📰 Reported" in body and "Marquee show pack" in body
    assert "<t:" not in body.split("Last changed")[0]  # a window is never shown as a countdown to a day
    assert not server.fd.pings(pin)


async def test_confirmed_article_edits_the_pin_and_announces_once(countdown: Countdown) -> None:
    """A confirmed date in the news edits the pin in place and posts exactly one announcement."""
    server, cog = countdown.server, countdown.cog
    pin = await setup_countdown(server)
    server.bot.dispatch("news_items", news_for(server.guild, CONFIRMED))
    await edited(server.fd, pin, "Confirmed:")
    moment = int(datetime(2026, 12, 4, 8, tzinfo=UTC).timestamp())
    assert f"<t:{moment}:D>" in text(pin) and f"<t:{moment}:R>" in text(pin)
    assert "Netflix Tudum, 2026-11-20" in text(pin)
    messages = await server.fd.wait_for_messages(server.channel, 2)
    await cog.on_news_items(news_for(server.guild, CONFIRMED))  # the same article again, from another feed
    await cog.run_due()
    messages = server.fd.messages(server.channel)
    assert messages[0].id == pin.id and len(messages) == 2
    note = messages[1].content
    assert "reported late 2026 or early 2027 → confirmed December 4, 2026 — Netflix Tudum, 2026-11-20" in note
    assert [p.id for p in server.fd.pins(server.channel)] == [pin.id]
    assert not server.fd.pings(messages[1])


async def test_deleted_pin_is_posted_and_pinned_again(countdown: Countdown) -> None:
    """A moderator deleting the countdown message gets it back, pinned, with the same content."""
    server = countdown.server
    pin = await setup_countdown(server)
    server.fd.delete_message(server.channel, pin.id)
    again = await server.fd.wait_until(
        lambda: next((m for m in server.fd.pins(server.channel) if m.id != pin.id), None), 5, "a new pin"
    )
    assert text(again) == text(pin)
    assert len(server.fd.messages(server.channel)) == 1


async def test_pin_gone_on_edit_is_posted_again(countdown: Countdown) -> None:
    """If the message vanished unnoticed, the next edit finds it gone and posts and pins a new one."""
    server, cog = countdown.server, countdown.cog
    pin = await setup_countdown(server)
    channel = server.fd.world.channels[server.channel.id]
    channel.messages.pop(pin.id)  # gone without any event reaching the bot
    channel.pins.pop(pin.id)
    await cog.on_news_items(news_for(server.guild, CONFIRMED))
    await cog.run_due()
    pins = server.fd.pins(server.channel)
    assert len(pins) == 1 and pins[0].id != pin.id and "Confirmed:" in text(pins[0])


async def test_setup_again_repins_or_reposts_but_never_duplicates(countdown: Countdown) -> None:
    """Setup run again keeps the one message (pinning it again if unpinned) or replaces it if it vanished."""
    server = countdown.server
    pin = await setup_countdown(server)
    channel = server.fd.world.channels[server.channel.id]
    channel.pins.pop(pin.id)  # a moderator unpinned it
    assert [m.id for m in await _setup_again(server)] == [pin.id]
    channel.messages.pop(pin.id)  # and now it is gone altogether
    channel.pins.pop(pin.id)
    [again] = await _setup_again(server)
    assert again.id != pin.id and server.fd.messages(server.channel) == [again]


async def _setup_again(server: Server) -> list[Message]:
    reply = await (await server.fd.invoke("countdown setup", user=server.mod, in_channel=server.channel)).response()
    assert "pinned" in reply.content, reply.content
    return server.fd.pins(server.channel)


async def test_missing_pin_permission_is_named(countdown: Countdown) -> None:
    """Without Pin Messages in the channel, setup says exactly that and posts nothing."""
    server = countdown.server
    server.fd.set_overwrite(
        server.channel, server.fd.bot_role(server.guild), deny=discord.Permissions(pin_messages=True)
    )
    handle = await server.fd.invoke("countdown setup", user=server.mod, in_channel=server.channel)
    reply = await handle.response()
    assert reply.ephemeral
    assert "Pin Messages" in reply.content and "Send Messages" not in reply.content
    assert server.fd.messages(server.channel) == []


async def test_fans_cannot_set_up_or_set(countdown: Countdown) -> None:
    """Setup and set need Manage Server; a fan is told so privately and nothing is posted."""
    server = countdown.server
    for command, options in (
        ("countdown setup", {}),
        ("countdown set", {"when": "2027", "status": "rumoured", "source_url": "https://x.example/a"}),
    ):
        reply = await (
            await server.fd.invoke(command, user=server.fan, in_channel=server.channel, options=options)
        ).response()
        assert reply.ephemeral and "Manage Server" in reply.content
    assert server.fd.messages(server.channel) == []


async def test_locked_countdown_ignores_the_news(countdown: Countdown) -> None:
    """After /countdown lock, a confirmed article changes neither the pin nor the channel; history says why."""
    server, cog = countdown.server, countdown.cog
    pin = await setup_countdown(server)
    reply = await (await server.fd.invoke("countdown lock", user=server.mod, in_channel=server.channel)).response()
    assert reply.ephemeral and "Locked" in reply.content
    await cog.run_due()
    await cog.on_news_items(news_for(server.guild, CONFIRMED))
    await cog.run_due()
    assert "Reported: late 2026 or early 2027" in text(pin) and "Locked by a moderator" in text(pin)
    assert len(server.fd.messages(server.channel)) == 1
    history = await (await server.fd.invoke("countdown history", user=server.mod, in_channel=server.channel)).response()
    assert "confirmed December 4, 2026" in history.embeds[0]["description"]
    assert "locked by a moderator" in history.embeds[0]["description"]


async def test_unlock_catches_up_with_news_missed_while_locked(countdown: Countdown) -> None:
    """News kept out by the lock is weighed again on unlock: the pin moves and the change is announced once."""
    server, cog, clock = countdown.server, countdown.cog, countdown.clock
    pin = await setup_countdown(server)
    await (await server.fd.invoke("countdown lock", user=server.mod, in_channel=server.channel)).response()
    await cog.on_news_items(news_for(server.guild, CONFIRMED))
    clock.at += timedelta(minutes=5)
    reply = await (await server.fd.invoke("countdown unlock", user=server.mod, in_channel=server.channel)).response()
    assert "Unlocked" in reply.content
    await edited(server.fd, pin, "Confirmed:")
    [_, note] = await server.fd.wait_for_messages(server.channel, 2)
    await cog.run_due()
    assert len(server.fd.messages(server.channel)) == 2
    assert "→ confirmed December 4, 2026" in note.content
    assert "Locked by a moderator" not in text(pin)


async def test_set_in_words_pings_only_the_chosen_role(countdown: Countdown) -> None:
    """/countdown set "early December 2026" updates the pin and the announcement pings only the set role."""
    server = countdown.server
    role = server.fd.add_role(server.guild, "Countdown", mentionable=True)
    pin = await setup_countdown(server, ping_role=role)
    reply = await (
        await server.fd.invoke(
            "countdown set",
            user=server.mod,
            in_channel=server.channel,
            when="early December 2026",
            status="reported",
            source_url="https://news.example/aouad-early-december",
        )
    ).response()
    assert reply.ephemeral and "reported early December 2026" in reply.content
    await edited(server.fd, pin, "Reported: early December 2026")
    note = (await server.fd.wait_for_messages(server.channel, 2))[1]
    assert note.content.startswith(f"<@&{role.id}>")
    assert "set by a moderator" in note.content and "news.example" in note.content
    pings = server.fd.pings(note)
    assert pings.roles == {role.id} and not pings.everyone and not pings.users


async def test_set_with_unreadable_words_explains(countdown: Countdown) -> None:
    """Words that are not one date or window get examples back, and the pin stays as it was."""
    server = countdown.server
    pin = await setup_countdown(server)
    reply = await (
        await server.fd.invoke(
            "countdown set",
            user=server.mod,
            in_channel=server.channel,
            when="when it's ready",
            status="confirmed",
            source_url="https://news.example/a",
        )
    ).response()
    assert reply.ephemeral and "early December 2026" in reply.content
    assert "Reported: late 2026 or early 2027" in text(pin)


async def test_show_and_history_tell_changes_and_rejections(countdown: Countdown) -> None:
    """Fans see the status and recent changes; moderators see kept-out claims with the reason."""
    server, cog = countdown.server, countdown.cog
    await setup_countdown(server)
    await cog.on_news_items(news_for(server.guild, CONFIRMED, OLD_RUMOUR))
    shown = await (await server.fd.invoke("countdown show", user=server.fan, in_channel=server.channel)).response()
    assert shown.ephemeral
    fields = {f["name"]: f["value"] for f in shown.embeds[0]["fields"]}
    assert fields["Status"] == "✅ Confirmed"
    assert "confirmed December 4, 2026 — Netflix Tudum" in fields["Last changes"]
    assert "March 2027" not in fields["Last changes"]
    history = await (await server.fd.invoke("countdown history", user=server.mod, in_channel=server.channel)).response()
    lines = history.embeds[0]["description"].splitlines()
    rumour = next(line for line in lines if "March 2027" in line)
    assert "✗" in rumour and "Rumour Mill" in rumour and "a confirmed date changes only" in rumour


async def test_server_joining_later_starts_from_the_news_already_read(countdown: Countdown) -> None:
    """News read before a server sets up is in its countdown from the start, without an announcement."""
    server, cog = countdown.server, countdown.cog
    shown = await (await server.fd.invoke("countdown show", user=server.fan, in_channel=server.channel)).response()
    assert "Reported: late 2026 or early 2027" in shown.embeds[0]["description"]
    assert "/countdown setup" in shown.embeds[0]["footer"]["text"]
    await cog.on_news_items(news_for(server.guild, CONFIRMED))
    pin = await setup_countdown(server)
    assert "Confirmed:" in text(pin)
    await cog.run_due()
    assert len(server.fd.messages(server.channel)) == 1


async def test_setup_in_another_channel_moves_the_pin(countdown: Countdown) -> None:
    """Running setup for a new channel leaves exactly one countdown, pinned in the new channel."""
    server = countdown.server
    old = await setup_countdown(server)
    news_channel = server.fd.add_channel(server.guild, "season-2")
    reply = await (
        await server.fd.invoke("countdown setup", user=server.mod, in_channel=server.channel, channel=news_channel)
    ).response()
    assert "season-2" in reply.content or str(news_channel.id) in reply.content
    assert server.fd.messages(server.channel) == []
    [pin] = server.fd.pins(news_channel)
    assert pin.id != old.id and text(pin) == text(old)


async def test_milestones_week_day_and_out_now(countdown: Countdown) -> None:
    """An exact date is marked a week before, a day before, and 'Out now' on release day."""
    server, cog, clock = countdown.server, countdown.cog, countdown.clock
    pin = await setup_countdown(server)
    await cog.on_news_items(news_for(server.guild, CONFIRMED))
    await cog.run_due()
    assert "to go" not in text(pin)
    for at, wanted in (
        (datetime(2026, 11, 27, 9, tzinfo=UTC), "Less than a week to go."),
        (datetime(2026, 12, 3, 9, tzinfo=UTC), "Less than a day to go!"),
        (datetime(2026, 12, 4, 8, tzinfo=UTC), "**Out now**"),
    ):
        clock.at = at
        cog.service.changed.set()
        await edited(server.fd, pin, wanted)
    assert len(server.fd.pins(server.channel)) == 1


async def test_changes_within_a_minute_are_one_later_edit(countdown: Countdown) -> None:
    """Two changes in the same minute: the second waits for the minute to pass, then shows the newest."""
    server, cog, clock = countdown.server, countdown.cog, countdown.clock
    pin = await setup_countdown(server)
    await cog.on_news_items(news_for(server.guild, CONFIRMED))
    await cog.run_due()
    assert "Confirmed:" in text(pin)
    delay = news(
        "Netflix confirms All of Us Are Dead season 2 moves to January 29, 2027",
        "Netflix announced that All of Us Are Dead season 2 premieres on January 29, 2027.",
        published=START + timedelta(days=1),
        link="https://www.netflix.com/tudum/articles/aouad-new-date",
    )
    clock.at += timedelta(seconds=20)
    await cog.on_news_items(news_for(server.guild, delay))
    await cog.run_due()
    january = str(int(datetime(2027, 1, 29, 8, tzinfo=UTC).timestamp()))
    assert january not in text(pin)
    assert len(server.fd.messages(server.channel)) == 3  # both changes announced at once
    clock.at += timedelta(seconds=41)
    await cog.run_due()
    assert january in text(pin)


async def test_restart_reuses_the_pinned_message(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """After a restart the stored message is edited; no second countdown is ever posted."""
    fd = fake_discord
    guild, fan, mod = fan_server(fd)
    channel = fd.general(guild)
    settings = marquee_settings(fd, tmp_path)
    clock = Clock(START)
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        countdown_cog(bot, clock)
        await setup_countdown(Server(fd, bot, guild, channel, fan, mod))
    pin = fd.pins(channel)[0]
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        cog = countdown_cog(bot, clock)
        await cog.run_due()
        assert len(fd.messages(channel)) == 1
        bot.dispatch("news_items", news_for(guild, CONFIRMED))
        await edited(fd, pin, "Confirmed:")
        await fd.wait_for_messages(channel, 2)
        row = await db.countdown.get(bot.db, guild.id)
        assert row is not None and row.message_id == pin.id
    assert [p.id for p in fd.pins(channel)] == [pin.id]
    assert len(fd.messages(channel)) == 2
