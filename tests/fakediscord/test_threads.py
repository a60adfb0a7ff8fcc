"""Threads and forum posts through the real discord.py client, with Discord's refusals and shapes."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fakediscord.server import FakeDiscord
from fakediscord.threads import Thread
from fakediscord.world import DEFAULT_BOT_PERMISSIONS, Channel, Guild
from tests.helpers import rawapi
from tests.helpers.spec_shapes import schema_errors
from tests.helpers.tinybot import TinyBot, running


def _text_channel(bot: discord.Client, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


def _forum(bot: discord.Client, channel_id: int) -> discord.ForumChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.ForumChannel)
    return channel


def _only_thread(fd: FakeDiscord, parent: Channel) -> Thread:
    (thread,) = fd.threads(parent)
    return thread


def _deny(fd: FakeDiscord, channel: Channel, permissions: discord.Permissions) -> None:
    """Deny ``permissions`` in ``channel`` to the bot's role and to @everyone, so nothing grants them back."""
    fd.set_overwrite(channel, fd.bot_role(channel.guild), deny=permissions)
    fd.set_overwrite(channel, channel.guild.everyone, deny=permissions)


def _guild(fd: FakeDiscord) -> Guild:
    return fd.add_guild("AOUAD Fans")


async def test_thread_from_a_message_holds_its_own_messages(fake_discord: FakeDiscord) -> None:
    """A thread started on the bot's post carries the post's id and its replies stay inside the thread."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, general.id).send("Season 2 trailer is out")
        thread = await post.create_thread(name="Season 2 trailer discussion")
        await thread.send("What did everyone think?")
        cached = await fd.wait_until(lambda: bot.get_channel(thread.id), 5, "THREAD_CREATE in the bot's cache")
    made = _only_thread(fd, general)
    assert thread.id == post.id == made.id
    assert isinstance(cached, discord.Thread) and cached.parent_id == general.id
    assert made.name == "Season 2 trailer discussion" and made.owner_id == fd.bot_user.id
    assert [m.content for m in fd.messages(made)] == ["What did everyone think?"]
    assert [m.content for m in fd.messages(general)] == ["Season 2 trailer is out"]


async def test_second_thread_on_the_same_message_is_refused(fake_discord: FakeDiscord) -> None:
    """Starting a second thread on one message fails with Discord's 160004, and no second thread appears."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, fd.general(guild).id).send("Premiere date confirmed")
        await post.create_thread(name="Premiere")
        with pytest.raises(discord.HTTPException) as refused:
            await post.create_thread(name="Premiere again")
    assert (refused.value.status, refused.value.code) == (400, 160004)
    assert len(fd.threads(fd.general(guild))) == 1


async def test_thread_needs_create_public_threads(fake_discord: FakeDiscord) -> None:
    """Without Create Public Threads in the channel the bot gets Forbidden (50013) and no thread is made."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    fd.set_overwrite(general, guild.everyone, deny=discord.Permissions(create_public_threads=True))
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, general.id).send("News")
        with pytest.raises(discord.Forbidden) as refused:
            await post.create_thread(name="News talk")
    assert refused.value.code == 50013
    assert fd.threads(general) == []


async def test_thread_name_over_100_characters_is_refused(fake_discord: FakeDiscord) -> None:
    """A thread name over 100 characters is a 400 (50035) that names the ``name`` field."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, fd.general(guild).id).send("News")
        with pytest.raises(discord.HTTPException) as refused:
            await post.create_thread(name="x" * 101)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert "name" in refused.value.text and "100" in refused.value.text


async def test_posting_in_a_thread_needs_send_messages_in_threads(fake_discord: FakeDiscord) -> None:
    """Without Send Messages in Threads a reply in a thread is Forbidden (50013), whatever Send Messages says."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, general.id).send("News")
        thread = await post.create_thread(name="News talk")
        _deny(fd, general, discord.Permissions(send_messages_in_threads=True))
        with pytest.raises(discord.Forbidden) as refused:
            await thread.send("hello")
    assert refused.value.code == 50013
    assert fd.messages(_only_thread(fd, general)) == []


async def test_thread_posting_survives_a_denied_send_messages(fake_discord: FakeDiscord) -> None:
    """A channel that denies Send Messages but allows Send Messages in Threads still takes thread replies."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, general.id).send("News")
        thread = await post.create_thread(name="News talk")
        _deny(fd, general, discord.Permissions(send_messages=True))
        await thread.send("still here")
        with pytest.raises(discord.Forbidden):
            await _text_channel(bot, general.id).send("not here")
    assert [m.content for m in fd.messages(_only_thread(fd, general))] == ["still here"]


async def test_archived_thread_refuses_new_messages(fake_discord: FakeDiscord) -> None:
    """Once the bot archives its thread, a reply there fails with 50083 "Thread is archived"."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, general.id).send("News")
        thread = await post.create_thread(name="News talk")
        archived = await thread.edit(archived=True)
        with pytest.raises(discord.HTTPException) as refused:
            await thread.send("too late")
    made = _only_thread(fd, general)
    assert archived.archived and made.archived
    assert (refused.value.status, refused.value.code) == (400, 50083)
    assert refused.value.text == "Thread is archived"


async def test_reopened_thread_takes_messages_again(fake_discord: FakeDiscord) -> None:
    """The bot reopens its archived thread (archived=False) and can post there again."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, general.id).send("News")
        thread = await post.create_thread(name="News talk")
        await thread.edit(archived=True)
        reopened = await thread.edit(archived=False)
        await reopened.send("back again")
    assert not _only_thread(fd, general).archived
    assert [m.content for m in fd.messages(_only_thread(fd, general))] == ["back again"]


async def test_threads_open_before_connect_arrive_with_the_guild(fake_discord: FakeDiscord) -> None:
    """Threads and forum posts fans opened before the bot connected are in its cache; archived ones are not."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    forum = fd.add_forum(guild, "news")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    talk = fd.add_thread(general, "Episode 1 talk", owner=fan, starter=fd.post(general, fan, "Episode 1!"))
    post = fd.add_thread(forum, "Theories", owner=fan, content="Who survives?")
    old = fd.add_thread(general, "Old talk", owner=fan, starter=fd.post(general, fan, "Old news"))
    fd.archive(old)
    async with running(fd, TinyBot(guild)) as bot:
        cached = {t.name: t for t in bot.get_guild(guild.id).threads}  # type: ignore[union-attr]
    assert sorted(cached) == ["Episode 1 talk", "Theories"]
    assert cached["Theories"].parent_id == forum.id and cached["Episode 1 talk"].owner_id == fan.id
    assert [m.content for m in fd.messages(post)] == ["Who survives?"] and talk.id == fd.messages(general)[0].id


async def test_archiving_by_a_moderator_reaches_the_bot(fake_discord: FakeDiscord) -> None:
    """A thread a moderator archives reaches the bot as archived and moves to the archived list."""
    fd = fake_discord
    guild = _guild(fd)
    general = fd.general(guild)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, general.id).send("News")
        thread = await post.create_thread(name="News talk")
        update = asyncio.ensure_future(bot.wait_for("thread_update", check=lambda _, after: after.id == thread.id))
        fd.archive(_only_thread(fd, general))
        _, after = await asyncio.wait_for(update, 5)
        cached = bot.get_channel(thread.id)
        listed = [t.name async for t in _text_channel(bot, general.id).archived_threads()]
        active = await bot.get_guild(guild.id).active_threads()  # type: ignore[union-attr]
    assert after.archived and cached is None  # discord.py drops an archived thread from its cache
    assert listed == ["News talk"]
    assert active == []


async def test_owner_without_manage_threads_cannot_lock(fake_discord: FakeDiscord) -> None:
    """The bot may archive its own thread but locking it needs Manage Threads (Forbidden 50013)."""
    fd = fake_discord
    guild = _guild(fd)
    async with running(fd, TinyBot(guild)) as bot:
        post = await _text_channel(bot, fd.general(guild).id).send("News")
        thread = await post.create_thread(name="News talk")
        with pytest.raises(discord.Forbidden) as refused:
            await thread.edit(locked=True)
    assert refused.value.code == 50013
    assert not _only_thread(fd, fd.general(guild)).locked


async def test_forum_post_with_a_tag(fake_discord: FakeDiscord) -> None:
    """A forum post appears with its title, tag and first message, the message sharing the post's id."""
    fd = fake_discord
    guild = _guild(fd)
    forum = fd.add_forum(guild, "news", tags=["Trailer", "Release date"])
    async with running(fd, TinyBot(guild)) as bot:
        channel = _forum(bot, forum.id)
        tag = next(t for t in channel.available_tags if t.name == "Release date")
        made = await channel.create_thread(
            name="Season 2 premieres in June", content="Netflix confirms.", applied_tags=[tag]
        )
    post = _only_thread(fd, forum)
    assert made.thread.id == made.message.id == post.id
    assert post.name == "Season 2 premieres in June" and post.applied_tags == [forum.tag_named("Release date").id]
    assert [m.content for m in fd.messages(post)] == ["Netflix confirms."]
    assert [t.name for t in made.thread.applied_tags] == ["Release date"]


async def test_archived_forum_post_cannot_be_edited_until_reopened(fake_discord: FakeDiscord) -> None:
    """Editing the first message of an archived forum post fails with 50083; once reopened the edit goes through."""
    fd = fake_discord
    guild = _guild(fd)
    forum = fd.add_forum(guild, "news")
    async with running(fd, TinyBot(guild)) as bot:
        made = await _forum(bot, forum.id).create_thread(name="Season 2 in June", content="Netflix confirms June.")
        await made.thread.edit(archived=True)
        with pytest.raises(discord.HTTPException) as refused:
            await made.message.edit(content="Netflix confirms 12 June.")
        await made.thread.edit(archived=False)
        await made.message.edit(content="Netflix confirms 12 June.")
    assert (refused.value.status, refused.value.code) == (400, 50083)
    assert [m.content for m in fd.messages(_only_thread(fd, forum))] == ["Netflix confirms 12 June."]


async def test_forum_requiring_a_tag_refuses_an_untagged_post(fake_discord: FakeDiscord) -> None:
    """A forum set to require tags refuses an untagged post with 40067 and keeps no post."""
    fd = fake_discord
    guild = _guild(fd)
    forum = fd.add_forum(guild, "news", tags=["Trailer"], require_tag=True)
    async with running(fd, TinyBot(guild)) as bot:
        with pytest.raises(discord.HTTPException) as refused:
            await _forum(bot, forum.id).create_thread(name="Untagged", content="No tag here")
    assert (refused.value.status, refused.value.code) == (400, 40067)
    assert fd.threads(forum) == []


async def test_forum_post_needs_send_messages(fake_discord: FakeDiscord) -> None:
    """Without Send Messages on the forum a post is Forbidden (50013)."""
    fd = fake_discord
    guild = _guild(fd)
    forum = fd.add_forum(guild, "news")
    _deny(fd, forum, discord.Permissions(send_messages=True))
    async with running(fd, TinyBot(guild)) as bot:
        with pytest.raises(discord.Forbidden) as refused:
            await _forum(bot, forum.id).create_thread(name="Post", content="Hello")
    assert refused.value.code == 50013
    assert fd.threads(forum) == []


async def test_forum_posts_and_threads_match_the_spec(fake_discord: FakeDiscord) -> None:
    """Raw answers for threads, forum posts, the forum and the thread lists carry every field the spec requires."""
    fd = fake_discord
    guild = fd.add_guild(
        "AOUAD Fans", bot_permissions=DEFAULT_BOT_PERMISSIONS | discord.Permissions(manage_threads=True).value
    )
    forum = fd.add_forum(guild, "news", tags=["Trailer"])
    async with running(fd, TinyBot(guild)):
        sent = await rawapi.send(fd, fd.general(guild).id, {"content": "News"})
        thread = await rawapi.call(
            fd, "POST", f"/channels/{fd.general(guild).id}/messages/{sent.body['id']}/threads", json={"name": "Talk"}
        )
        post = await rawapi.call(
            fd,
            "POST",
            f"/channels/{forum.id}/threads",
            json={
                "name": "Post",
                "applied_tags": [str(forum.tag_named("Trailer").id)],
                "message": {"content": "Hi", "nonce": "story-1"},  # not in the spec's schema: Discord drops it
            },
        )
        in_forum = await rawapi.send(fd, forum.id, {"content": "straight into the forum"})
        archived = await rawapi.call(
            fd, "PATCH", f"/channels/{thread.body['id']}", json={"archived": True, "locked": True}
        )
        listed = await rawapi.call(fd, "GET", f"/channels/{fd.general(guild).id}/threads/archived/public")
        active = await rawapi.call(fd, "GET", f"/guilds/{guild.id}/threads/active")
        forum_channel = await rawapi.call(fd, "GET", f"/channels/{forum.id}")
    assert (thread.status, post.status, archived.status) == (201, 201, 200)
    assert schema_errors(thread.body, "ThreadResponse") == []
    assert schema_errors(post.body, "CreatedThreadResponse") == []
    assert post.body["message"]["id"] == post.body["id"] and post.body["message"]["content"] == "Hi"
    assert "nonce" not in post.body["message"]
    assert schema_errors(archived.body, "ThreadResponse") == []
    assert archived.body["thread_metadata"]["archived"] and archived.body["thread_metadata"]["locked"]
    assert schema_errors(listed.body, "ThreadsResponse") == [] and len(listed.body["threads"]) == 1
    assert schema_errors(active.body, "ThreadsResponse") == [] and [t["name"] for t in active.body["threads"]] == [
        "Post"
    ]
    assert schema_errors(forum_channel.body, "GuildChannelResponse") == []
    assert forum_channel.body["type"] == 15 and forum_channel.body["available_tags"][0]["name"] == "Trailer"
    assert (in_forum.status, in_forum.body["code"]) == (400, 40058)
