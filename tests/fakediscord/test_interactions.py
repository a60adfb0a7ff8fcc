"""Interactions end to end: the real discord.py client answers what fans and moderators do."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fakediscord.interactions import InvocationError
from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call
from tests.helpers.tinybot import TinyBot, running


async def test_autocomplete_offers_the_bots_choices(fake_discord: FakeDiscord) -> None:
    """Typing "nam" into /cast's name option lists the characters the bot suggests."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)):
        choices = await fd.autocomplete("cast", "name", "nam", user=fd.owner, in_channel=fd.general(guild))
    assert [c["name"] for c in choices] == ["Nam On-jo", "Choi Nam-ra", "Yoon Gwi-nam"]


async def test_deferred_answer_and_followups(fake_discord: FakeDiscord) -> None:
    """A deferred command shows "thinking" until the first followup fills it; later followups follow."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)):
        handle = await fd.invoke("slow", user=fd.owner, in_channel=fd.general(guild))
        reply = await handle.response()
        [extra] = await handle.followups(1)
    assert reply.deferred and reply.content == "Done thinking." and not reply.ephemeral
    assert extra.content == "One more thing."
    assert [m.content for m in fd.messages(fd.general(guild))] == ["Done thinking.", "One more thing."]


async def test_ephemeral_replies_stay_out_of_the_channel(fake_discord: FakeDiscord) -> None:
    """An ephemeral answer reaches the invoking user only: the channel history does not show it."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)):
        handle = await fd.invoke("slow", user=fd.owner, in_channel=fd.general(guild), secret=True)
        reply = await handle.response()
        listed = await call(fd, "GET", f"/channels/{fd.general(guild).id}/messages")
    assert reply.ephemeral and reply.content == "Done thinking."
    assert fd.messages(fd.general(guild)) == [] and listed.body == []


async def test_subcommand_with_a_channel_option(fake_discord: FakeDiscord) -> None:
    """/feeds add resolves the channel option to the real channel and answers ephemerally."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    news = fd.add_channel(guild, "news")
    async with running(fd, TinyBot(guild)):
        handle = await fd.invoke(
            "feeds add", user=fd.owner, in_channel=fd.general(guild), url="https://example.org/rss", channel=news
        )
        reply = await handle.response()
    assert reply.ephemeral
    assert reply.content == f"Following https://example.org/rss in <#{news.id}> (max 5)."


async def test_buttons_update_the_message(fake_discord: FakeDiscord) -> None:
    """Clicking "Reveal" edits the message in place (type 7); "Later" defers, then edits (type 6)."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    async with running(fd, TinyBot(guild)):
        posted = await (await fd.invoke("controls", user=fd.owner, in_channel=fd.general(guild))).response()
        assert posted.message is not None
        assert [c["custom_id"] for c in posted.components[0]["components"]] == ["reveal", "later"]
        later = await (await fd.click(posted.message, "later", user=fan)).response()
        assert later.deferred and later.content == "Edited after a deferred update."
        revealed = await (await fd.click(posted.message, "reveal", user=fan)).response()
    assert revealed.response_type == 7 and revealed.content == "Revealed." and revealed.components == []


async def test_late_acknowledgement_is_unknown_interaction(fake_discord: FakeDiscord) -> None:
    """A bot that answers after the 3-second deadline gets 404 code 10062, and the user sees nothing."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    bot = TinyBot(guild)
    async with running(fd, bot):
        handle = await fd.invoke("late", user=fd.owner, in_channel=fd.general(guild))
        fd.clock.advance(3.5)
        bot.gate.set()
        [error] = await bot.wait_for_errors(1)
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert fd.messages(fd.general(guild)) == [] and not handle.interaction.acknowledged


async def test_second_acknowledgement_is_refused(fake_discord: FakeDiscord) -> None:
    """Acknowledging twice answers 400 code 40060 (discord.py itself refuses the obvious case)."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    bot = TinyBot(guild)
    async with running(fd, bot):
        handle = await fd.invoke("twice", user=fd.owner, in_channel=fd.general(guild))
        await handle.response()
        responded, raw = await bot.wait_for_errors(2)
    assert isinstance(responded, discord.InteractionResponded)
    assert isinstance(raw, discord.HTTPException) and raw.status == 400 and raw.code == 40060


async def test_followups_expire_after_fifteen_minutes(fake_discord: FakeDiscord) -> None:
    """The interaction webhook refuses followups and @original edits after 15 minutes with 50027."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    await call(
        fd,
        "PUT",
        f"/applications/{fd.application_id}/commands",
        json=[{"name": "ping", "description": "Ping", "type": 1}],
    )
    handle = await fd.invoke("ping", user=fd.owner, in_channel=fd.general(guild))
    base = f"/webhooks/{fd.application_id}/{handle.token}"
    early = await call(fd, "POST", base, json={"content": "too soon"}, auth=None)
    assert (early.status, early.body["code"]) == (404, 10015)  # not acknowledged yet
    ack = await call(
        fd,
        "POST",
        f"/interactions/{handle.id}/{handle.token}/callback",
        json={"type": 4, "data": {"content": "pong"}},
        params={"with_response": "1"},
        auth=None,
    )
    assert ack.body["resource"]["message"]["content"] == "pong"
    fd.clock.advance(14 * 60)
    assert (
        await call(fd, "POST", base, json={"content": "still ok"}, auth=None, params={"wait": "true"})
    ).status == 200
    fd.clock.advance(2 * 60)
    late = await call(fd, "POST", base, json={"content": "too late"}, auth=None)
    edit = await call(fd, "PATCH", base + "/messages/@original", json={"content": "x"}, auth=None)
    assert (late.status, late.body["code"]) == (401, 50027)
    assert (edit.status, edit.body["code"]) == (401, 50027)
    assert [m.content for m in fd.messages(fd.general(guild))] == ["pong", "still ok"]


async def test_callback_answer_matches_discord(fake_discord: FakeDiscord) -> None:
    """with_response=1 returns the interaction callback object; without it the answer is 204."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    commands = [{"name": "ping", "description": "Ping", "type": 1}]
    await call(fd, "PUT", f"/applications/{fd.application_id}/commands", json=commands)
    one = await fd.invoke("ping", user=fd.owner, in_channel=fd.general(guild))
    two = await fd.invoke("ping", user=fd.owner, in_channel=fd.general(guild))
    deferred = await call(
        fd,
        "POST",
        f"/interactions/{one.id}/{one.token}/callback",
        json={"type": 5, "data": {"flags": 64}},
        params={"with_response": "1"},
        auth=None,
    )
    plain = await call(
        fd,
        "POST",
        f"/interactions/{two.id}/{two.token}/callback",
        json={"type": 4, "data": {"content": "hi"}},
        auth=None,
    )
    info = deferred.body["interaction"]
    assert info["id"] == str(one.id) and info["response_message_loading"] is True
    assert info["response_message_ephemeral"] is True
    assert plain.status == 204 and plain.body is None


async def test_moderator_changes_reach_the_bots_cache(fake_discord: FakeDiscord) -> None:
    """A new channel, a permission overwrite and a deleted message reach the running bot as events."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    bot = TinyBot(guild)
    async with running(fd, bot):
        news = fd.add_channel(guild, "news")
        await bot.eventually(lambda: bot.get_channel(news.id) is not None)
        fd.set_overwrite(news, fd.bot_role(guild), deny=discord.Permissions(send_messages=True))

        def cannot_send() -> bool:
            channel = bot.get_channel(news.id)
            assert isinstance(channel, discord.TextChannel)
            return not channel.permissions_for(channel.guild.me).send_messages

        await bot.eventually(cannot_send)
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("to be removed")
        deleted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def on_delete(payload: discord.RawMessageDeleteEvent) -> None:
            if not deleted.done():
                deleted.set_result(payload.message_id)

        bot.add_listener(on_delete, "on_raw_message_delete")
        fd.delete_message(fd.general(guild), sent.id)
        assert await asyncio.wait_for(deleted, 5) == sent.id


async def test_modal_is_shown_and_submitted(fake_discord: FakeDiscord) -> None:
    """A command answered with a modal (type 9) can be filled in and submitted; the bot thanks the user."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    async with running(fd, TinyBot(guild)):
        shown = await fd.invoke("suggest", user=fan, in_channel=fd.general(guild))
        assert await shown.acknowledged() == 9
        assert shown.modal is not None and shown.modal["title"] == "Suggest a recap topic"
        with pytest.raises(InvocationError, match="required"):
            await fd.submit_modal(shown, {})
        submitted = await fd.submit_modal(shown, {"topic": "Episode 5"})
        reply = await submitted.response()
    assert reply.ephemeral and reply.content == "Thanks for suggesting Episode 5."
