"""The outbox sender against an unreliable Discord: retries, refusing channels, and a crash mid fan-out."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord

import db.feeds as store
from bot.settings import Settings
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, FeedServer
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel, Guild, User
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import NewsDesk, feeds_bot, feeds_cog
from tests.helpers.stores import store_env

MESSAGES = "/channels/*/messages"
PREMIERE = "Netflix confirms All of Us Are Dead season 2 premiere date"


def later(minutes: int) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


async def one_new_article(desk: NewsDesk) -> None:
    """Follow the dispatch feed in #general, then let it publish the premiere-date article."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)


async def test_post_created_before_a_server_error_is_not_posted_again(desk: NewsDesk) -> None:
    """Discord posts the article but answers 503; the retry finds the post and does not send a second one."""
    await one_new_article(desk)
    desk.fd.faults.created_then(503, "POST", MESSAGES)
    desk.cog.service.sender.clock = lambda: later(-60)  # keep the background sender away until the retry is due
    desk.cog.service.sender.channel_gap = 0
    await desk.cog.poll_once(everything=True)
    desk.cog.service.sender.clock = lambda: datetime.now(UTC)
    await desk.cog.send_due()
    assert len(desk.posts(desk.channel)) == 1
    assert (await store.delivery_counts(desk.bot.db)).get("sent", 0) == 0
    desk.cog.service.sender.clock = lambda: later(5)
    await desk.cog.send_due()
    assert (await store.delivery_counts(desk.bot.db)) == {"sent": 1}
    assert len(desk.posts(desk.channel)) == 1


async def test_server_error_before_posting_is_retried(desk: NewsDesk) -> None:
    """A 503 that posted nothing is retried later with the same nonce, and the article arrives once."""
    await one_new_article(desk)
    desk.fd.faults.fail("POST", MESSAGES, 503)
    desk.cog.service.sender.clock = lambda: later(-60)
    desk.cog.service.sender.channel_gap = 0
    await desk.cog.poll_once(everything=True)
    desk.cog.service.sender.clock = lambda: datetime.now(UTC)
    await desk.cog.send_due()
    assert desk.posts(desk.channel) == []
    desk.cog.service.sender.clock = lambda: later(5)
    await desk.cog.send_due()
    (post,) = desk.posts(desk.channel)
    assert post.embeds[0]["title"] == PREMIERE
    sends = desk.fd.requests("POST", MESSAGES)
    assert [e.status for e in sends] == [503, 200]
    assert sends[0].json["nonce"] == sends[1].json["nonce"] and sends[1].json["enforce_nonce"]


async def test_a_send_discord_does_not_answer_does_not_hold_up_other_channels(desk: NewsDesk) -> None:
    """A post Discord sits on is given up for now, the next channel gets its news, and the retry posts it once."""
    other = desk.fd.add_channel(desk.guild, "news")
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    await desk.add("/dispatch")
    await desk.add("/dispatch", channel=other)
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
    desk.fd.faults.latency(5.0, "POST", f"/channels/{desk.channel.id}/messages")  # Discord sits on these posts
    desk.cog.service.sender.clock = lambda: later(-60)
    desk.cog.service.sender.channel_gap = 0
    desk.cog.service.sender.send_timeout = 0.5
    await desk.cog.poll_once(everything=True)
    desk.cog.service.sender.clock = lambda: datetime.now(UTC)
    await desk.cog.send_due()
    assert len(desk.posts(other)) == 1
    assert desk.posts(desk.channel) == []  # abandoned after send_timeout, not waited on
    desk.fd.faults.clear()
    desk.cog.service.sender.clock = lambda: later(5)
    await desk.cog.send_due()
    assert await store.delivery_counts(desk.bot.db) == {"sent": 2}
    assert len(desk.posts(desk.channel)) == 1 and len(desk.posts(other)) == 1


async def test_channel_refusing_posts_is_paused_and_shown(desk: NewsDesk) -> None:
    """A channel that keeps answering 403 is paused after three tries and /feeds status says so."""
    await one_new_article(desk)
    desk.fd.set_overwrite(desk.channel, desk.fd.bot_role(desk.guild), deny=discord.Permissions(send_messages=True))
    desk.cog.service.sender.clock = lambda: later(-60)
    desk.cog.service.sender.channel_gap = 0  # pacing is not what this test is about
    await desk.cog.poll_once(everything=True)
    for minutes in (0, 10, 30, 60):
        desk.cog.service.sender.clock = lambda m=minutes: later(m)  # type: ignore[misc]
        await desk.cog.send_due()
    refused = desk.fd.requests("POST", f"/channels/{desk.channel.id}/messages")
    assert len(refused) == 3
    desk.fd.set_overwrite(desk.channel, desk.fd.bot_role(desk.guild))
    reply = await desk.run("feeds status")
    assert "**Channel paused:** the channel does not let Marquee post" in reply.embeds[0]["fields"][0]["value"]


def posts_per_channel(fd: FakeDiscord, channels: list[Channel]) -> list[int]:
    """How many news posts Marquee has made in each channel."""
    return [sum(1 for m in fd.messages(c) if m.author is fd.bot_user and m.embeds) for c in channels]


def fan_out_server(fd: FakeDiscord, tmp_path: Path, count: int) -> tuple[Guild, User, list[Channel], Settings]:
    """A fan server with ``count`` news channels, and settings that let Marquee fetch the loopback feed server."""
    guild, _, mod = fan_server(fd)
    channels = [fd.add_channel(guild, f"news-{n}") for n in range(count)]
    return guild, mod, channels, marquee_settings(fd, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")


async def restart_and_drain(fd: FakeDiscord, settings: Settings, channels: list[Channel]) -> None:
    """Restart on the same database with Discord healthy again; every channel must end with exactly one post."""
    fd.faults.clear()
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        cog.service.sender.clock = lambda: later(10)  # the retries' backoff has passed
        await fd.wait_until(lambda: all(posts_per_channel(fd, channels)) or None, 15, "a post in every channel")
        while (await store.delivery_counts(bot.db)).get("pending"):
            await cog.send_due()
        assert await store.delivery_counts(bot.db) == {"sent": len(channels)}
    assert posts_per_channel(fd, channels) == [1] * len(channels)


async def test_crash_during_fan_out_posts_every_article_once_per_channel(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """Killed mid fan-out to 12 channels while Discord fails with 5xx, then restarted: each channel has one post.

    The kill is in-process: the bot is torn down while its sender is awaiting Discord, so whatever was
    committed to the database at that instant is all the restarted bot has.
    """
    fd = fake_discord
    guild, mod, channels, settings = fan_out_server(fd, tmp_path, 12)

    def posted() -> list[int]:
        return posts_per_channel(fd, channels)

    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    async with feeds_bot(settings) as bot:
        cog = feeds_cog(bot)
        for channel in channels:
            options = {"url": feed_server.url("/dispatch"), "channel": channel}
            handle = await fd.invoke("feeds add", user=mod, in_channel=fd.general(guild), options=options)
            assert "now follows" in (await handle.response()).content
        feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
        fd.faults.latency(0.2, "POST", MESSAGES)
        fd.faults.created_then(503, "POST", MESSAGES, times=3)
        fd.faults.fail("POST", MESSAGES, 503, times=2)
        fd.faults.created_then(502, "POST", MESSAGES)
        await cog.poll_once(everything=True)
        await fd.wait_until(lambda: sum(posted()) >= 4 or None, 10, "the fan-out to start")
    # The bot is gone mid fan-out.
    assert 0 < sum(posted()) < len(channels)
    await restart_and_drain(fd, settings, channels)
    for channel in channels:
        (post,) = [m for m in fd.messages(channel) if m.embeds]
        assert post.embeds[0]["title"] == PREMIERE


REPOSITORY = Path(__file__).resolve().parents[2]


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


async def all_gone(pids: list[int]) -> bool:
    """Whether every process in ``pids`` has exited, waiting a few seconds for them to notice.

    Each process is watched through a pidfd (Linux), which becomes readable the moment the process exits.
    """
    loop = asyncio.get_running_loop()
    watched: list[tuple[int, asyncio.Event]] = []
    try:
        for pid in pids:
            try:
                pidfd = os.pidfd_open(pid)
            except ProcessLookupError:
                continue
            exited = asyncio.Event()
            watched.append((pidfd, exited))
            loop.add_reader(pidfd, exited.set)
        async with asyncio.timeout(5):
            for _, exited in watched:
                await exited.wait()
    except TimeoutError:
        return False
    finally:
        for pidfd, _ in watched:
            loop.remove_reader(pidfd)
            os.close(pidfd)
    return True


async def test_sigkill_during_fan_out_posts_every_article_once_per_channel(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path
) -> None:
    """`python -m bot` is SIGKILLed mid fan-out under 5xx faults; after a restart each channel has one post."""
    fd = fake_discord
    guild, mod, channels, settings = fan_out_server(fd, tmp_path, 8)

    def posted() -> list[int]:
        return posts_per_channel(fd, channels)

    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPOSITORY),
        "DISCORD_TOKEN": fd.token,
        "DISCORD_API_URL": fd.api_url,
        "DISCORD_GATEWAY_URL": fd.gateway_url,
        **await store_env(settings.database_path),
        "FEEDS_ALLOW_PRIVATE_NETWORKS": "1",
        "LOG_LEVEL": "WARNING",
    }
    feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        await fd.wait_until(lambda: fd.commands.find(guild.id, "feeds"), 15, "the bot's commands")
        await fd.hub.wait_ready(15)
        general = fd.general(guild)
        for channel in channels:
            options = {"url": feed_server.url("/dispatch"), "channel": channel}
            handle = await fd.invoke("feeds add", user=mod, in_channel=general, options=options)
            assert "now follows" in (await handle.response(timeout=15)).content
        feed_server.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
        fd.faults.latency(0.2, "POST", MESSAGES)
        fd.faults.created_then(503, "POST", MESSAGES, times=2)
        fd.faults.fail("POST", MESSAGES, 503, times=2)
        await (await fd.invoke("feeds refresh", user=mod, in_channel=general)).response(timeout=15)
        await fd.wait_until(lambda: sum(posted()) >= 3 or None, 15, "the fan-out to start")
        helpers = children(process.pid)
    finally:
        process.kill()
        await process.wait()
    assert process.returncode == -9
    assert helpers, "the bot had started no parser worker"
    assert await all_gone(helpers), "parser workers outlived the killed bot"
    assert 0 < sum(posted()) < len(channels)
    await restart_and_drain(fd, settings, channels)
