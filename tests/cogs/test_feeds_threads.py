"""A thread per story, end to end: forum posts per article, a discussion thread on each post, the refusals, and
crashes between a post and its record or its thread."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord

import db.feeds as store
from bot.cards import Card
from bot.feeds.channels import NewsChannels
from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord
from fakediscord.threads import Forum, Thread
from fakediscord.world import Channel, User
from tests.helpers.feeds import rss
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import NewsDesk, feeds_bot, feeds_cog

WAIT = 10.0
OLD = ("Netflix renews All of Us Are Dead", "https://zombienews.example/2026/renewed/")
TRAILER = ("All of Us Are Dead season 2 teaser trailer is here", "https://zombienews.example/2026/teaser/")
CAST = ("Three new faces join the cast of All of Us Are Dead season 2", "https://zombienews.example/2026/cast/")
LONG = (
    "All of Us Are Dead season 2 premiere date confirmed by Netflix as the zombie drama heads back to Hyosan High "
    "for one final semester",
    "https://zombienews.example/2026/premiere-date/",
)


def feed(*items: tuple[str, str]) -> bytes:
    return rss("Zombie News", [*items, OLD]).encode()


async def subscribed(desk: NewsDesk, channel: Channel, **options: Any) -> str:
    """Subscribe ``channel`` to the zombie feed (only its old article in it); the moderator's answer."""
    desk.fs.add("/zombies", feed())
    reply = await desk.add("/zombies", channel=channel, **options)
    assert reply.ephemeral
    return reply.content


async def publish(desk: NewsDesk, *items: tuple[str, str]) -> None:
    """The site publishes ``items`` (newest first) and Marquee polls and sends."""
    desk.fs.add("/zombies", feed(*items))
    await desk.cog.poll_once(everything=True)
    await desk.settle()


def bot_threads(fd: FakeDiscord, parent: Channel) -> list[Thread]:
    return [t for t in fd.threads(parent) if t.owner_id == fd.bot_user.id]


# -- forums ----------------------------------------------------------------------------------------------------


async def test_an_article_becomes_one_forum_post_with_its_headline_card_and_tag(desk: NewsDesk) -> None:
    """In a forum, each new article is one post titled with its headline (cut within 100 characters at a word),
    the news card as its first message, pinging nobody, with the tag the moderator chose."""
    fd = desk.fd
    forum = fd.add_forum(desk.guild, "news", tags=["Trailer", "Release date"])
    release = forum.tag_named("Release date")
    answer = await subscribed(desk, forum, tag=str(release.id))
    assert "now follows" in answer and f"its own post in <#{forum.id}>, tagged Release date" in answer
    await publish(desk, LONG)
    (post,) = await fd.wait_until(lambda: bot_threads(fd, forum) or None, WAIT, "the forum post")
    headline = LONG[0]
    assert len(post.name) <= 100 and post.name.endswith("…")
    assert headline.startswith(post.name[:-1]) and headline[len(post.name) - 1] == " "
    assert post.applied_tags == [release.id]
    (first,) = fd.messages(post)
    assert first.id == post.id and first.embeds[0]["title"] == headline
    assert first.embeds[0]["url"] == LONG[1]
    assert first.content == "" and fd.pings(first).everyone is False
    await desk.cog.poll_once(everything=True)
    await desk.settle()
    assert len(bot_threads(fd, forum)) == 1


async def test_a_short_headline_is_the_post_title_as_written(desk: NewsDesk) -> None:
    """A headline within 100 characters is the forum post's title unchanged; two articles make two posts."""
    fd = desk.fd
    forum = fd.add_forum(desk.guild, "news")
    answer = await subscribed(desk, forum)
    assert f"its own post in <#{forum.id}>." in answer
    await publish(desk, CAST, TRAILER)
    posts = await fd.wait_until(
        lambda: bot_threads(fd, forum) if len(bot_threads(fd, forum)) == 2 else None, WAIT, "2 posts"
    )
    assert [p.name for p in posts] == [TRAILER[0], CAST[0]]
    assert all(p.applied_tags == [] for p in posts)


async def test_tag_option_offers_the_chosen_forums_tags(desk: NewsDesk) -> None:
    """Typing in `tag` lists the picked forum's tags that match; a text channel offers none."""
    fd = desk.fd
    forum = fd.add_forum(desk.guild, "news", tags=["Trailer", "Release date", "Casting"])
    choices = await fd.autocomplete(
        "feeds add", "tag", "r", user=desk.mod, in_channel=desk.channel, options={"url": "x", "channel": forum}
    )
    assert [(c["name"], c["value"]) for c in choices] == [
        ("Trailer", str(forum.tag_named("Trailer").id)),
        ("Release date", str(forum.tag_named("Release date").id)),
    ]
    none = await fd.autocomplete(
        "feeds add", "tag", "", user=desk.mod, in_channel=desk.channel, options={"url": "x", "channel": desk.channel}
    )
    assert none == []


async def test_a_forum_that_requires_a_tag_is_refused_without_one(desk: NewsDesk) -> None:
    """A forum that requires tags is refused, saying so, when no tag is chosen; with one it is followed."""
    forum = desk.fd.add_forum(desk.guild, "news", tags=["Trailer"], require_tag=True)
    answer = await subscribed(desk, forum)
    assert f"<#{forum.id}> requires a tag on every post" in answer
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []
    answer = await subscribed(desk, forum, tag="trailer")  # typed by name, in any case
    assert "now follows" in answer
    await publish(desk, TRAILER)
    (post,) = await desk.fd.wait_until(lambda: bot_threads(desk.fd, forum) or None, WAIT, "the forum post")
    assert post.applied_tags == [forum.tag_named("Trailer").id]


async def test_an_unknown_tag_or_a_tag_on_a_text_channel_is_refused(desk: NewsDesk) -> None:
    """A tag the forum does not have, or a tag for a text channel, is refused with the reason."""
    forum = desk.fd.add_forum(desk.guild, "news", tags=["Trailer"])
    assert "has no tag called Spoilers" in await subscribed(desk, forum, tag="Spoilers")
    assert "Tags are for forum channels" in await subscribed(desk, desk.channel, tag="Trailer")
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_an_edited_article_edits_its_forum_posts_first_message(desk: NewsDesk) -> None:
    """When an article's headline changes after its forum post, the post's first message shows the new headline
    and no second post appears."""
    fd = desk.fd
    forum = fd.add_forum(desk.guild, "news")
    await subscribed(desk, forum)
    await publish(desk, TRAILER)
    (post,) = await fd.wait_until(lambda: bot_threads(fd, forum) or None, WAIT, "the forum post")
    retitled = "All of Us Are Dead season 2 teaser trailer is finally here, with a first look at Hyosan"
    await publish(desk, (retitled, TRAILER[1]))
    await fd.wait_until(lambda: fd.messages(post)[0].edited_at, WAIT, "the edited card")
    assert fd.messages(post)[0].embeds[0]["title"] == retitled
    assert bot_threads(fd, forum) == [post] and len(fd.messages(post)) == 1


async def test_a_forum_without_send_messages_in_threads_is_refused(desk: NewsDesk) -> None:
    """A forum where Marquee may open posts but not write in them is refused, naming that permission."""
    fd = desk.fd
    forum = fd.add_forum(desk.guild, "news")
    fd.set_overwrite(forum, fd.bot_role(desk.guild), deny=discord.Permissions(send_messages_in_threads=True))
    answer = await subscribed(desk, forum)
    assert "I cannot post news in" in answer and "Send Messages In Threads" in answer
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


# -- a discussion thread on each post in a text channel ------------------------------------------------------


async def test_thread_true_starts_a_thread_on_each_post(desk: NewsDesk) -> None:
    """With thread:True each news post in the channel gets one public thread named after its headline."""
    fd = desk.fd
    answer = await subscribed(desk, desk.channel, thread=True)
    assert "Each post gets its own discussion thread" in answer
    await publish(desk, LONG, TRAILER)
    threads = await fd.wait_until(
        lambda: bot_threads(fd, desk.channel) if len(bot_threads(fd, desk.channel)) == 2 else None, WAIT, "two threads"
    )
    posts = desk.posts(desk.channel)
    assert [t.id for t in threads] == [p.id for p in posts]
    assert threads[0].name == TRAILER[0]
    assert len(threads[1].name) <= 100 and threads[1].name.endswith("…") and LONG[0].startswith(threads[1].name[:-1])
    assert [p.embeds[0]["title"] for p in posts] == [TRAILER[0], LONG[0]]


async def test_without_thread_no_thread_is_started(desk: NewsDesk) -> None:
    """A plain subscription posts the card and starts no thread."""
    await subscribed(desk, desk.channel)
    await publish(desk, TRAILER)
    await desk.fd.wait_for_messages(desk.channel, 1, timeout=WAIT)
    assert desk.fd.threads(desk.channel) == []


async def test_thread_true_is_refused_without_create_public_threads(desk: NewsDesk) -> None:
    """thread:True in a channel without Create Public Threads is refused naming it, and nothing is followed."""
    fd = desk.fd
    fd.set_overwrite(desk.channel, fd.bot_role(desk.guild), deny=discord.Permissions(create_public_threads=True))
    answer = await subscribed(desk, desk.channel, thread=True)
    assert "I cannot start a discussion thread on each post" in answer and "Create Public Threads" in answer
    assert "Send Messages In Threads" not in answer
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_threads_refused_later_are_reported_once_and_posts_still_go_out(desk: NewsDesk) -> None:
    """When Create Public Threads is taken away after subscribing, the news is still posted, and the channel is
    told once (naming the permission), not once per post."""
    fd = desk.fd
    await subscribed(desk, desk.channel, thread=True)
    fd.set_overwrite(desk.channel, fd.bot_role(desk.guild), deny=discord.Permissions(create_public_threads=True))
    await publish(desk, TRAILER)
    await publish(desk, CAST, TRAILER)
    assert [p.embeds[0]["title"] for p in desk.posts(desk.channel)] == [TRAILER[0], CAST[0]]
    notices = [m for m in fd.messages(desk.channel) if m.author is fd.bot_user and not m.embeds]
    assert len(notices) == 1 and "without their discussion thread" in notices[0].content
    assert "Create Public Threads" in notices[0].content
    assert fd.threads(desk.channel) == []
    assert await store.delivery_counts(desk.bot.db) == {"sent": 2}


# -- crashes -------------------------------------------------------------------------------------------------


class DiesAfter:
    """Discord's side of the feeds cog, frozen for good the moment Discord has answered ``step``: the process is
    torn down while the sender waits there, so Discord has the post (or thread) and the database does not."""

    def __init__(self, inner: NewsChannels, step: str) -> None:
        self.inner = inner
        self.step = step
        self.created: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def _die(self, step: str, made: int) -> int:
        if step == self.step:
            if not self.created.done():
                self.created.set_result(made)
            await asyncio.Event().wait()
        return made

    async def send_card(self, channel_id: int, guild_id: int, card: Card, *, nonce: str, **more: Any) -> int:
        made = await self.inner.send_card(channel_id, guild_id, card, nonce=nonce, **more)
        return await self._die("message", made)

    async def post_in_forum(self, channel_id: int, guild_id: int, card: Card, *, title: str, tag_id: int | None) -> int:
        made = await self.inner.post_in_forum(channel_id, guild_id, card, title=title, tag_id=tag_id)
        return await self._die("forum post", made)

    async def start_thread(self, channel_id: int, guild_id: int, message_id: int, *, name: str) -> int:
        return await self._die("thread", await self.inner.start_thread(channel_id, guild_id, message_id, name=name))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def crash_then_restart(
    fd: FakeDiscord, fs: FeedServer, tmp_path: Path, mod: User, channel: Channel, step: str, **options: Any
) -> int:
    """Subscribe ``channel``, let Marquee die right after Discord answered ``step`` for the teaser article, start
    it again and send until nothing is pending; the id Discord gave before the crash."""
    guild = channel.guild
    settings = marquee_settings(fd, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")
    fs.add("/zombies", feed())
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        values = {"url": fs.url("/zombies"), "channel": channel, **options}
        handle = await fd.invoke("feeds add", user=mod, in_channel=fd.general(guild), options=values)
        assert "now follows" in (await handle.response()).content
        crashing = DiesAfter(cog.channels, step)
        cog.channels = crashing  # type: ignore[assignment]  # the same port, with the crash in it
        fs.add("/zombies", feed(TRAILER))
        await cog.poll_once(everything=True)
        created = await asyncio.wait_for(crashing.created, 15)
        assert (await store.delivery_counts(bot.db)).get("sent", 0) == 0
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        cog.service.sender.clock = lambda: datetime.now(UTC) + timedelta(minutes=10)  # any backoff has passed
        while (await store.delivery_counts(bot.db)).get("pending"):
            await cog.send_due()
        assert await store.delivery_counts(bot.db) == {"sent": 1}
        (latest,) = await store.recent_posts(bot.db, guild.id, 1)
        assert latest.message_id == created
    return created


def in_guild(fd: FakeDiscord) -> tuple[User, Forum, Channel]:
    """The fan server's moderator, a forum with a Trailer tag, and #general."""
    guild, _, mod = fan_server(fd)
    return mod, fd.add_forum(guild, "news", tags=["Trailer"]), fd.general(guild)


async def test_a_forum_post_made_just_before_a_crash_is_not_posted_again(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """After a crash between Discord making the forum post and Marquee recording it, the restart finds the post
    among the forum's open posts (Discord keeps no nonce on forum posts) and the forum has it once."""
    fd = fake_discord
    mod, forum, _ = in_guild(fd)
    created = await crash_then_restart(fd, feed_server, tmp_path, mod, forum, "forum post", tag="Trailer")
    (post,) = bot_threads(fd, forum)
    assert post.id == created and post.name == TRAILER[0] and post.applied_tags == [forum.tag_named("Trailer").id]
    assert len(fd.requests("POST", f"/channels/{forum.id}/threads")) == 1
    assert fd.requests("GET", "/guilds/*/threads/active")  # looked for, not resent


async def test_a_crash_between_a_post_and_its_thread_gives_exactly_one_thread(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """After a crash right after Discord made the post (before its thread), the restart recognises the post by
    its nonce and starts its one thread: one post, one thread."""
    fd = fake_discord
    mod, _, general = in_guild(fd)
    created = await crash_then_restart(fd, feed_server, tmp_path, mod, general, "message", thread=True)
    assert [p.id for p in fd.messages(general) if p.embeds] == [created]
    (thread,) = fd.threads(general)
    assert thread.id == created and thread.name == TRAILER[0]
    assert len(fd.requests("POST", f"/channels/{general.id}/messages")) == 1


async def test_a_crash_after_the_thread_was_started_does_not_start_another(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """After a crash right after Discord started the thread (before Marquee recorded it), the restart's attempt is
    answered "already has a thread" (160004) and counted as done: one post, one thread."""
    fd = fake_discord
    mod, _, general = in_guild(fd)
    created = await crash_then_restart(fd, feed_server, tmp_path, mod, general, "thread", thread=True)
    assert [p.id for p in fd.messages(general) if p.embeds] == [created]
    (thread,) = fd.threads(general)
    assert thread.id == created
    assert len(fd.requests("POST", f"/channels/{general.id}/messages")) == 1
    assert len(fd.requests("POST", f"/channels/{general.id}/messages/*/threads")) == 2  # the second one refused
