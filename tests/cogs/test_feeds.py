"""/feeds and /news as moderators and fans use them, end to end: the real bot, fakediscord, local feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest

import db.feeds as store
from bot.feeds.news import News
from bot.feeds.normalise import NewsItem
from fakediscord.feeds import SAMPLE_GOOGLE_NEWS, SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, FeedServer
from fakediscord.server import FakeDiscord
from tests.helpers.feeds import rss
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import NewsDesk, feeds_bot

POST_WAIT = 10.0  # generous: several posts to one channel are paced 1.25 s apart


# -- subscribing -------------------------------------------------------------------------------------------


async def test_add_previews_the_newest_item_and_posts_nothing_old(desk: NewsDesk) -> None:
    """/feeds add answers privately with the feed's title and newest item; existing items are not posted."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS, gzip=True)
    reply = await desk.add("/dispatch")
    assert reply.ephemeral
    assert "K-Drama Dispatch" in reply.content and "#general" not in reply.content
    assert f"<#{desk.channel.id}>" in reply.content
    assert reply.embeds[0]["title"].startswith("Production wraps on “All of Us Are Dead” season 2")
    assert "utm_" not in reply.embeds[0]["url"]
    await desk.settle()
    assert desk.posts(desk.channel) == []


async def test_backfill_posts_the_newest_items_once(desk: NewsDesk) -> None:
    """backfill:2 posts the two newest articles, newest last, and nothing more on the next poll."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch", backfill=2)
    posts = await desk.fd.wait_for_messages(desk.channel, 2, timeout=POST_WAIT)
    titles = [m.embeds[0]["title"] for m in posts]
    assert titles[1].startswith("Production wraps") and titles[0].startswith("Meet the newcomers")
    await desk.cog.poll_once(everything=True)
    await desk.settle()
    assert len(desk.posts(desk.channel)) == 2


async def test_adding_an_address_that_is_not_a_feed_says_why(desk: NewsDesk) -> None:
    """A web page, a 404 and a non-http scheme each get a clear private refusal and no subscription."""
    for address, expected in (
        (desk.url("/hostile/html"), "web page"),
        (desk.url("/missing"), "HTTP 404"),
        ("ftp://example.org/feed.xml", "Only http:// and https://"),
    ):
        handle = await desk.fd.invoke("feeds add", user=desk.mod, in_channel=desk.channel, url=address)
        reply = await handle.response()
        assert reply.ephemeral and expected in reply.content, (address, reply.content)
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_feeds_test_previews_without_subscribing(desk: NewsDesk) -> None:
    """/feeds test shows the feed and its newest item but follows nothing."""
    desk.fs.add_sample("/yt", "youtube-channel.xml")
    reply = await desk.run("feeds test", url=desk.url("/yt"))
    assert reply.ephemeral and "K-Zombie Talk" in reply.content
    assert reply.embeds[0]["title"] == "All of Us Are Dead season 2: everything confirmed before the premiere"
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_add_refuses_a_channel_marquee_cannot_post_in(desk: NewsDesk) -> None:
    """Subscribing a channel where Marquee lacks Embed Links names exactly that permission."""
    locked = desk.fd.add_channel(desk.guild, "locked-news")
    desk.fd.set_overwrite(locked, desk.fd.bot_role(desk.guild), deny=discord.Permissions(embed_links=True))
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    reply = await desk.add("/dispatch", channel=locked)
    assert reply.ephemeral
    assert "Embed Links" in reply.content and "Send Messages" not in reply.content
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_fans_do_not_see_feed_commands(desk: NewsDesk) -> None:
    """/feeds is hidden from members without Manage Server."""
    with pytest.raises(Exception, match="cannot see /feeds"):
        await desk.fd.invoke("feeds list", user=desk.fan, in_channel=desk.channel)


async def test_private_addresses_are_refused_when_not_allowed(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """Without FEEDS_ALLOW_PRIVATE_NETWORKS a loopback feed is refused before anything is fetched."""
    guild, _, mod = fan_server(fake_discord)
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    async with feeds_bot(marquee_settings(fake_discord, tmp_path)):
        channel = fake_discord.general(guild)
        handle = await fake_discord.invoke("feeds add", user=mod, in_channel=channel, url=feed_server.url("/dispatch"))
        reply = await handle.response()
    assert reply.ephemeral and "loopback" in reply.content
    assert feed_server.hits("/dispatch") == 0


# -- polling and posting -------------------------------------------------------------------------------------


async def test_new_item_is_posted_once_in_every_subscribed_channel(desk: NewsDesk) -> None:
    """One new article reaches #general and #news exactly once each, fetched once, pinging nobody."""
    news = desk.fd.add_channel(desk.guild, "news")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    await desk.add("/dispatch", channel=news)
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    fetches = desk.fs.hits("/dispatch")
    await desk.cog.poll_once(everything=True)
    assert desk.fs.hits("/dispatch") == fetches + 1
    for channel in (desk.channel, news):
        (post,) = await desk.fd.wait_for_messages(channel, 1)
        embed = post.embeds[0]
        assert embed["title"] == "Netflix confirms All of Us Are Dead season 2 premiere date"
        assert embed["url"] == "https://kdramadispatch.example/2026/11/aouad-season-2-premiere-date/"
        assert embed["image"]["url"].endswith("aouad-s2-date.jpg")
        assert "<t:" in embed["description"] and len(embed["description"]) < 400
        assert not desk.fd.pings(post)
    await desk.cog.poll_once(everything=True)
    await desk.settle()
    assert [len(desk.posts(c)) for c in (desk.channel, news)] == [1, 1]
    assert await store.delivery_counts(desk.bot.db) == {"sent": 2}


async def test_same_story_through_two_feeds_is_posted_once(desk: NewsDesk) -> None:
    """The site's own feed and a Google News search carrying the same article post it once per channel."""
    desk.fs.add("/site", rss("Quiet Site", [("An older note about something else", "https://quiet.example/1")]))
    desk.fs.add("/google", rss("Quiet Search", [("Another older note entirely", "https://quiet.example/2")]))
    await desk.add("/site", include="filming")
    await desk.add("/google", include="filming")
    desk.fs.add_sample("/site", SAMPLE_WORDPRESS)
    desk.fs.add_sample("/google", SAMPLE_GOOGLE_NEWS)
    await desk.cog.poll_once(everything=True)
    await desk.settle()
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1)
    assert post.embeds[0]["title"].startswith("Production wraps on")
    await desk.cog.poll_once(everything=True)
    await desk.settle()
    assert len(desk.posts(desk.channel)) == 1
    assert await store.delivery_counts(desk.bot.db) == {"sent": 1}


async def test_filtered_and_blocklisted_items_are_not_posted(desk: NewsDesk) -> None:
    """A pirate 'watch free' page and an excluded keyword never reach the channel; the rest does."""
    desk.fs.add("/google", rss("Quiet Search", [("An older note about something else", "https://quiet.example/1")]))
    await desk.add("/google", exclude="post-production")
    desk.fs.add_sample("/google", SAMPLE_GOOGLE_NEWS)
    await desk.cog.poll_once(everything=True)
    posts = await desk.fd.wait_for_messages(desk.channel, 2, timeout=POST_WAIT)
    await desk.settle()
    titles = [m.embeds[0]["title"] for m in desk.posts(desk.channel)]
    assert len(titles) == 2 == len(posts)
    assert any(t.startswith("Production wraps") for t in titles)
    assert any("시즌2" in t for t in titles)
    assert not any("Watch" in t or "post-production" in t for t in titles)


async def test_server_blocklist_stops_a_domain(desk: NewsDesk) -> None:
    """A domain the server blocked is never posted, even though the default list allows it."""
    await store.save_guild_settings(
        desk.bot.db, store.GuildFeedSettings(desk.guild.id, ("kdramadispatch.example",), (), 0, None)
    )
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    outcomes = await desk.cog.poll_once(everything=True)
    await desk.settle()
    assert [len(o.fresh) for o in outcomes] == [0]
    assert desk.posts(desk.channel) == []


async def test_not_modified_feed_is_not_parsed(desk: NewsDesk) -> None:
    """A feed answering 304 to the conditional request is not parsed and posts nothing."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    (outcome,) = await desk.cog.poll_once(everything=True)
    assert desk.fs.answered("/dispatch", 304) == 1
    assert outcome.status == 304 and not outcome.parsed
    sent = desk.fs.requests[-1].headers
    assert sent.get("If-None-Match") and "Marquee" in sent.get("User-Agent", "")


async def test_countdown_listeners_receive_new_unblocked_items(desk: NewsDesk) -> None:
    """The news_items event carries the items a subscription or a poll sees first, except blocklisted ones,
    with the servers that follow the feed."""
    received: list[list[NewsItem]] = []

    async def on_news_items(news: News) -> None:
        assert news.guild_ids == {desk.guild.id}
        received.append(list(news.items))

    desk.bot.add_listener(on_news_items)
    desk.fs.add("/google", rss("Quiet Search", [("An older note about something else", "https://quiet.example/1")]))
    await desk.add("/google", include="nothing-matches-this")
    desk.fs.add_sample("/google", SAMPLE_GOOGLE_NEWS)
    await desk.fd.wait_until(lambda: received or None, 5, "a news_items event for the subscription")
    assert [i.title for i in received[0]] == ["An older note about something else"]
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(lambda: len(received) > 1 or None, 5, "a news_items event for the poll")
    titles = {i.title for i in received[1]}
    assert len(titles) == 3 and not any("Watch" in t for t in titles)
    assert len(received) == 2


# -- what moderators and fans read ---------------------------------------------------------------------------


async def test_news_lists_what_was_posted_here(desk: NewsDesk) -> None:
    """/news shows a fan the latest posted articles as links, newest first."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch", backfill=1)
    await desk.fd.wait_for_messages(desk.channel, 1)
    await desk.fd.wait_until(lambda: desk.posts(desk.channel) or None, 5, "a post")
    await desk.settle()
    handle = await desk.fd.invoke("news", user=desk.fan, in_channel=desk.channel)
    reply = await handle.response()
    assert not reply.ephemeral
    assert "Production wraps" in reply.embeds[0]["description"]
    assert "https://kdramadispatch.example/" in reply.embeds[0]["description"]


async def test_news_before_anything_was_posted(desk: NewsDesk) -> None:
    """/news in a server without posts says so privately."""
    reply = await (await desk.fd.invoke("news", user=desk.fan, in_channel=desk.channel)).response()
    assert reply.ephemeral and "No news" in reply.content


async def test_list_and_remove_with_autocomplete(desk: NewsDesk) -> None:
    """/feeds remove offers this server's subscriptions by name; removing one stops its posts."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    listing = await desk.run("feeds list")
    assert "K-Drama Dispatch" in listing.content
    choices = await desk.fd.autocomplete(
        "feeds remove", "subscription", "dispatch", user=desk.mod, in_channel=desk.channel
    )
    assert [c["name"] for c in choices] == ["K-Drama Dispatch → #general"]
    reply = await desk.run("feeds remove", subscription=choices[0]["value"])
    assert "no longer follows" in reply.content
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    assert await desk.cog.poll_once(everything=True) == []
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_status_shows_each_feeds_health(desk: NewsDesk) -> None:
    """/feeds status shows last check, HTTP status, next check, failures and posts per feed."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch", backfill=1)
    await desk.fd.wait_until(lambda: desk.posts(desk.channel) or None, 5, "a post")
    await desk.settle()
    desk.fs.add("/dispatch", "oops", status=500)
    await desk.cog.poll_once(everything=True)
    reply = await desk.run("feeds status")
    assert reply.ephemeral
    (field,) = reply.embeds[0]["fields"]
    assert "K-Drama Dispatch" in field["name"]
    for expected in (
        "Last check: <t:",
        "HTTP 500",
        "Next check: <t:",
        "Failures in a row: 1",
        "Posted here in the last 90 days: 1",
    ):
        assert expected in field["value"], expected


async def test_refresh_checks_now_and_only_once_a_minute(desk: NewsDesk) -> None:
    """/feeds refresh fetches this server's feeds at once; a second refresh within the minute is refused."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    first = await desk.run("feeds refresh")
    assert "1 new" in first.content
    await desk.fd.wait_for_messages(desk.channel, 1)
    again = await desk.run("feeds refresh")
    assert again.ephemeral and "again" in again.content


# -- server settings: blocklist, spoiler guard, resuming -----------------------------------------------------


async def test_blocking_a_domain_stops_its_articles(desk: NewsDesk) -> None:
    """/feeds block domain: keeps that site's new articles out of every channel; /feeds unblock lets them in."""
    reply = await desk.run("feeds block", domain="https://www.KDramaDispatch.example/some/page")
    assert "`kdramadispatch.example`" in reply.content
    choices = await desk.fd.autocomplete("feeds unblock", "entry", "kdrama", user=desk.mod, in_channel=desk.channel)
    assert [c["value"] for c in choices] == ["kdramadispatch.example"]
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    await desk.cog.poll_once(everything=True)
    await desk.settle()
    assert desk.posts(desk.channel) == []
    unblocked = await desk.run("feeds unblock", entry="kdramadispatch.example")
    assert "no longer blocked" in unblocked.content
    shown = await desk.run("feeds block")
    assert "blocks nothing else" in shown.content


async def test_spoiler_guard_hides_headlines_after_the_premiere(desk: NewsDesk) -> None:
    """With the guard on around the premiere, a post's headline and summary are in spoiler tags, no image."""
    today = datetime.now(UTC).date().isoformat()
    reply = await desk.run("feeds spoilers", days=7, premiere=today)
    assert "spoiler tags" in reply.content
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    await desk.cog.poll_once(everything=True)
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1)
    embed = post.embeds[0]
    assert "premiere date" not in embed["title"]
    assert "||Netflix confirms All of Us Are Dead season 2 premiere date||" in embed["description"]
    assert "image" not in embed
    off = await desk.run("feeds spoilers", days=0)
    assert "off" in off.content


async def test_spoiler_guard_needs_a_readable_premiere(desk: NewsDesk) -> None:
    """Turning the guard on without a date, or with an unreadable one, is refused with the expected format."""
    missing = await desk.run("feeds spoilers", days=3)
    assert missing.ephemeral and "premiere date" in missing.content
    garbled = await desk.run("feeds spoilers", days=3, premiere="next friday")
    assert garbled.ephemeral and "2027-01-29" in garbled.content


async def test_resume_posts_what_waited_in_a_paused_channel(desk: NewsDesk) -> None:
    """After a channel was paused for refusing posts and fixed, /feeds resume delivers the waiting article."""
    news = desk.fd.add_channel(desk.guild, "news")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch", channel=news)
    desk.fd.set_overwrite(news, desk.fd.bot_role(desk.guild), deny=discord.Permissions(send_messages=True))
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    desk.cog.service.sender.channel_gap = 0
    desk.cog.service.sender.clock = lambda: datetime.now(UTC) - timedelta(hours=1)
    await desk.cog.poll_once(everything=True)
    for hours in (0, 1, 2):
        desk.cog.service.sender.clock = lambda h=hours: datetime.now(UTC) + timedelta(hours=h)  # type: ignore[misc]
        await desk.settle()
    assert await store.paused_channels(desk.bot.db, desk.guild.id)
    desk.fd.set_overwrite(news, desk.fd.bot_role(desk.guild))
    (sub,) = await store.guild_subscriptions(desk.bot.db, desk.guild.id)
    reply = await desk.run("feeds resume", subscription=sub.id)
    assert "posting in" in reply.content
    (post,) = await desk.fd.wait_for_messages(news, 1)
    assert post.embeds[0]["title"] == "Netflix confirms All of Us Are Dead season 2 premiere date"


async def test_status_of_many_feeds_fits_in_one_message(desk: NewsDesk) -> None:
    """With 30 feeds, /feeds status stays within Discord's embed limits and says how many are not shown."""
    for n in range(30):
        desk.fs.add(f"/f{n}", rss(f"Feed number {n}", [(f"Article {n}", f"https://f{n}.example/a")]))
        preview = await desk.cog.service.watcher.preview(desk.url(f"/f{n}"))
        await desk.cog.service.watcher.subscribe(
            preview,
            guild_id=desk.guild.id,
            channel_id=desk.channel.id,
            include="",
            exclude="",
            created_by=1,
            backfill=0,
        )
    reply = await desk.run("feeds status")
    embed = reply.embeds[0]
    shown = len(embed["fields"])
    assert 0 < shown <= 25
    assert embed["footer"]["text"].startswith(f"…and {30 - shown} more")
    total = len(embed["title"]) + len(embed["footer"]["text"])
    total += sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    assert total <= 6000
