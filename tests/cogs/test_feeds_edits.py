"""Edited articles update their post: a changed headline or summary, or the same story from another outlet, edits
the message already in the channel instead of posting again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import db.feeds as store
from bot.cards import Card
from bot.feeds.channels import NewsChannels
from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord
from fakediscord.world import Message
from tests.helpers.feeds import rss
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import NewsDesk, feeds_bot, feeds_cog

POST_WAIT = 10.0
PUBLISHED = datetime.now(UTC) - timedelta(hours=1)
LINK = "https://dispatch.example/2026/12/aouad-s2/"
HEADLINE = "Netflix sets the All of Us Are Dead season 2 premiere"
SUMMARY = "The streamer confirmed the date on Monday."
EDITS = "/channels/*/messages/*"


def feed(title: str, headline: str, summary: str = SUMMARY, *, link: str = LINK, guid: str = "dispatch-2001") -> str:
    """An RSS 2.0 feed with one article, published an hour ago, as the publisher (or an aggregator) writes it."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://{title.lower().replace(' ', '')}.example/</link>"
        f'<item><title>{headline}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>'
        f"<description>{summary}</description>"
        f"<pubDate>{format_datetime(PUBLISHED, usegmt=True)}</pubDate></item></channel></rss>"
    )


async def follow(desk: NewsDesk, path: str, title: str) -> None:
    """Follow a feed whose one old entry is not posted, so what comes later is news."""
    desk.fs.add(path, rss(title, [(f"An older note from {title}", f"https://{path.strip('/')}.example/old")]))
    await desk.add(path)


async def posted(desk: NewsDesk, path: str = "/dispatch", title: str = "Dispatch") -> Message:
    """Follow the publisher and let it post the article once; the post."""
    await follow(desk, path, title)
    desk.fs.add(path, feed(title, HEADLINE))
    await desk.cog.poll_once(everything=True)
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    return post


async def poll_and_settle(desk: NewsDesk) -> None:
    await desk.cog.poll_once(everything=True)
    await desk.settle()


def edits(fd: FakeDiscord) -> list[Any]:
    return [entry.json for entry in fd.requests("PATCH", EDITS)]


async def test_a_changed_headline_edits_the_post(desk: NewsDesk) -> None:
    """The publisher fixes its headline: the same message shows the new one, and the channel still has one post."""
    post = await posted(desk)
    desk.fs.add("/dispatch", feed("Dispatch", "Netflix confirms All of Us Are Dead season 2 for January 30"))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(
        lambda: post.embeds[0]["title"].startswith("Netflix confirms") or None, POST_WAIT, "the edited post"
    )
    (only,) = desk.posts(desk.channel)
    assert only.id == post.id
    assert only.embeds[0]["title"] == "Netflix confirms All of Us Are Dead season 2 for January 30"
    assert len(edits(desk.fd)) == 1


async def test_a_changed_summary_edits_the_post(desk: NewsDesk) -> None:
    """A summary rewritten with a new fact shows on the same message."""
    post = await posted(desk)
    desk.fs.add("/dispatch", feed("Dispatch", HEADLINE, "The streamer confirmed January 30 on Monday."))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(
        lambda: "January 30" in post.embeds[0]["description"] or None, POST_WAIT, "the edited summary"
    )
    assert [m.id for m in desk.posts(desk.channel)] == [post.id]


async def test_whitespace_case_and_punctuation_changes_do_nothing(desk: NewsDesk) -> None:
    """A headline retouched only in spacing, case or punctuation leaves the post alone."""
    post = await posted(desk)
    retouched = "Netflix sets the  ALL of Us Are Dead: season 2 premiere!"
    desk.fs.add("/dispatch", feed("Dispatch", retouched, " The streamer confirmed the date, on Monday "))
    await poll_and_settle(desk)
    await poll_and_settle(desk)
    assert edits(desk.fd) == []
    assert [m.embeds[0]["title"] for m in desk.posts(desk.channel)] == [HEADLINE]
    assert post.embeds[0]["title"] == HEADLINE


async def test_a_change_after_48_hours_does_nothing(desk: NewsDesk) -> None:
    """Two days after the post, a new headline neither edits it nor posts the article again."""
    post = await posted(desk)
    await desk.settle()
    later = datetime.now(UTC) + timedelta(hours=49)
    desk.cog.service._clock = lambda: later
    desk.fs.add("/dispatch", feed("Dispatch", "Netflix confirms All of Us Are Dead season 2 for January 30"))
    await poll_and_settle(desk)
    await poll_and_settle(desk)
    assert edits(desk.fd) == []
    assert [(m.id, m.embeds[0]["title"]) for m in desk.posts(desk.channel)] == [(post.id, HEADLINE)]


async def test_another_outlets_copy_of_the_story_is_added_to_the_post(desk: NewsDesk) -> None:
    """An aggregator bringing the same article later names itself on the first post instead of posting again."""
    post = await posted(desk)
    await follow(desk, "/digest", "Drama Digest")
    desk.fs.add(
        "/digest",
        feed(
            "Drama Digest",
            "All of Us Are Dead season 2 gets its premiere date [Dispatch]",
            link=f"{LINK}?utm_source=dramadigest",
            guid="digest-88123",
        ),
    )
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(lambda: post.embeds[0].get("fields") or None, POST_WAIT, "the source on the post")
    assert post.embeds[0]["fields"] == [{"name": "Also reported by", "value": "Drama Digest", "inline": False}]
    await poll_and_settle(desk)
    assert [m.id for m in desk.posts(desk.channel)] == [post.id]
    assert post.embeds[0]["title"] == HEADLINE
    assert len(edits(desk.fd)) == 1  # the second poll found nothing new to add


async def test_an_edit_never_pings(desk: NewsDesk) -> None:
    """The edit allows no mentions at all, so nobody is notified by a corrected headline."""
    post = await posted(desk)
    desk.fs.add("/dispatch", feed("Dispatch", "@everyone Netflix confirms season 2 for January 30 <@&123>"))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(lambda: edits(desk.fd) or None, POST_WAIT, "the edit")
    (body,) = edits(desk.fd)
    assert body["allowed_mentions"] == {"parse": []}
    assert not desk.fd.pings(post).everyone and not desk.fd.pings(post).roles
    assert "@\u200beveryone" in post.embeds[0]["title"] or "\\@everyone" in post.embeds[0]["title"]


async def test_the_edit_of_a_post_that_pinged_a_role_pings_nobody(desk: NewsDesk) -> None:
    """A post that pinged the news role keeps its mention as written, and its corrected headline notifies no one."""
    role = desk.fd.add_role(desk.guild, "Season 2 news", mentionable=True)
    desk.fs.add("/dispatch", rss("Dispatch", [("An older note from Dispatch", "https://dispatch.example/old")]))
    await desk.add("/dispatch", ping_role=role)
    desk.fs.add("/dispatch", feed("Dispatch", HEADLINE))
    await desk.cog.poll_once(everything=True)
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    assert desk.fd.pings(post).roles == {role.id}
    desk.fs.add("/dispatch", feed("Dispatch", "Netflix confirms All of Us Are Dead season 2 for January 30"))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(lambda: post.embeds[0]["title"].startswith("Netflix confirms") or None, POST_WAIT, "edit")
    (body,) = edits(desk.fd)
    assert body["allowed_mentions"] == {"parse": []} and "content" not in body
    assert post.content == f"<@&{role.id}>"
    assert not desk.fd.pings(post)


async def test_an_edit_of_a_deleted_post_is_dropped_quietly(desk: NewsDesk) -> None:
    """A moderator deleted the post; the corrected headline posts nothing and the edit is not retried."""
    post = await posted(desk)
    desk.fd.delete_message(desk.channel, post.id)
    desk.fs.add("/dispatch", feed("Dispatch", "Netflix confirms All of Us Are Dead season 2 for January 30"))
    await poll_and_settle(desk)
    await poll_and_settle(desk)
    assert desk.posts(desk.channel) == []
    assert len(desk.fd.requests("PATCH", EDITS)) == 1


async def test_feeds_status_counts_the_edits(desk: NewsDesk) -> None:
    """/feeds status says how many of a feed's posts were edited in the last day."""
    post = await posted(desk)
    desk.fs.add("/dispatch", feed("Dispatch", "Netflix confirms All of Us Are Dead season 2 for January 30"))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(lambda: edits(desk.fd) or None, POST_WAIT, "the edit")
    await desk.settle()
    reply = await desk.run("feeds status")
    (field,) = reply.embeds[0]["fields"]
    assert "Edits here in the last 24 h: 1" in field["value"]
    assert post.embeds[0]["title"].startswith("Netflix confirms")


async def test_a_changed_headline_edits_the_first_message_of_its_forum_post(desk: NewsDesk) -> None:
    """In a forum, the corrected headline shows in the post's first message, and no second post opens."""
    fd = desk.fd
    forum = fd.add_forum(desk.guild, "news")
    desk.fs.add("/dispatch", rss("Dispatch", [("An older note from Dispatch", "https://dispatch.example/old")]))
    await desk.add("/dispatch", channel=forum)
    desk.fs.add("/dispatch", feed("Dispatch", HEADLINE))
    await desk.cog.poll_once(everything=True)

    def posts() -> list[Any]:
        return [t for t in fd.threads(forum) if t.owner_id == fd.bot_user.id]

    (post,) = await fd.wait_until(lambda: posts() or None, POST_WAIT, "the forum post")
    (first,) = fd.messages(post)
    desk.fs.add("/dispatch", feed("Dispatch", "Netflix confirms All of Us Are Dead season 2 for January 30"))
    await desk.cog.poll_once(everything=True)
    await fd.wait_until(lambda: first.embeds[0]["title"].startswith("Netflix confirms") or None, POST_WAIT, "the edit")
    await poll_and_settle(desk)
    assert posts() == [post] and fd.messages(post) == [first]
    assert len(edits(fd)) == 1


class DiesBeforeTheEdit:
    """Discord's side of the feeds cog, frozen for good as an edit is about to go out: the edit is recorded as
    attempted and Discord never heard of it, the state a power cut at that instant leaves behind."""

    def __init__(self, inner: NewsChannels) -> None:
        self.inner = inner
        self.editing: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def edit_card(self, channel_id: int, guild_id: int, message_id: int, card: Card) -> None:
        if not self.editing.done():
            self.editing.set_result(message_id)
        await asyncio.Event().wait()


async def test_an_edit_lost_to_a_crash_is_sent_after_the_restart_without_a_new_post(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """Marquee dies between recording an edit and sending it: after the restart the post shows the new headline,
    and the channel still has that one message."""
    fd = fake_discord
    guild, _, mod = fan_server(fd)
    channel = fd.general(guild)
    settings = marquee_settings(fd, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")
    feed_server.add("/dispatch", rss("Dispatch", [("An older note", "https://dispatch.example/old")]))
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        handle = await fd.invoke(
            "feeds add", user=mod, in_channel=channel, options={"url": feed_server.url("/dispatch")}
        )
        assert "now follows" in (await handle.response()).content
        feed_server.add("/dispatch", feed("Dispatch", HEADLINE))
        await cog.poll_once(everything=True)
        (post,) = await fd.wait_for_messages(channel, 1, timeout=POST_WAIT)
        await cog.send_due()
        crashing = DiesBeforeTheEdit(cog.channels)
        cog.channels = crashing  # type: ignore[assignment]  # the same port, with the crash in it
        feed_server.add("/dispatch", feed("Dispatch", "Netflix confirms All of Us Are Dead season 2 for January 30"))
        await cog.poll_once(everything=True)
        assert await asyncio.wait_for(crashing.editing, 15) == post.id
    assert post.embeds[0]["title"] == HEADLINE and fd.requests("PATCH", EDITS) == []

    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        await cog.send_due()
        await fd.wait_until(lambda: post.embeds[0]["title"].startswith("Netflix confirms") or None, 5, "the edit")
        assert await store.delivery_counts(bot.db) == {"sent": 1}
    assert [m.id for m in fd.messages(channel) if m.author is fd.bot_user and m.embeds] == [post.id]
    assert len(fd.requests("POST", f"/channels/{channel.id}/messages")) == 1
    assert len(fd.requests("PATCH", EDITS)) == 1
