"""What one server and one person may use of a shared Marquee, end to end: feeds and blocklist entries per server,
/feeds add and /feeds test per minute, and /feeds refresh waiting for a site that asked it to."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import db.feeds as store
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER
from fakediscord.server import Reply
from fakediscord.world import Channel, User
from tests.helpers.feeds import rss
from tests.helpers.marquee import fan_server
from tests.helpers.newsdesk import NewsDesk

TIMESTAMP = re.compile(r"<t:(\d+):R>")


def tighten(desk: NewsDesk, **limits: int) -> None:
    """Run the desk's Marquee with some limits lower than the defaults (read at each command)."""
    desk.cog.service.limits = replace(desk.cog.service.limits, **limits)


def small_feed(desk: NewsDesk, path: str) -> str:
    desk.fs.add(path, rss(f"Feed {path.strip('/')}", [(f"Story {path}", f"https://news.example{path}/1")]))
    return desk.url(path)


async def add_as(desk: NewsDesk, user: User, channel: Channel, path: str) -> Reply:
    url = small_feed(desk, path)
    handle = await desk.fd.invoke("feeds add", user=user, in_channel=channel, options={"url": url})
    return await handle.response()


def moment(reply: Reply) -> datetime:
    """The time a reply's relative Discord timestamp stands for."""
    found = TIMESTAMP.search(reply.content)
    assert found is not None, reply.content
    return datetime.fromtimestamp(int(found.group(1)), UTC)


# -- feeds and blocklist entries per server --------------------------------------------------------------------


async def test_a_server_at_its_feed_limit_is_told_to_remove_one_first(desk: NewsDesk) -> None:
    """With room for 3 feeds, the 4th /feeds add is refused before any fetch, naming the limit and /feeds remove."""
    tighten(desk, feeds_per_server=3)
    for n in range(3):
        assert "now follows" in (await add_as(desk, desk.mod, desk.channel, f"/feed-{n}")).content
    refused = await add_as(desk, desk.mod, desk.channel, "/feed-3")
    assert refused.ephemeral
    assert "follows 3 feeds" in refused.content and "at most 3" in refused.content
    assert "`/feeds remove`" in refused.content
    assert desk.fs.hits("/feed-3") == 0
    assert len(await store.guild_subscriptions(desk.bot.db, desk.guild.id)) == 3

    first = (await store.guild_subscriptions(desk.bot.db, desk.guild.id))[0]
    assert "no longer follows" in (await desk.run("feeds remove", subscription=first.id)).content
    assert "now follows" in (await add_as(desk, desk.mod, desk.channel, "/feed-3")).content


async def test_a_full_blocklist_is_refused_with_the_way_to_make_room(desk: NewsDesk) -> None:
    """With room for 2 entries, a third site is refused naming /feeds unblock; re-blocking a listed one still works."""
    tighten(desk, blocklist_per_server=2)
    await desk.run("feeds block", domain="pirate-one.example", phrase="leaked episode")
    refused = await desk.run("feeds block", domain="pirate-two.example")
    assert refused.ephemeral
    assert "blocks 2 sites and phrases" in refused.content and "at most 2" in refused.content
    assert "`/feeds unblock`" in refused.content
    again = await desk.run("feeds block", domain="pirate-one.example")
    assert "pirate-two" not in again.content and "`pirate-one.example`" in again.content

    await desk.run("feeds unblock", entry="leaked episode")
    shown = await desk.run("feeds block", domain="pirate-two.example")
    assert "`pirate-one.example`, `pirate-two.example`" in shown.content


# -- /feeds add and /feeds test per minute -----------------------------------------------------------------------


async def test_twenty_adds_in_a_row_go_through_and_the_31st_command_in_a_minute_waits(desk: NewsDesk) -> None:
    """A moderator adds 20 feeds and previews 10 more at once; the 31st command says when to try again."""
    started = datetime.now(UTC)
    for n in range(20):
        assert "now follows" in (await add_as(desk, desk.mod, desk.channel, f"/setup-{n}")).content, n
    for n in range(10):
        assert "usable feed" in (await desk.run("feeds test", url=small_feed(desk, f"/preview-{n}"))).content, n
    refused = await add_as(desk, desk.mod, desk.channel, "/one-too-many")
    assert refused.ephemeral
    assert "You have used `/feeds add` and `/feeds test` 30 times in the last minute; try again" in refused.content
    assert started < moment(refused) <= started + timedelta(seconds=61)
    assert desk.fs.hits("/one-too-many") == 0
    assert len(await store.guild_subscriptions(desk.bot.db, desk.guild.id)) == 20


async def test_a_servers_cooldown_stops_its_other_moderators_but_no_other_server(desk: NewsDesk) -> None:
    """Once a server has used its minute, a second moderator there waits too; another server adds as usual."""
    tighten(desk, feeds_commands_per_server_minute=3)
    for n in range(3):
        assert "now follows" in (await add_as(desk, desk.mod, desk.channel, f"/busy-{n}")).content
    colleague = desk.fd.add_user("co_moderator")
    moderators = next(r for r in desk.guild.roles.values() if r.name == "Moderators")
    desk.fd.add_member(desk.guild, colleague, roles=[moderators])
    refused = await add_as(desk, colleague, desk.channel, "/busy-3")
    assert "This server has used `/feeds add` and `/feeds test` 3 times in the last minute" in refused.content
    assert "try again <t:" in refused.content

    other_guild, _, other_mod = fan_server(desk.fd, "Another Fan Server")
    other = desk.fd.general(other_guild)
    assert "now follows" in (await add_as(desk, other_mod, other, "/elsewhere")).content


async def test_a_hostile_server_at_its_caps_does_not_stop_a_victim_server(desk: NewsDesk) -> None:
    """A server at its feed limit that keeps hammering /feeds add is refused; a victim server's add still works."""
    tighten(desk, feeds_per_server=2, feeds_commands_per_server_minute=4)
    hostile_guild, _, hostile_mod = fan_server(desk.fd, "Hostile Server")
    hostile = desk.fd.general(hostile_guild)
    replies = [(await add_as(desk, hostile_mod, hostile, f"/spam-{n}")).content for n in range(6)]
    assert [("now follows" in r, "at most 2" in r, "This server has used" in r) for r in replies] == [
        (True, False, False),
        (True, False, False),
        (False, True, False),
        (False, True, False),
        (False, False, True),
        (False, False, True),
    ]
    assert sum(desk.fs.hits(f"/spam-{n}") for n in range(6)) == 2

    assert "now follows" in (await add_as(desk, desk.mod, desk.channel, "/victim")).content
    assert len(await store.guild_subscriptions(desk.bot.db, desk.guild.id)) == 1


# -- /feeds refresh and a site that asked us to wait -------------------------------------------------------------


async def test_refresh_leaves_a_feed_alone_until_its_retry_after_and_says_when(desk: NewsDesk) -> None:
    """After a 429 with Retry-After: 3600, /feeds refresh fetches only the other feed and names the hour's wait."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    desk.fs.add_sample("/busy", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    await desk.add("/busy")
    desk.fs.add("/busy", "slow down", status=429, headers={"Retry-After": "3600"})
    started = datetime.now(UTC)
    await desk.cog.poll_once(everything=True)
    assert desk.fs.answered("/busy", 429) == 1
    desk.fs.add_sample("/busy", SAMPLE_WORDPRESS_NEWER)  # the site is back, but asked for an hour
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    dispatch_fetches, busy_fetches = desk.fs.hits("/dispatch"), desk.fs.hits("/busy")

    reply = await desk.run("feeds refresh")
    assert desk.fs.hits("/busy") == busy_fetches
    assert desk.fs.hits("/dispatch") == dispatch_fetches + 1
    assert f"✓ <{desk.url('/dispatch')}>: 1 new" in reply.content
    assert f"⏳ <{desk.url('/busy')}>: next check <t:" in reply.content
    assert "(the site asked us to wait)" in reply.content
    assert started + timedelta(minutes=59) < moment(reply) < started + timedelta(minutes=62)


async def test_refresh_does_not_retry_a_failing_feed_before_its_backoff(desk: NewsDesk) -> None:
    """A feed that just failed with HTTP 500 waits for its backoff; /feeds refresh says so instead of fetching."""
    desk.fs.add_sample("/flaky", SAMPLE_WORDPRESS)
    await desk.add("/flaky")
    desk.fs.add("/flaky", "oops", status=500)
    await desk.cog.poll_once(everything=True)
    fetches = desk.fs.hits("/flaky")

    reply = await desk.run("feeds refresh")
    assert desk.fs.hits("/flaky") == fetches
    assert f"⏳ <{desk.url('/flaky')}>: next check <t:" in reply.content
    assert "(waiting after 1 failed check(s) in a row)" in reply.content
    assert moment(reply) > datetime.now(UTC)
