"""The countdown following a real feed: a poll finds a confirmed date and the pinned message follows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest

from cogs.countdown._cog import CountdownCommands
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER
from fakediscord.world import Message
from tests.helpers.feeds import rss
from tests.helpers.marquee import fan_server
from tests.helpers.newsdesk import FEEDS_ONLY, NewsDesk

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
def desk_extensions() -> tuple[str, ...]:
    """The news desk runs the countdown too: it listens to what the feeds cog finds."""
    return (*FEEDS_ONLY, "cogs.countdown")


def embed_text(message: Message) -> str:
    embed: dict[str, Any] = message.embeds[0]
    return "\n".join([str(embed.get("description", "")), *(str(f["value"]) for f in embed.get("fields", []))])


async def test_confirmed_date_in_a_polled_feed_moves_the_pin(desk: NewsDesk) -> None:
    """A 'Netflix confirms … premiere date' article in a followed feed edits the pin and is announced once."""
    fd, general = desk.fd, desk.channel
    news = fd.add_channel(desk.guild, "news")
    countdown = cast(CountdownCommands, desk.bot.get_cog("CountdownCommands"))
    countdown.service.clock = lambda: NOW
    await (await fd.invoke("countdown setup", user=desk.mod, in_channel=general)).response()
    [pin] = fd.pins(general)
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch", channel=news)
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    await desk.cog.poll_once(everything=True)
    release = int(datetime(2027, 1, 29, 8, tzinfo=UTC).timestamp())
    await fd.wait_until(lambda: pin if f"<t:{release}:D>" in embed_text(pin) else None, 5, "the pin to move")
    assert "**Confirmed:" in embed_text(pin) and "2026-11-23" in embed_text(pin)
    [_, note] = await fd.wait_for_messages(general, 2)
    await countdown.run_due()
    assert len(fd.messages(general)) == 2
    assert "→ confirmed January 29, 2027" in note.content
    assert "kdramadispatch.example/2026/11/aouad-season-2-premiere-date" in note.content


HOSTILE_CLAIM = "Netflix officially confirms All of Us Are Dead season 2 premieres March 5, 2027"


async def test_another_servers_feed_never_moves_this_servers_countdown(desk: NewsDesk) -> None:
    """A hostile server's own feed 'confirming' a date moves only its own pin: the victim's pin, pings and history
    stay as they were, and a server that sets up its countdown afterwards does not replay that news."""
    fd, victim_channel = desk.fd, desk.channel
    countdown = cast(CountdownCommands, desk.bot.get_cog("CountdownCommands"))
    countdown.service.clock = lambda: NOW
    role = fd.add_role(desk.guild, "Countdown", mentionable=True)
    setup = await fd.invoke("countdown setup", user=desk.mod, in_channel=victim_channel, options={"ping_role": role})
    await setup.response()
    [victim_pin] = fd.pins(victim_channel)
    before = embed_text(victim_pin)

    hostile, _, hostile_mod = fan_server(fd, "Totally Real Netflix News")
    hostile_channel = fd.general(hostile)
    await (await fd.invoke("countdown setup", user=hostile_mod, in_channel=hostile_channel)).response()
    [hostile_pin] = fd.pins(hostile_channel)
    desk.fs.add("/hostile", rss("Netflix Newsroom", [("Behind the scenes", "https://netflix.example/bts")]))
    add = await fd.invoke(
        "feeds add", user=hostile_mod, in_channel=hostile_channel, options={"url": desk.url("/hostile")}
    )
    assert "now follows" in (await add.response()).content
    desk.fs.add("/hostile", rss("Netflix Newsroom", [(HOSTILE_CLAIM, "https://netflix.example/aouad-s2")]))
    await desk.cog.poll_once(everything=True)
    await fd.wait_until(
        lambda: hostile_pin if "March 5, 2027" in embed_text(hostile_pin) else None, 5, "the hostile server's pin"
    )

    await countdown.run_due()
    assert embed_text(victim_pin) == before
    assert [m.id for m in fd.messages(victim_channel)] == [victim_pin.id]
    assert not fd.pings(victim_pin)
    history = await (await fd.invoke("countdown history", user=desk.mod, in_channel=victim_channel)).response()
    assert "March" not in str(history.embeds[0])

    late, _, late_mod = fan_server(fd, "Late Joiners")
    late_channel = fd.general(late)
    await (await fd.invoke("countdown setup", user=late_mod, in_channel=late_channel)).response()
    [late_pin] = fd.pins(late_channel)
    assert "March 5, 2027" not in embed_text(late_pin)
    assert "Reported: late 2026 or early 2027" in embed_text(late_pin)
