"""The countdown following a real feed: a poll finds a confirmed date and the pinned message follows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest

from cogs.countdown._cog import CountdownCommands
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER
from fakediscord.world import Message
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
