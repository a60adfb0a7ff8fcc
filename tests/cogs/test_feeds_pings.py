"""Role pings on news, end to end: /feeds add ping_role, /feeds ping, and what the channel's members are pinged for."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord

import db.feeds as store
from bot.cards import Card
from bot.feeds.channels import NewsChannels
from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord, Reply
from fakediscord.world import Message, Role
from tests.helpers.feeds import rss
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import NewsDesk, feeds_bot, feeds_cog

POST_WAIT = 10.0
WORDS = "release date, trailer, teaser"
OLD = [("An older note about the set", "https://quiet.example/old")]
MATCHING = ("Netflix sets the release date for season 2", "https://quiet.example/date")
MATCHING_TOO = ("The first teaser is here", "https://quiet.example/teaser")
OTHER = ("Behind the scenes with the makeup team", "https://quiet.example/makeup")


def fan_role(desk: NewsDesk, name: str = "Season 2 news", *, mentionable: bool = True) -> Role:
    return desk.fd.add_role(desk.guild, name, mentionable=mentionable)


async def subscribe(desk: NewsDesk, **options: object) -> Reply:
    desk.fs.add("/quiet", rss("Quiet Site", OLD))
    return await desk.add("/quiet", **options)


async def publish(desk: NewsDesk, *new: tuple[str, str]) -> list[Message]:
    """The feed gains ``new`` (newest first); one poll; the posts it made, oldest first."""
    before = len(desk.posts(desk.channel))
    desk.fs.add("/quiet", rss("Quiet Site", [*new, *OLD], hours_ago=0))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_for_messages(desk.channel, before + len(new), timeout=POST_WAIT)
    await desk.settle()
    return desk.posts(desk.channel)[before:]


async def subscription_id(desk: NewsDesk) -> int:
    (subscription,) = await store.guild_subscriptions(desk.bot.db, desk.guild.id)
    return subscription.id


async def test_a_matching_article_pings_the_role_once_and_nobody_else(desk: NewsDesk) -> None:
    """A headline naming the release date pings the chosen role, and the message may ping that role alone."""
    role = fan_role(desk)
    reply = await subscribe(desk, ping_role=role, ping_words=WORDS)
    assert f"<@&{role.id}>" in reply.content and "release date, trailer, teaser" in reply.content
    (post,) = await publish(desk, MATCHING)
    pings = desk.fd.pings(post)
    assert pings.roles == {role.id} and not pings.users and not pings.everyone
    assert post.content == f"<@&{role.id}>"
    assert post.embeds[0]["title"] == MATCHING[0]
    mentions = post.allowed_mentions
    assert mentions is not None and mentions["parse"] == []
    assert [int(r) for r in mentions["roles"]] == [role.id] and not mentions.get("users")


async def test_an_article_without_the_words_posts_without_a_ping(desk: NewsDesk) -> None:
    """A story about the makeup team is posted, but nobody is pinged and no role is named."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    (post,) = await publish(desk, OTHER)
    assert post.embeds[0]["title"] == OTHER[0]
    assert not desk.fd.pings(post) and post.content == ""


async def test_a_second_match_within_ten_minutes_posts_without_a_ping(desk: NewsDesk) -> None:
    """The release date pings the role; the teaser minutes later is posted quietly."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    (first,) = await publish(desk, MATCHING)
    (second,) = await publish(desk, MATCHING_TOO)
    assert desk.fd.pings(first).roles == {role.id}
    assert second.embeds[0]["title"] == MATCHING_TOO[0]
    assert not desk.fd.pings(second) and second.content == ""


async def test_two_matches_in_one_poll_ping_once(desk: NewsDesk) -> None:
    """A poll bringing the release date and a teaser together pings the role for the first post only."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    first, second = await publish(desk, MATCHING_TOO, MATCHING)
    assert [bool(desk.fd.pings(m)) for m in (first, second)] == [True, False]


async def test_backfill_posts_without_a_ping(desk: NewsDesk) -> None:
    """backfill:2 with a ping for every post puts the two newest articles up without pinging anyone."""
    role = fan_role(desk)
    desk.fs.add("/quiet", rss("Quiet Site", [MATCHING, MATCHING_TOO, *OLD]))
    await desk.add("/quiet", ping_role=role, backfill=2)
    posts = await desk.fd.wait_for_messages(desk.channel, 2, timeout=POST_WAIT)
    assert len(posts) == 2 and not any(desk.fd.pings(m) for m in posts)


async def test_news_caught_up_after_an_outage_posts_without_a_ping(desk: NewsDesk) -> None:
    """When Marquee polls a feed an hour late (it was down), the release date it finds is posted quietly."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    (feed,) = await store.guild_feeds(desk.bot.db, desk.guild.id)
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    await store.record_fetch(desk.bot.db, feed.id, now=hour_ago, status=200, error=None, next_due_at=hour_ago)
    (post,) = await publish(desk, MATCHING)
    assert post.embeds[0]["title"] == MATCHING[0] and not desk.fd.pings(post)


async def test_a_role_marquee_cannot_mention_is_refused_with_what_to_change(desk: NewsDesk) -> None:
    """A role that is not mentionable, without Mention Everyone, is refused naming both fixes; nothing follows."""
    role = fan_role(desk, "Quiet Fans", mentionable=False)
    reply = await subscribe(desk, ping_role=role)
    assert reply.ephemeral
    assert "@Quiet Fans" in reply.content and "Allow anyone to @mention this role" in reply.content
    assert "Mention @everyone, @here, and All Roles" in reply.content
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_mention_everyone_in_the_channel_lets_marquee_ping_any_role(desk: NewsDesk) -> None:
    """With Mention Everyone granted in the channel, a role that is not mentionable is accepted and pinged."""
    role = fan_role(desk, "Quiet Fans", mentionable=False)
    bot_role = desk.fd.bot_role(desk.guild)
    desk.fd.set_overwrite(desk.channel, bot_role, allow=discord.Permissions(mention_everyone=True))
    reply = await subscribe(desk, ping_role=role)
    assert "now follows" in reply.content
    (post,) = await publish(desk, OTHER)
    assert desk.fd.pings(post).roles == {role.id}


async def test_everyone_and_a_role_named_everyone_are_refused(desk: NewsDesk) -> None:
    """@everyone, and a role called "everyone" or "@here", can never be the news ping."""
    for role in (desk.guild.everyone, fan_role(desk, "everyone"), fan_role(desk, "@here")):
        reply = await subscribe(desk, ping_role=role)
        assert reply.ephemeral and "never pings @everyone or @here" in reply.content, role.name
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_changing_the_ping_of_a_subscription(desk: NewsDesk) -> None:
    """/feeds ping moves an existing subscription's ping to another role and words; the next match pings it."""
    first, second = fan_role(desk, "Everything"), fan_role(desk, "Teasers only")
    await subscribe(desk, ping_role=first)
    sub = await subscription_id(desk)
    reply = await desk.run("feeds ping", subscription=sub, role=second, words="teaser")
    assert reply.ephemeral and f"<@&{second.id}>" in reply.content and "teaser" in reply.content
    listed = await desk.run("feeds list")
    assert f"pings <@&{second.id}> for: teaser" in listed.content
    quiet, pinged = await publish(desk, MATCHING_TOO, OTHER)
    assert not desk.fd.pings(quiet)
    assert desk.fd.pings(pinged).roles == {second.id}


async def test_clearing_the_ping_of_a_subscription(desk: NewsDesk) -> None:
    """/feeds ping without a role stops the pings; the next matching article is posted quietly."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    reply = await desk.run("feeds ping", subscription=await subscription_id(desk))
    assert "no longer pings anyone" in reply.content
    (post,) = await publish(desk, MATCHING)
    assert not desk.fd.pings(post)
    (subscription,) = await store.guild_subscriptions(desk.bot.db, desk.guild.id)
    assert subscription.ping_role_id is None and subscription.ping_words == ""


async def test_a_refused_change_leaves_the_ping_as_it_was(desk: NewsDesk) -> None:
    """/feeds ping to a role Marquee cannot mention says so and keeps the subscription's ping unchanged."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    hidden = fan_role(desk, "Hidden", mentionable=False)
    reply = await desk.run("feeds ping", subscription=await subscription_id(desk), role=hidden)
    assert "Allow anyone to @mention this role" in reply.content
    (subscription,) = await store.guild_subscriptions(desk.bot.db, desk.guild.id)
    assert subscription.ping_role_id == role.id and subscription.ping_words == WORDS


async def test_words_without_a_role_are_refused(desk: NewsDesk) -> None:
    """ping_words alone would never ping anyone, so /feeds add asks for the role too."""
    reply = await subscribe(desk, ping_words=WORDS)
    assert "Pick the role to ping as well" in reply.content
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_the_refusal_is_answered_in_korean(desk: NewsDesk) -> None:
    """A Korean moderator picking @everyone is answered in Korean."""
    desk.fs.add("/quiet", rss("Quiet Site", OLD))
    handle = await desk.fd.invoke(
        "feeds add",
        user=desk.mod,
        in_channel=desk.channel,
        locale="ko",
        options={"url": desk.url("/quiet"), "ping_role": desk.guild.everyone},
    )
    reply = await handle.response()
    assert "@everyone이나 @here로 알림을 보내지 않아요" in reply.content


class DiesAfterDiscordAnswers:
    """The feeds cog's Discord side, frozen for good once Discord has answered a post (a power cut at that instant:
    the message exists, the database only knows a send was attempted)."""

    def __init__(self, inner: NewsChannels) -> None:
        self.inner = inner
        self.created: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def send_card(
        self, channel_id: int, guild_id: int, card: Card, *, nonce: str, ping_role: int | None = None
    ) -> int:
        message_id = await self.inner.send_card(channel_id, guild_id, card, nonce=nonce, ping_role=ping_role)
        if not self.created.done():
            self.created.set_result(message_id)
        await asyncio.Event().wait()
        return message_id

    async def find_posted(self, channel_id: int, guild_id: int, *, nonce: str, link: str | None) -> int | None:
        return await self.inner.find_posted(channel_id, guild_id, nonce=nonce, link=link)

    async def say_paused(self, channel_id: int, guild_id: int, *, feed: str, reason: str) -> None:
        await self.inner.say_paused(channel_id, guild_id, feed=feed, reason=reason)


async def test_a_pinged_post_made_just_before_a_crash_is_not_posted_or_pinged_again(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """Marquee dies after Discord posted (and pinged for) the release date; restarted, it records that post and
    the role was pinged once, by one message."""
    fd = fake_discord
    guild, _, mod = fan_server(fd)
    channel = fd.general(guild)
    role = fd.add_role(guild, "Season 2 news", mentionable=True)
    settings = marquee_settings(fd, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")
    feed_server.add("/quiet", rss("Quiet Site", OLD))
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        options = {"url": feed_server.url("/quiet"), "ping_role": role, "ping_words": WORDS}
        handle = await fd.invoke("feeds add", user=mod, in_channel=channel, options=options)
        assert "now follows" in (await handle.response()).content
        crashing = DiesAfterDiscordAnswers(cog.channels)
        cog.channels = crashing  # type: ignore[assignment]  # the same port, with the crash in it
        feed_server.add("/quiet", rss("Quiet Site", [MATCHING, *OLD], hours_ago=0))
        await cog.poll_once(everything=True)
        created = await asyncio.wait_for(crashing.created, 15)
        assert (await store.delivery_counts(bot.db)).get("sent", 0) == 0
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        cog.service.sender.clock = lambda: datetime.now(UTC) + timedelta(seconds=30)  # its retry is due
        while (await store.delivery_counts(bot.db)).get("pending"):
            await cog.send_due()
        assert await store.delivery_counts(bot.db) == {"sent": 1}
    posts = [m for m in fd.messages(channel) if m.author is fd.bot_user and m.embeds]
    assert [m.id for m in posts] == [created]
    assert fd.pings(posts[0]).roles == {role.id}
    assert len(fd.requests("POST", f"/channels/{channel.id}/messages")) == 1


async def test_a_pinged_post_retried_after_a_server_error_pings_once(desk: NewsDesk) -> None:
    """Discord answers the release-date post with a 503 before posting it; the retry posts it with its ping, once."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    sender = desk.cog.service.sender
    desk.fd.faults.fail("POST", "/channels/*/messages", 503)
    sender.clock = lambda: datetime.now(UTC) - timedelta(seconds=60)  # the background sender waits for the retry
    sender.channel_gap = 0
    desk.fs.add("/quiet", rss("Quiet Site", [MATCHING, *OLD], hours_ago=0))
    await desk.cog.poll_once(everything=True)
    sender.clock = lambda: datetime.now(UTC)
    await desk.cog.send_due()
    assert desk.posts(desk.channel) == []
    sender.clock = lambda: datetime.now(UTC) + timedelta(seconds=5)
    await desk.cog.send_due()
    (post,) = desk.posts(desk.channel)
    assert desk.fd.pings(post).roles == {role.id}
    sends = desk.fd.requests("POST", f"/channels/{desk.channel.id}/messages")
    assert [e.status for e in sends] == [503, 200] and sends[0].json["content"] == sends[1].json["content"]


async def test_an_edit_of_a_pinged_post_does_not_ping_again(desk: NewsDesk) -> None:
    """The publisher corrects the release-date headline: the post is edited in place, and the edit pings nobody."""
    role = fan_role(desk)
    await subscribe(desk, ping_role=role, ping_words=WORDS)
    (post,) = await publish(desk, MATCHING)
    corrected = ("Netflix sets the release date for season 2: January 30", MATCHING[1])
    desk.fs.add("/quiet", rss("Quiet Site", [corrected, *OLD], hours_ago=0))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_until(lambda: post.embeds[0]["title"] == corrected[0] or None, POST_WAIT, "the edited post")
    (edit,) = [entry.json for entry in desk.fd.requests("PATCH", "/channels/*/messages/*")]
    assert "content" not in edit and edit["allowed_mentions"] == {"parse": []}
    assert [m.id for m in desk.posts(desk.channel)] == [post.id]
    assert len(desk.fd.requests("POST", f"/channels/{desk.channel.id}/messages")) == 1
