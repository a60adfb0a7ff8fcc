"""The fake's in-memory Discord: users, guilds, roles, channels, members, messages and pins.

Everything here is plain data plus the two computations Discord itself performs on it: a member's
effective permissions in a channel, and the JSON payloads the API and gateway send for each object. The
REST layer and the test-facing API both read and change this one world, so what a test sets up is
exactly what the bot sees.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord

log = logging.getLogger(__name__)

JSON = dict[str, Any]
DISCORD_EPOCH_MS = 1420070400000

# Permission bits Discord's own rules look at (values from discord.Permissions, so they cannot drift).
VIEW_CHANNEL = discord.Permissions(view_channel=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True).value
EMBED_LINKS = discord.Permissions(embed_links=True).value
ATTACH_FILES = discord.Permissions(attach_files=True).value
READ_MESSAGE_HISTORY = discord.Permissions(read_message_history=True).value
MANAGE_MESSAGES = discord.Permissions(manage_messages=True).value
MENTION_EVERYONE = discord.Permissions(mention_everyone=True).value
SEND_TTS_MESSAGES = discord.Permissions(send_tts_messages=True).value
PIN_MESSAGES = discord.Permissions(pin_messages=True).value
SEND_MESSAGES_IN_THREADS = discord.Permissions(send_messages_in_threads=True).value
CREATE_PUBLIC_THREADS = discord.Permissions(create_public_threads=True).value
CREATE_PRIVATE_THREADS = discord.Permissions(create_private_threads=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value
MANAGE_CHANNELS = discord.Permissions(manage_channels=True).value
CREATE_EVENTS = discord.Permissions(create_events=True).value
MANAGE_EVENTS = discord.Permissions(manage_events=True).value
ADMINISTRATOR = discord.Permissions(administrator=True).value
ALL_PERMISSIONS = discord.Permissions.all().value

DEFAULT_EVERYONE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    read_message_history=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_external_emojis=True,
    use_application_commands=True,
    create_instant_invite=True,
    change_nickname=True,
    connect=True,
    speak=True,
).value
DEFAULT_BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    use_external_emojis=True,
    use_application_commands=True,
    pin_messages=True,
).value

FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7


def as_bits(permissions: discord.Permissions | int) -> int:
    return permissions.value if isinstance(permissions, discord.Permissions) else int(permissions)


def iso(moment: datetime) -> str:
    return moment.isoformat()


class Snowflakes:
    """Discord-shaped ids: creation time in the high bits, so ids sort by age like Discord's."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (1 << 17) | (next(self._counter) % 4096)


@dataclass(eq=False)
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "primary_guild": None,  # no server tag shown: what Discord sends for most users
        }


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    colour: int = 0

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": self.colour,
            "colors": {"primary_color": self.colour, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    roles: list[int] = field(default_factory=list)
    joined_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    nick: str | None = None

    def payload(self) -> JSON:
        return {
            "user": self.user.payload(),
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.roles],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }


@dataclass(eq=False)
class Overwrite:
    target_id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0

    def payload(self) -> JSON:
        return {"id": str(self.target_id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass(eq=False)
class Message:
    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    allowed_mentions: JSON | None = None
    tts: bool = False
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    created_mono: float = 0.0
    edited_at: datetime | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: JSON | None = None
    message_reference: JSON | None = None
    attachments: list[JSON] = field(default_factory=list)
    type: int = 0
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & FLAG_LOADING)


@dataclass(eq=False)
class Channel:
    id: int
    guild: Guild
    name: str
    position: int
    type: int = 0
    topic: str | None = None
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    messages: dict[int, Message] = field(default_factory=dict)
    pins: dict[int, datetime] = field(default_factory=dict)  # message id -> pinned at, in pin order

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def last_message_id(self) -> int | None:
        return next((m.id for m in reversed(self.messages.values()) if not m.ephemeral), None)

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites.values()],
            "topic": self.topic,
            "nsfw": False,
            "parent_id": None,
            "rate_limit_per_user": 0,
            "last_message_id": str(m) if (m := self.last_message_id()) else None,
            "last_pin_timestamp": iso(max(self.pins.values())) if self.pins else None,
            "flags": 0,
        }


DM, GROUP_DM = 1, 3


@dataclass(eq=False)
class PrivateChannel:
    """A DM or a group DM: no server, no roles, no overwrites; the people in it are its ``recipients``.

    ``bot_present`` says whether the bot is one of them (its own DM with a user). A user who installed the app
    to their account also uses it in DMs and group DMs the bot is not in; Discord then sends the bot nothing
    that happens there but the interactions themselves.
    """

    id: int
    type: int
    recipients: list[User]
    bot_present: bool = False
    name: str | None = None
    owner_id: int | None = None
    messages: dict[int, Message] = field(default_factory=dict)
    pins: dict[int, datetime] = field(default_factory=dict)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self) -> JSON:
        """As Discord's PrivateChannelResponse / PrivateGroupChannelResponse."""
        last = next((m.id for m in reversed(self.messages.values()) if not m.ephemeral), None)
        payload: JSON = {
            "id": str(self.id),
            "type": self.type,
            "last_message_id": str(last) if last else None,
            "flags": 0,
            "recipients": [u.payload() for u in self.recipients],
        }
        if self.type == GROUP_DM:
            payload.update(name=self.name, icon=None, owner_id=str(self.owner_id))
        return payload


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    locale: str = "en-US"

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def channel_named(self, name: str) -> Channel:
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"no channel #{name} in {self.name}")

    def role_named(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role {name!r} in {self.name}")

    def payload(self) -> JSON:
        """The guild object as ``GET /guilds/{id}`` returns it: every field Discord's API lists as required."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "features": [],
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "home_header": None,
            "application_id": None,
            "region": "deprecated",  # Discord's value since voice regions moved to channels
            "widget_enabled": False,
            "widget_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "max_stage_video_channel_users": 50,
            "max_video_channel_users": 25,
            "vanity_url_code": None,
            "safety_alerts_channel_id": None,
            "premium_progress_bar_enabled": False,
            "nsfw": False,
            "incidents_data": None,
        }

    def create_payload(self) -> JSON:
        """The GUILD_CREATE object: the guild plus what the gateway adds, enough for discord.py's ``me``."""
        return {
            **self.payload(),
            "channels": [c.payload() for c in self.channels.values()],
            "threads": [],
            "members": [m.payload() for m in self.members.values()],
            "member_count": len(self.members),
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "large": False,
            "unavailable": False,
            "joined_at": iso(datetime.now(UTC)),
        }


def base_permissions(guild: Guild, member: Member) -> int:
    """Guild-wide permissions: the owner has all; otherwise @everyone plus every role, admin means all."""
    if member.user.id == guild.owner_id:
        return ALL_PERMISSIONS
    perms = guild.everyone.permissions
    for role_id in member.roles:
        role = guild.roles.get(role_id)
        if role is not None:
            perms |= role.permissions
    return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms


def channel_permissions(channel: Channel, member: Member) -> int:
    """Discord's algorithm: base, then @everyone overwrite, then role overwrites together, then member."""
    guild = channel.guild
    perms = base_permissions(guild, member)
    if perms & ADMINISTRATOR:
        return ALL_PERMISSIONS
    everyone = channel.overwrites.get(guild.id)
    if everyone is not None:
        perms = (perms & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in member.roles:
        ow = channel.overwrites.get(role_id)
        if ow is not None and ow.type == 0:
            allow |= ow.allow
            deny |= ow.deny
    perms = (perms & ~deny) | allow
    own = channel.overwrites.get(member.user.id)
    if own is not None and own.type == 1:
        perms = (perms & ~own.deny) | own.allow
    if not perms & VIEW_CHANNEL:
        return 0
    if channel.type in (10, 11, 12):  # in a thread, Send Messages in Threads is what lets one post
        perms = (perms & ~SEND_MESSAGES) | (SEND_MESSAGES if perms & SEND_MESSAGES_IN_THREADS else 0)
    if not perms & SEND_MESSAGES:
        perms &= ~(MENTION_EVERYONE | SEND_TTS_MESSAGES | ATTACH_FILES | EMBED_LINKS)
    return perms


@dataclass(frozen=True, slots=True)
class Pings:
    """Who a message actually notified, after ``allowed_mentions`` filtered its mentions."""

    users: frozenset[int]
    roles: frozenset[int]
    everyone: bool

    def __bool__(self) -> bool:
        return bool(self.users or self.roles or self.everyone)


USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


def pings_of(message: Message) -> Pings:
    """Apply Discord's ``allowed_mentions`` rules (absent means: parse everything) to a message's content.

    The author's mention_everyone permission is deliberately not consulted: a test asking "did this ping
    anyone?" wants to know what the bot asked for, not what a permission happened to stop.
    """
    content = message.content
    user_ids = {int(i) for i in USER_MENTION.findall(content)}
    role_ids = {int(i) for i in ROLE_MENTION.findall(content)}
    everyone = "@everyone" in content or "@here" in content
    am = message.allowed_mentions
    if am is None:
        return Pings(frozenset(user_ids), frozenset(role_ids), everyone)
    parse = set(am.get("parse", []))
    users = user_ids if "users" in parse else user_ids & {int(u) for u in am.get("users", [])}
    roles = role_ids if "roles" in parse else role_ids & {int(r) for r in am.get("roles", [])}
    replied = message.message_reference is not None and am.get("replied_user", False)
    if replied and message.message_reference is not None:
        users = set(users) | {int(message.message_reference.get("author_id", 0))} - {0}
    return Pings(frozenset(users), frozenset(roles), everyone and "everyone" in parse)


class World:
    """Every object the fake Discord holds, indexed the ways the API looks them up."""

    def __init__(self) -> None:
        self.ids = Snowflakes()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}  # threads too: every channel-scoped route finds them here
        # Kept here so one world holds everything, typed loosely because those modules sit above this one:
        # fakediscord.threads.Thread and fakediscord.scheduled_events.ScheduledEvent, read through their helpers.
        self.threads: dict[int, Channel] = {}
        self.private_channels: dict[int, PrivateChannel] = {}  # DMs and group DMs
        self.scheduled_events: dict[int, Any] = {}

    def new_user(self, username: str, *, bot: bool = False) -> User:
        user = User(self.ids.next(), username, bot=bot, global_name=None if bot else username.title())
        self.users[user.id] = user
        return user

    def new_guild(self, name: str, owner: User) -> Guild:
        guild = Guild(self.ids.next(), name, owner.id)
        guild.roles[guild.id] = Role(guild.id, guild.id, "@everyone", DEFAULT_EVERYONE_PERMISSIONS)
        guild.members[owner.id] = Member(owner, guild.id)
        self.guilds[guild.id] = guild
        return guild

    def new_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        channel = Channel(self.ids.next(), guild, name, position=len(guild.channels), topic=topic)
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def new_role(self, guild: Guild, name: str, permissions: int, *, managed: bool = False) -> Role:
        role = Role(self.ids.next(), guild.id, name, permissions, position=len(guild.roles), managed=managed)
        guild.roles[role.id] = role
        return role

    def member(self, guild: Guild, user: User) -> Member:
        try:
            return guild.members[user.id]
        except KeyError:
            raise KeyError(f"{user.username} is not a member of {guild.name}") from None

    def new_private_channel(
        self, kind: int, recipients: list[User], *, bot_present: bool = False, name: str | None = None
    ) -> PrivateChannel:
        owner = recipients[0].id if kind == GROUP_DM else None
        channel = PrivateChannel(self.ids.next(), kind, recipients, bot_present=bot_present, name=name, owner_id=owner)
        self.private_channels[channel.id] = channel
        return channel

    def any_channel(self, channel_id: int) -> Channel | PrivateChannel:
        """A server's channel or thread, or a DM or group DM."""
        found = self.channels.get(channel_id) or self.private_channels.get(channel_id)
        if found is None:
            raise KeyError(f"no channel {channel_id}")
        return found

    def find_message(self, message_id: int) -> Message | None:
        places: list[Channel | PrivateChannel] = [*self.channels.values(), *self.private_channels.values()]
        for channel in places:
            msg = channel.messages.get(message_id)
            if msg is not None:
                return msg
        return None

    def rest_message_payload(self, message: Message) -> JSON:
        """A message as Discord's REST API returns it: no ``guild_id`` and no ``member``, which only the gateway's
        MESSAGE_CREATE/UPDATE carry, so code that reads ``message.author`` as a Member from history fails here as in
        production."""
        return {k: v for k, v in self.message_payload(message).items() if k not in ("guild_id", "member")}

    def message_payload(self, message: Message) -> JSON:
        """A message as the gateway's MESSAGE_CREATE/UPDATE send it (REST answers: ``rest_message_payload``)."""
        channel = self.channels.get(message.channel_id)
        pings = pings_of(message)
        payload: JSON = {
            "id": str(message.id),
            "channel_id": str(message.channel_id),
            "author": message.author.payload(),
            "content": message.content,
            "timestamp": iso(message.created_at),
            "edited_timestamp": iso(message.edited_at) if message.edited_at else None,
            "tts": message.tts,
            "mention_everyone": pings.everyone,
            "mentions": [self.users[u].payload() for u in sorted(pings.users) if u in self.users],
            "mention_roles": [str(r) for r in sorted(pings.roles)],
            "attachments": message.attachments,
            "embeds": [{"type": "rich", **embed} for embed in message.embeds],  # Discord fills in a bot embed's type
            "components": with_component_ids(message.components),
            "pinned": channel is not None and message.id in channel.pins,
            "type": message.type,
            "flags": message.flags,
            "reactions": [],
        }
        if message.guild_id is not None:
            payload["guild_id"] = str(message.guild_id)
            guild = self.guilds.get(message.guild_id)
            member = guild.members.get(message.author.id) if guild else None
            if member is not None and message.webhook_id is None:
                payload["member"] = {k: v for k, v in member.payload().items() if k != "user"}
        if message.nonce is not None:
            payload["nonce"] = message.nonce
        if message.webhook_id is not None:
            payload["webhook_id"] = str(message.webhook_id)
        if message.application_id is not None:
            payload["application_id"] = str(message.application_id)
        if message.interaction_metadata is not None:
            # the command's name is kept for the demo's transcript; Discord's metadata has no name
            payload["interaction_metadata"] = {k: v for k, v in message.interaction_metadata.items() if k != "name"}
        if message.message_reference is not None:
            payload["message_reference"] = message.message_reference
        return payload


def with_component_ids(components: list[JSON]) -> list[JSON]:
    """Components as Discord returns them: each numbered (``id``) depth-first from 1 where the bot gave no id."""
    counter = itertools.count(1)

    def number(component: JSON) -> JSON:
        numbered = {**component, "id": component.get("id") or next(counter)}
        if isinstance(component.get("emoji"), dict):  # a Unicode emoji comes back by name alone, without "id": null
            numbered["emoji"] = {k: v for k, v in component["emoji"].items() if v is not None}
        if isinstance(component.get("components"), list):
            numbered["components"] = [number(c) for c in component["components"]]
        if isinstance(component.get("component"), dict):
            numbered["component"] = number(component["component"])
        if isinstance(component.get("accessory"), dict):
            numbered["accessory"] = number(component["accessory"])
        return numbered

    return [number(c) for c in components]
