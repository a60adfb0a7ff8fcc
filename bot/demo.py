"""``python -m bot demo``: the real bot, offline, against a local Discord and a local news server.

One process starts fakediscord and a feed server with bundled sample feeds, runs Marquee against them, and plays
a tour as a fan and a moderator would, printing each channel the way a person sees it. ``--interactive`` lets a
person type the slash commands instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import shlex
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

import discord

import db.feeds as db_feeds
from bot.bot import Marquee
from bot.runner import running_bot
from bot.settings import Settings
from fakediscord.feeds import FeedServer, sample_bytes
from fakediscord.render import render_message
from fakediscord.server import FakeDiscord, InteractionHandle
from fakediscord.threads import Forum
from fakediscord.world import DEFAULT_BOT_PERMISSIONS, Channel, Guild, Message, Role, User

log = logging.getLogger(__name__)

MODERATOR = discord.Permissions(manage_guild=True, view_channel=True, send_messages=True)
# Marquee as invited: what it needs to post, plus Create Events for the premiere event.
DEMO_BOT_PERMISSIONS = DEFAULT_BOT_PERMISSIONS | discord.Permissions(create_events=True).value
OPTION_TYPES = {3: "text", 4: "whole number", 5: "true/false", 6: "user", 7: "channel", 8: "role", 10: "number"}


@dataclasses.dataclass
class World:
    fd: FakeDiscord
    feeds: FeedServer
    bot: Marquee
    guild: Guild
    general: Channel
    news: Channel
    countdown: Channel
    fan: User
    mod: User
    out: TextIO
    stories: Forum | None = None  # a forum channel: one post per story
    alerts: Role | None = None  # the role news about the release date pings

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def names(self) -> dict[int, str]:
        """Channel, role and user names for mentions, as the client would show them."""
        found = {c.id: c.name for c in self.guild.channels.values()}
        found.update({r.id: r.name for r in self.guild.roles.values()})
        found.update({u.id: u.username for u in (self.fan, self.mod)})
        return found

    def render(self, message: Message, *, pinned: bool = False) -> str:
        return _indent(render_message(message, pinned=pinned, names=self.names()))

    def has_command(self, name: str) -> bool:
        return any(c["name"] == name for c in self.fd.commands.get(None) + self.fd.commands.get(self.guild.id))

    async def run(self, user: User, where: Channel, command: str, **options: Any) -> Message | None:
        """Run a slash command as ``user`` in ``where`` and print what they see."""
        shown = " ".join(f"{k}:{_shown(v)}" for k, v in options.items())
        self.say(f"\n▶ {user.username} in #{where.name}: /{command} {shown}".rstrip())
        handle = await self.fd.invoke(command, user=user, in_channel=where, options=options)
        return await self.show_reply(handle)

    async def click(self, user: User, message: Message, label: str) -> Message | None:
        buttons = [c for row in message.components for c in row.get("components", [])]
        button = next((b for b in buttons if b.get("label") == label and not b.get("disabled")), None)
        if button is None:
            self.say(f"  (no '{label}' button to click)")
            return None
        self.say(f"\n▶ {user.username} clicks [{label}]")
        return await self.show_reply(await self.fd.click(message, button["custom_id"], user=user))

    async def show_reply(self, handle: InteractionHandle) -> Message | None:
        reply = await handle.response(timeout=15)
        message = reply.message
        if message is not None:
            self.say(self.render(message))
        for followup in reply.followups:
            self.say(self.render(followup))
        return message

    def show_channel(self, channel: Channel, *, since: int = 0) -> None:
        messages = [m for m in self.fd.messages(channel) if m.id > since]
        self.say(f"\n── #{channel.name} ──")
        if not messages:
            self.say("  (nothing new)")
        pins = {m.id for m in self.fd.pins(channel)}
        for message in messages:
            self.say(self.render(message, pinned=message.id in pins))


def _shown(value: Any) -> str:
    if isinstance(value, Channel):
        return f"#{value.name}"
    if isinstance(value, Role):
        return f'"@{value.name}"' if " " in value.name else f"@{value.name}"
    text = str(value)
    return f'"{text}"' if " " in text else text


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


Step = Callable[[World], Awaitable[None]]


async def tour_lookups(w: World) -> None:
    w.say("\n═══ A fan who forgot season 1 ═══")
    await w.run(w.fan, w.general, "cast", name="Nam-ra")
    await w.run(w.fan, w.general, "cast", name="park solomon")
    await w.run(w.fan, w.general, "cast", name="Hyun Bin")
    page = await w.run(w.fan, w.general, "cast", season=2)
    if page is not None:
        await w.click(w.fan, page, "Next")
    await w.run(w.fan, w.general, "recap", episode=1)
    await w.run(w.fan, w.general, "recap", character="Cheong-san", up_to=4)
    await w.run(w.fan, w.general, "recap", character="Nam-ra", private=True)
    await w.run(w.fan, w.general, "recap", episode=13)


DISPATCH_FEED = "/live/k-drama-dispatch.xml"
GOOGLE_FEED = "/live/google-news-aouad.xml"


async def settle(w: World, within: float = 20.0) -> None:
    """Wait until the outbox is empty: the news the bot queued has reached the channels."""
    feeds = w.bot.get_cog("FeedCommands")
    send_due = getattr(feeds, "send_due", None)
    async with asyncio.timeout(within):
        while True:
            if send_due is not None:
                await send_due()
            counts = await db_feeds.delivery_counts(w.bot.db)
            if not counts.get("pending"):
                return
            await asyncio.sleep(0.2)


async def tour_news(w: World) -> None:
    if not w.has_command("feeds"):
        return
    w.say("\n═══ A moderator sets up the news channel ═══")
    w.feeds.add(DISPATCH_FEED, sample_bytes("kdrama-dispatch-wordpress.xml"), content_type="application/rss+xml")
    w.feeds.add(GOOGLE_FEED, sample_bytes("google-news-search.xml"), content_type="application/rss+xml")
    await w.run(w.mod, w.general, "feeds add", url=w.feeds.url(DISPATCH_FEED), channel=w.news,
                ping_role=w.alerts, ping_words="premiere date, release date")
    await w.run(w.mod, w.general, "feeds add", url=w.feeds.url(GOOGLE_FEED), channel=w.news, backfill=3)
    if w.stories is not None:
        await w.run(w.mod, w.general, "feeds add", url=w.feeds.url(DISPATCH_FEED), channel=w.stories, tag="News")
    await settle(w)
    w.say("\n(backfill:3 asked for the Google News feed's newest three items; one of them, a pirate")
    w.say(" 'watch free' page, was held back by the default blocklist.)")
    w.show_channel(w.news)


async def tour_countdown(w: World) -> None:
    if not w.has_command("countdown"):
        return
    w.say("\n═══ The countdown, pinned ═══")
    await w.run(w.mod, w.general, "countdown setup", channel=w.countdown, event=True)
    w.show_channel(w.countdown)


async def tour_breaking_news(w: World) -> None:
    if not w.has_command("feeds"):
        return
    w.say("\n═══ News breaks: the K-drama site publishes new articles ═══")
    before_news = max((m.id for m in w.fd.messages(w.news)), default=0)
    before_countdown = max((m.id for m in w.fd.messages(w.countdown)), default=0)
    w.feeds.add(
        DISPATCH_FEED, sample_bytes("kdrama-dispatch-wordpress-newer.xml"), content_type="application/rss+xml"
    )
    await w.run(w.mod, w.general, "feeds refresh")
    await settle(w)
    w.say("\n(The article is about the premiere date, so its post pings @News Alerts — the one role the")
    w.say(" moderator chose for those words, and nobody else; #stories gets it as a forum post of its own.)")
    w.show_channel(w.news, since=before_news)
    show_forum(w)
    if w.has_command("countdown"):
        await asyncio.sleep(0.5)  # the countdown reads the same news and edits its pin
        w.say("\n(#countdown: the pinned message was edited in place and one announcement was posted.)")
        w.show_channel(w.countdown, since=before_countdown)
        pinned = w.fd.pins(w.countdown)
        if pinned:
            w.say("\n── #countdown, the pin now ──")
            w.say(w.render(pinned[-1], pinned=True))
        await w.run(w.fan, w.general, "countdown show")
        show_events(w)
    await w.run(w.fan, w.general, "news", count=3)


def show_forum(w: World) -> None:
    """The forum channel: one post per story, titled with its headline, the card as its first message."""
    if w.stories is None:
        return
    posts = w.fd.threads(w.stories)
    if posts:
        w.say(f"\n── #{w.stories.name}, a forum: one post per story ──")
    for post in posts:
        first = w.fd.messages(post)
        tags = ", ".join(t.name for t in w.stories.tags.values() if t.id in post.applied_tags)
        w.say(f"🗂 {post.name}" + (f"  [{tags}]" if tags else ""))
        if first:
            w.say(_indent(w.render(first[0])))


def show_events(w: World) -> None:
    """The server's Events list, as a member sees it: the premiere the confirmed date put there."""
    events = w.fd.scheduled_events(w.guild)
    if events:
        w.say("\n── Server events (the countdown added the confirmed premiere) ──")
    for event in events:
        end = f"–{event.end:%H:%M}" if event.end else ""
        w.say(f"📅 {event.name} · {event.location} · {event.start:%d %B %Y %H:%M}{end} UTC")
        w.say(f"   {(event.description or '').splitlines()[0]}")


TOUR: list[Step] = [tour_lookups, tour_news, tour_countdown, tour_breaking_news]


async def play_tour(w: World) -> None:
    for step in TOUR:
        await step(w)
    w.say("\nDemo finished: everything above was answered by the real bot through the local Discord.")


async def interactive(w: World) -> None:
    w.say(
        "\nType slash commands as a moderator of the demo server, e.g. `/cast nam-ra`, `/recap episode:3`,\n"
        "`/recap character:cheongsan up_to:4 private:true`. Options go as name:value; a bare word fills the\n"
        "first option. `click Next` presses a button on the last answer; `#news` shows a channel; `quit` ends."
    )
    last: Message | None = None
    while True:
        try:
            line = (await asyncio.to_thread(input, "\n> ")).strip()
        except EOFError:
            return
        if not line:
            continue
        if line in {"quit", "exit", "/quit"}:
            return
        try:
            if line.startswith("#"):
                w.show_channel(channel_named(w, line[1:]))
            elif line.lower().startswith("click "):
                if last is None:
                    w.say("Nothing to click yet.")
                else:
                    last = await w.click(w.mod, last, line[6:].strip()) or last
            else:
                command, options = parse_command(w, line)
                last = await w.run(w.mod, w.general, command, **options) or last
        except (ValueError, AssertionError, TimeoutError) as exc:
            w.say(f"  ✗ {exc}")


def channel_named(w: World, name: str) -> Channel:
    for channel in w.guild.channels.values():
        if channel.name == name.strip():
            return channel
    raise ValueError(f"no channel #{name} (there are: {', '.join('#' + c.name for c in w.guild.channels.values())})")


def parse_command(w: World, line: str) -> tuple[str, dict[str, Any]]:
    """``/recap character:"Nam-ra" up_to:4`` → ("recap", {...}), converting values to the synced option types."""
    tokens = shlex.split(line.lstrip("/"))
    if not tokens:
        raise ValueError("type a command, e.g. /cast nam-ra")
    commands = {c["name"]: c for c in w.fd.commands.get(None) + w.fd.commands.get(w.guild.id)}
    command = commands.get(tokens[0].lower())
    if command is None:
        raise ValueError(f"unknown command /{tokens[0]} (try: {', '.join('/' + n for n in sorted(commands))})")
    path, rest, options_spec = [command["name"]], tokens[1:], command.get("options", [])
    while options_spec and options_spec[0]["type"] in (1, 2):
        subs = {o["name"]: o for o in options_spec}
        if not rest or rest[0].lower() not in subs:
            raise ValueError(f"/{' '.join(path)} needs one of: {', '.join(subs)}")
        chosen = subs[rest.pop(0).lower()]
        path.append(chosen["name"])
        options_spec = chosen.get("options", [])
    spec = {o["name"]: o for o in options_spec}
    values: dict[str, Any] = {}
    bare: list[str] = []
    for token in rest:
        key, sep, value = token.partition(":")
        if sep and key in spec:
            values[key] = convert(w, spec[key], value)
        else:
            bare.append(token)
    if bare:
        free = next((o for o in options_spec if o["name"] not in values), None)
        if free is None:
            raise ValueError(f"no option left for {' '.join(bare)!r}")
        values[free["name"]] = convert(w, free, " ".join(bare))
    return " ".join(path), values


def convert(w: World, option: dict[str, Any], raw: str) -> Any:
    kind = option["type"]
    try:
        if kind == 4:
            return int(raw)
        if kind == 10:
            return float(raw)
    except ValueError:
        raise ValueError(f"{option['name']} takes a {OPTION_TYPES[kind]}, not {raw!r}") from None
    if kind == 5:
        if raw.lower() not in {"true", "false", "yes", "no"}:
            raise ValueError(f"{option['name']} takes true or false")
        return raw.lower() in {"true", "yes"}
    if kind == 7:
        return channel_named(w, raw.lstrip("#"))
    if kind == 8:
        for role in w.guild.roles.values():
            if role.name == raw.lstrip("@"):
                return role
        raise ValueError(f"no role {raw}")
    return raw


async def run_demo(*, interactive_mode: bool, out: TextIO) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="marquee-demo-") as tmp:
        async with FakeDiscord() as fd, FeedServer() as feeds:
            guild = fd.add_guild("All of Us Are Dead — Fans", bot_permissions=DEMO_BOT_PERMISSIONS)
            news = fd.add_channel(guild, "news", topic="Season 2 news as it breaks")
            countdown = fd.add_channel(guild, "countdown")
            stories = fd.add_forum(guild, "stories", tags=["News", "Rumours"])
            alerts = fd.add_role(guild, "News Alerts", mentionable=True)
            fan = fd.add_user("minji")
            fd.add_member(guild, fan)
            mod = fd.add_user("jae-the-mod")
            fd.add_member(guild, mod, roles=[fd.add_role(guild, "Moderators", permissions=MODERATOR)])
            settings = Settings.from_env(
                {
                    "DISCORD_TOKEN": fd.token,
                    "DATABASE_PATH": str(Path(tmp) / "demo.db"),
                    "DISCORD_API_URL": fd.api_url,
                    "DISCORD_GATEWAY_URL": fd.gateway_url,
                    "FEEDS_ALLOW_PRIVATE_NETWORKS": "on",
                    "LOG_LEVEL": "WARNING",
                }
            )
            print(f"Marquee demo: a local Discord on {fd.api_url}, news feeds on {feeds.url('/')}", file=out)
            async with running_bot(settings, guild_ready_timeout=0.05) as bot:
                world = World(fd, feeds, bot, guild, fd.general(guild), news, countdown, fan, mod, out, stories, alerts)
                print(
                    f"Marquee is in '{guild.name}' with {len(fd.commands.get(None))} slash commands.",
                    file=out,
                )
                if interactive_mode:
                    await interactive(world)
                else:
                    await play_tour(world)
    return 0


def main(*, interactive_mode: bool, out: TextIO) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(run_demo(interactive_mode=interactive_mode, out=out))
    return 130
