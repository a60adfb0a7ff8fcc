"""Forum channels and threads: the world objects, their payloads, and what happens when one is made.

A thread is a channel whose parent is a text or forum channel, so it lives beside the channels in
``World.channels`` (every channel-scoped route, ``fd.messages(thread)`` and ``World.find_message`` find it)
but not in ``Guild.channels``, which Discord's channel list never includes threads in. A thread shares its
parent's overwrites dict: Discord computes a thread's permissions from its parent's.

Shapes follow Discord's OpenAPI description (``ThreadResponse``, ``ThreadMetadataResponse``,
``ThreadMemberResponse``, ``ForumTagResponse``, ``GuildChannelResponse``'s forum fields).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fakediscord.events import WorldEvents
from fakediscord.world import JSON, Channel, Guild, Message, User, World, iso

log = logging.getLogger(__name__)

GUILD_TEXT, GUILD_ANNOUNCEMENT = 0, 5
ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD = 10, 11, 12
GUILD_FORUM, GUILD_MEDIA = 15, 16
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})
THREAD_PARENT_TYPES = frozenset({GUILD_TEXT, GUILD_ANNOUNCEMENT})
FORUM_TYPES = frozenset({GUILD_FORUM, GUILD_MEDIA})

REQUIRE_TAG = 1 << 4  # channel flag on a forum: every post needs at least one tag
PINNED = 1 << 1  # channel flag on a forum post
AUTO_ARCHIVE_DURATIONS = frozenset({60, 1440, 4320, 10080})
THREAD_NAME_MAX = 100
APPLIED_TAGS_MAX = 5


@dataclass(eq=False)
class ForumTag:
    id: int
    name: str
    moderated: bool = False
    emoji_name: str | None = None

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "moderated": self.moderated,
            "emoji_id": None,
            "emoji_name": self.emoji_name,
        }


@dataclass(eq=False, kw_only=True)
class Forum(Channel):
    """A forum channel (type 15): holds no messages of its own, only posts (threads) with tags."""

    tags: dict[int, ForumTag] = field(default_factory=dict)
    flags: int = 0
    default_auto_archive_duration: int = 4320
    newest_post_id: int | None = None  # a forum's ``last_message_id`` is its newest post's id

    @property
    def requires_tag(self) -> bool:
        return bool(self.flags & REQUIRE_TAG)

    def tag_named(self, name: str) -> ForumTag:
        for tag in self.tags.values():
            if tag.name == name:
                return tag
        raise KeyError(f"no tag {name!r} in #{self.name}")

    def payload(self) -> JSON:
        return {
            **super().payload(),
            "flags": self.flags,
            "last_message_id": str(self.newest_post_id) if self.newest_post_id else None,
            "available_tags": [t.payload() for t in self.tags.values()],
            "default_auto_archive_duration": self.default_auto_archive_duration,
            "default_thread_rate_limit_per_user": 0,
            "default_reaction_emoji": None,
            "default_sort_order": None,
            "default_forum_layout": 0,
        }


@dataclass(eq=False, kw_only=True)
class Thread(Channel):
    """A thread (types 10, 11, 12); its id is its starter message's id when started from one."""

    parent: Channel
    owner_id: int
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 4320
    archive_timestamp: datetime = field(default_factory=lambda: datetime.now(UTC))
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    applied_tags: list[int] = field(default_factory=list)
    members: dict[int, datetime] = field(default_factory=dict)  # user id -> joined at
    starter_in_thread: bool = False  # a forum post's first message sits in the thread itself
    flags: int = 0

    def member_payload(self, user_id: int) -> JSON:
        return {"id": str(self.id), "user_id": str(user_id), "join_timestamp": iso(self.members[user_id]), "flags": 0}

    def payload(self) -> JSON:
        visible = [m for m in self.messages.values() if not m.ephemeral]
        counted = len(visible) - (1 if self.starter_in_thread and self.id in self.messages else 0)
        metadata: JSON = {
            "archived": self.archived,
            "archive_timestamp": iso(self.archive_timestamp),
            "auto_archive_duration": self.auto_archive_duration,
            "locked": self.locked,
            "create_timestamp": iso(self.created),
        }
        if self.type == PRIVATE_THREAD:
            metadata["invitable"] = self.invitable
        payload: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "parent_id": str(self.parent.id),
            "owner_id": str(self.owner_id),
            "name": self.name,
            "last_message_id": str(m) if (m := self.last_message_id()) else None,
            "last_pin_timestamp": iso(max(self.pins.values())) if self.pins else None,
            "rate_limit_per_user": 0,
            "flags": self.flags,
            "message_count": max(counted, 0),
            "member_count": min(len(self.members), 50),
            "total_message_sent": len(visible),  # the fake forgets deleted ones: Discord would count them
            "thread_metadata": metadata,
        }
        if isinstance(self.parent, Forum):
            payload["applied_tags"] = [str(t) for t in self.applied_tags]
        return payload


def is_thread(channel: Channel) -> bool:
    return isinstance(channel, Thread)


def new_forum(
    world: World, guild: Guild, name: str, *, tags: list[str] | tuple[str, ...] = (), require_tag: bool = False
) -> Forum:
    forum = Forum(
        world.ids.next(),
        guild,
        name,
        position=len(guild.channels),
        type=GUILD_FORUM,
        flags=REQUIRE_TAG if require_tag else 0,
    )
    for tag_name in tags:
        tag = ForumTag(world.ids.next(), tag_name)
        forum.tags[tag.id] = tag
    guild.channels[forum.id] = forum
    world.channels[forum.id] = forum
    return forum


def thread_payload_for(thread: Thread, user: User) -> JSON:
    """The thread as its creator's answer and THREAD_CREATE carry it: with the creator's own membership."""
    payload = thread.payload()
    if user.id in thread.members:
        payload["member"] = thread.member_payload(user.id)
    return payload


def open_thread(
    world: World,
    events: WorldEvents,
    parent: Channel,
    owner: User,
    *,
    name: str,
    kind: int,
    thread_id: int | None = None,
    auto_archive_duration: int | None = None,
    applied_tags: list[int] | None = None,
    invitable: bool = True,
) -> Thread:
    """Make a thread under ``parent`` and tell the bot (THREAD_CREATE, ``newly_created``)."""
    now = datetime.now(UTC)
    default = parent.default_auto_archive_duration if isinstance(parent, Forum) else 4320
    thread = Thread(
        thread_id or world.ids.next(),
        parent.guild,
        name,
        position=0,
        type=kind,
        overwrites=parent.overwrites,
        parent=parent,
        owner_id=owner.id,
        auto_archive_duration=auto_archive_duration or default,
        archive_timestamp=now,
        created=now,
        applied_tags=list(applied_tags or []),
        invitable=invitable,
        members={owner.id: now},
        starter_in_thread=isinstance(parent, Forum),
    )
    world.channels[thread.id] = thread
    world.threads[thread.id] = thread
    if isinstance(parent, Forum):
        parent.newest_post_id = thread.id
    events.dispatch("THREAD_CREATE", {**thread_payload_for(thread, owner), "newly_created": True})
    events.notify()
    return thread


def post_starter(world: World, events: WorldEvents, thread: Thread, author: User, **fields: Any) -> Message:
    """A forum post's first message: it has the thread's own id, as on Discord."""
    msg = Message(
        id=thread.id,
        channel_id=thread.id,
        guild_id=thread.guild.id,
        author=author,
        created_mono=events.clock.now(),
        **fields,
    )
    thread.messages[msg.id] = msg
    events.dispatch("MESSAGE_CREATE", world.message_payload(msg))
    events.notify()
    return msg


def thread_changed(events: WorldEvents, thread: Thread) -> None:
    events.dispatch("THREAD_UPDATE", thread.payload())
    events.notify()


def set_archived(events: WorldEvents, thread: Thread, archived: bool, *, locked: bool | None = None) -> None:
    """Archive or reopen: ``archive_timestamp`` marks the last change of the archived state, as Discord's."""
    if archived != thread.archived:
        thread.archived = archived
        thread.archive_timestamp = datetime.now(UTC)
    if locked is not None:
        thread.locked = locked
    thread_changed(events, thread)


def all_threads(world: World) -> list[Thread]:
    """Every thread in the world, oldest first (the world holds them as plain channels)."""
    return [t for t in world.threads.values() if isinstance(t, Thread)]


def active_threads(world: World, guild: Guild) -> list[Thread]:
    """The guild's threads that are not archived: what GUILD_CREATE and the active-threads route list."""
    return [t for t in all_threads(world) if t.guild is guild and not t.archived]


def threads_of(world: World, channel: Channel) -> list[Thread]:
    """Threads under a text or forum channel, oldest first."""
    return [t for t in all_threads(world) if t.parent is channel]
