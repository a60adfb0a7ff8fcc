"""Feeds that go bad after they were added: each gets a clear status, nothing crashes, other feeds keep flowing."""

from __future__ import annotations

import pytest

import db.feeds as store
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER
from tests.helpers.newsdesk import NewsDesk

# The bad feed is served at /feed, first as a good feed (so /feeds add accepts it), then redirected to one of
# the feed server's hostile endpoints, the way a site that breaks or moves does.
BAD_FEEDS = [
    ("malformed", "the XML is malformed"),
    ("html", "this is a web page"),
    ("wrong-charset", "not in the character set it declares"),
    ("billion-laughs", "it declares XML entities"),
    ("huge", "larger than 5,000,000 bytes"),
    ("huge-declared", "announced 52,428,800 bytes"),
    ("gzip-bomb", "larger than 5,000,000 bytes"),
    ("trickle", "no complete answer within"),
    ("loop", "redirect loop"),
    ("404", "HTTP 404"),
    ("410", "410 Gone"),
    ("429", "HTTP 429"),
]


async def follow_good_and_bad(desk: NewsDesk) -> None:
    desk.fs.add_sample("/good", SAMPLE_WORDPRESS)
    desk.fs.add_sample("/feed", "reddit-allofusaredead.xml")
    for path in ("/good", "/feed"):
        reply = await desk.add(path)
        assert "now follows" in reply.content, reply.content
    desk.fs.add_sample("/good", SAMPLE_WORDPRESS_NEWER)


async def feed_field(desk: NewsDesk, title: str) -> str:
    reply = await desk.run("feeds status")
    assert reply.ephemeral
    return next(str(f["name"]) + "\n" + str(f["value"]) for f in reply.embeds[0]["fields"] if title in f["name"])


@pytest.mark.parametrize(("case", "reason"), BAD_FEEDS, ids=[c for c, _ in BAD_FEEDS])
async def test_bad_feed_shows_why_and_others_keep_flowing(desk: NewsDesk, case: str, reason: str) -> None:
    """Each kind of broken feed is reported in /feeds status while the good feed's new article is posted."""
    await follow_good_and_bad(desk)
    desk.fs.add_redirect("/feed", f"/hostile/{case}")
    outcomes = await desk.cog.poll_once(everything=True)
    assert len(outcomes) == 2
    (post,) = await desk.fd.wait_until(lambda: desk.posts(desk.channel) or None, 5, "the good feed's post")
    assert post.embeds[0]["title"] == "Netflix confirms All of Us Are Dead season 2 premiere date"
    shown = await feed_field(desk, "All of Us Are Dead")  # the bad feed kept the title it had when it worked
    assert reason in shown, shown
    assert "Failures in a row: 1" in shown or "Paused" in shown


async def test_gone_feed_is_paused_and_its_channel_told_once(desk: NewsDesk) -> None:
    """A 410 pauses the feed at once, says why in status, and tells the channel one time only."""
    await follow_good_and_bad(desk)
    desk.fs.add_redirect("/feed", "/hostile/410")
    await desk.cog.poll_once(everything=True)
    shown = await feed_field(desk, "⏸")
    assert "**Paused:** the feed answered 410 Gone" in shown
    await desk.cog.poll_once(everything=True)
    await desk.cog.poll_once(everything=True)
    told = [m for m in desk.fd.messages(desk.channel) if m.content.startswith("I stopped checking")]
    assert len(told) == 1 and "410 Gone" in told[0].content
    assert desk.fs.hits("/hostile/410") == 1


async def test_feed_missing_on_three_checks_is_paused(desk: NewsDesk) -> None:
    """A feed answering 404 on three checks in a row is paused with that reason; two are only failures."""
    await follow_good_and_bad(desk)
    desk.fs.add_redirect("/feed", "/hostile/404")
    await desk.cog.poll_once(everything=True)
    await desk.cog.poll_once(everything=True)
    assert "Paused" not in await feed_field(desk, "All of Us Are Dead")
    await desk.cog.poll_once(everything=True)
    shown = await feed_field(desk, "All of Us Are Dead")
    assert "404 Not Found on 3 checks in a row" in shown
    assert await store.due_feeds(desk.bot.db, desk.cog.service.now()) == []


async def test_rate_limited_feed_waits_as_long_as_asked(desk: NewsDesk) -> None:
    """A 429 with Retry-After: 120 is not fetched again before those two minutes are up."""
    await follow_good_and_bad(desk)
    desk.fs.add_redirect("/feed", "/hostile/429")
    before = desk.cog.service.now()
    await desk.cog.poll_once(everything=True)
    feeds = {f.title: f for f in await store.guild_feeds(desk.bot.db, desk.guild.id)}
    limited = feeds["All of Us Are Dead"]
    assert limited.last_status == 429
    assert (limited.next_due_at - before).total_seconds() >= 120
