"""Threads and forum posts: starting them, joining, listing, archiving, and posting in them.

Discord's rules, as documented: a thread from a message needs Create Public Threads on a text or
announcement channel, one thread per message (160004); a forum post needs Send Messages on the forum,
a first message, and a tag where the forum requires one (40067); nobody posts in a forum itself (40058);
posting in a thread needs Send Messages in Threads, and nothing is posted, edited or deleted in an
archived thread (50083) nor posted in a locked one without Manage Threads (160005); a thread's
owner may rename, archive and reopen it, anything else (and touching a locked thread) needs Manage
Threads. The message routes here run before the plain ones and hand the message over to them. A forum
post's first message takes no ``nonce``: the spec's ``BaseCreateMessageCreateRequest`` has none, so a bot
cannot count on one to spot a post it already made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fakediscord import rules
from fakediscord.routes.family import JSON, Answer, Call, Route, RouteFamily
from fakediscord.routes.messages import MessageRoutes
from fakediscord.rules import DiscordError, FormErrors
from fakediscord.threads import (
    ANNOUNCEMENT_THREAD,
    APPLIED_TAGS_MAX,
    AUTO_ARCHIVE_DURATIONS,
    FORUM_TYPES,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    THREAD_NAME_MAX,
    THREAD_PARENT_TYPES,
    Forum,
    Thread,
    active_threads,
    all_threads,
    open_thread,
    post_starter,
    set_archived,
    thread_changed,
    thread_payload_for,
)
from fakediscord.world import (
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    FLAG_EPHEMERAL,
    MANAGE_CHANNELS,
    MANAGE_THREADS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
    Member,
    channel_permissions,
)

THREAD_EDITABLE_BY_OWNER = frozenset(
    {"name", "archived", "auto_archive_duration", "applied_tags", "rate_limit_per_user"}
)


def _check_thread_fields(body: JSON, errors: FormErrors) -> None:
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= THREAD_NAME_MAX or len(name) > THREAD_NAME_MAX:
        errors.add(("name",), "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {THREAD_NAME_MAX} in length.")
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in AUTO_ARCHIVE_DURATIONS:
        errors.add(("auto_archive_duration",), "ENUM_TYPE_COERCE", f'Value "{duration}" is not a valid enum value.')


def _body(call: Call) -> JSON:
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise DiscordError(400, 50035, "Invalid Form Body")
    return body


class ThreadRoutes(RouteFamily):
    def __init__(self, fd: Any) -> None:
        super().__init__(fd)
        self._messages = MessageRoutes(fd)

    def routes(self) -> Iterable[Route]:
        return (
            Route("POST", "/channels/{channel_id}/messages", self.send_message),
            Route("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message),
            Route("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message),
            Route("POST", "/channels/{channel_id}/messages/{message_id}/threads", self.start_from_message),
            Route("POST", "/channels/{channel_id}/threads", self.start_thread),
            Route("PATCH", "/channels/{channel_id}", self.edit_channel),
            Route("PUT", "/channels/{channel_id}/thread-members/@me", self.join),
            Route("DELETE", "/channels/{channel_id}/thread-members/@me", self.leave),
            Route("GET", "/channels/{channel_id}/threads/archived/public", self.archived_public),
            Route("GET", "/guilds/{guild_id}/threads/active", self.active),
        )

    # --- posting: the checks a thread or forum adds before the plain message route ------------------

    async def send_message(self, call: Call) -> Answer:
        channel = self._channel(call)
        if isinstance(channel, Forum):
            self._require(channel)
            raise rules.forum_message()
        if isinstance(channel, Thread):
            self._require(channel, SEND_MESSAGES)
            if channel.archived:
                raise rules.thread_archived()
            if channel.locked and not self._bot_perms(channel) & MANAGE_THREADS:
                raise rules.thread_locked()
        return await self._messages.send_message(call)

    def _writable(self, call: Call) -> None:
        """An archived thread's messages can be neither edited nor deleted until it is reopened."""
        channel = self._channel(call)
        if isinstance(channel, Thread) and channel.archived:
            self._require(channel)
            raise rules.thread_archived()

    async def edit_message(self, call: Call) -> Answer:
        self._writable(call)
        return await self._messages.edit_message(call)

    async def delete_message(self, call: Call) -> Answer:
        self._writable(call)
        return await self._messages.delete_message(call)

    # --- starting threads ----------------------------------------------------------------------------

    async def start_from_message(self, call: Call) -> Answer:
        parent = self._channel(call)
        self._require(parent)
        if parent.type not in THREAD_PARENT_TYPES or isinstance(parent, Thread):
            raise rules.wrong_channel_type()
        self._require(parent, CREATE_PUBLIC_THREADS, READ_MESSAGE_HISTORY)
        msg = self._message(parent, call)
        body = _body(call)
        errors = FormErrors()
        _check_thread_fields(body, errors)
        errors.raise_if_any()
        if msg.id in self.world.threads:
            raise rules.thread_exists()
        kind = ANNOUNCEMENT_THREAD if parent.type == 5 else PUBLIC_THREAD
        thread = open_thread(
            self.world,
            self.fd.events,
            parent,
            self.fd.bot_user,
            name=body["name"],
            kind=kind,
            thread_id=msg.id,
            auto_archive_duration=body.get("auto_archive_duration"),
        )
        return 201, thread_payload_for(thread, self.fd.bot_user)

    async def start_thread(self, call: Call) -> Answer:
        parent = self._channel(call)
        self._require(parent)
        if isinstance(parent, Forum) or parent.type in FORUM_TYPES:
            return await self._forum_post(call, parent)
        if parent.type not in THREAD_PARENT_TYPES or isinstance(parent, Thread):
            raise rules.wrong_channel_type()
        body = _body(call)
        kind = int(body.get("type") or PRIVATE_THREAD)  # Discord's default here is a private thread
        if kind not in (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD):
            raise rules.wrong_channel_type()
        self._require(parent, CREATE_PRIVATE_THREADS if kind == PRIVATE_THREAD else CREATE_PUBLIC_THREADS)
        errors = FormErrors()
        _check_thread_fields(body, errors)
        errors.raise_if_any()
        thread = open_thread(
            self.world,
            self.fd.events,
            parent,
            self.fd.bot_user,
            name=body["name"],
            kind=kind,
            auto_archive_duration=body.get("auto_archive_duration"),
            invitable=bool(body.get("invitable", True)),
        )
        return 201, thread_payload_for(thread, self.fd.bot_user)

    async def _forum_post(self, call: Call, forum: Channel) -> Answer:
        assert isinstance(forum, Forum)  # only forums are built with a forum type
        body = _body(call)
        self._require(forum, SEND_MESSAGES)
        message: Any = body.get("message")
        errors = FormErrors()
        _check_thread_fields(body, errors)
        if not isinstance(message, dict):
            errors.add(("message",), "BASE_TYPE_REQUIRED", "This field is required")
        tags = [int(t) for t in body.get("applied_tags") or []]
        if len(tags) > APPLIED_TAGS_MAX:
            errors.add(("applied_tags",), "BASE_TYPE_MAX_LENGTH", f"Must be {APPLIED_TAGS_MAX} or fewer in length.")
        for i, tag_id in enumerate(tags):
            if tag_id not in forum.tags:
                errors.add(("applied_tags", i), "FORUM_TAG_UNKNOWN", "Unknown forum tag")
        errors.raise_if_any()
        assert isinstance(message, dict)  # checked above
        if forum.requires_tag and not tags:
            raise rules.tag_required()
        if any(forum.tags[t].moderated for t in tags) and not self._bot_perms(forum) & MANAGE_THREADS:
            raise rules.missing_permissions()
        if message.get("embeds") and not self._bot_perms(forum) & EMBED_LINKS:
            raise rules.missing_permissions()
        rules.check_message({**message, "attachments": call.attachments or message.get("attachments")}, creating=True)
        thread = open_thread(
            self.world,
            self.fd.events,
            forum,
            self.fd.bot_user,
            name=body["name"],
            kind=PUBLIC_THREAD,
            auto_archive_duration=body.get("auto_archive_duration"),
            applied_tags=tags,
        )
        starter = post_starter(
            self.world,
            self.fd.events,
            thread,
            self.fd.bot_user,
            content=message.get("content") or "",
            embeds=message.get("embeds") or [],
            components=message.get("components") or [],
            flags=int(message.get("flags") or 0) & ~FLAG_EPHEMERAL,
            allowed_mentions=message.get("allowed_mentions"),
            attachments=call.attachments,
        )
        return 201, {**thread_payload_for(thread, self.fd.bot_user), "message": self.world.message_payload(starter)}

    # --- changing a thread (or, plainly, a channel) --------------------------------------------------

    async def edit_channel(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel)
        body = _body(call)
        if not isinstance(channel, Thread):
            return self._edit_guild_channel(channel, body)
        perms = self._bot_perms(channel)
        moderator = bool(perms & MANAGE_THREADS)
        owner = channel.owner_id == self.fd.bot_user.id
        if not moderator and (not owner or set(body) - THREAD_EDITABLE_BY_OWNER):
            raise rules.missing_permissions()
        if channel.locked and not moderator:
            raise rules.thread_locked()
        if channel.archived and body.get("archived", True) and set(body) - {"archived", "locked"}:
            raise rules.thread_archived()
        errors = FormErrors()
        if "name" in body:
            _check_thread_fields({"name": body["name"]}, errors)
        if "auto_archive_duration" in body:
            _check_thread_fields({"name": channel.name, "auto_archive_duration": body["auto_archive_duration"]}, errors)
        tags = [int(t) for t in body.get("applied_tags") or []]
        if "applied_tags" in body:
            forum = channel.parent
            if not isinstance(forum, Forum):
                raise rules.wrong_channel_type()
            for i, tag_id in enumerate(tags):
                if tag_id not in forum.tags:
                    errors.add(("applied_tags", i), "FORUM_TAG_UNKNOWN", "Unknown forum tag")
            if forum.requires_tag and not tags:
                raise rules.tag_required()
        errors.raise_if_any()
        if "name" in body:
            channel.name = body["name"]
        if "auto_archive_duration" in body:
            channel.auto_archive_duration = int(body["auto_archive_duration"])
        if "applied_tags" in body:
            channel.applied_tags = tags
        if "archived" in body or "locked" in body:
            locked = bool(body["locked"]) if "locked" in body else None
            set_archived(self.fd.events, channel, bool(body.get("archived", channel.archived)), locked=locked)
        else:
            thread_changed(self.fd.events, channel)
        return 200, channel.payload()

    def _edit_guild_channel(self, channel: Channel, body: JSON) -> Answer:
        self._require(channel, MANAGE_CHANNELS)
        if "name" in body:
            channel.name = str(body["name"])
        if "topic" in body:
            channel.topic = body["topic"]
        if isinstance(channel, Forum) and "flags" in body:
            channel.flags = int(body["flags"] or 0)
        self.fd.events.dispatch("CHANNEL_UPDATE", channel.payload())
        self.fd.events.notify()
        return 200, channel.payload()

    # --- membership ----------------------------------------------------------------------------------

    def _thread(self, call: Call) -> Thread:
        channel = self._channel(call)
        self._require(channel)
        if not isinstance(channel, Thread):
            raise rules.wrong_channel_type()
        return channel

    async def join(self, call: Call) -> Answer:
        thread = self._thread(call)
        if thread.archived:
            raise rules.thread_archived()
        me = self.fd.bot_user.id
        if me not in thread.members:
            thread.members[me] = datetime.now(UTC)
            self.fd.events.dispatch(
                "THREAD_MEMBER_UPDATE", {**thread.member_payload(me), "guild_id": str(thread.guild.id)}
            )
            self.fd.events.notify()
        return 204, None

    async def leave(self, call: Call) -> Answer:
        thread = self._thread(call)
        if thread.archived:
            raise rules.thread_archived()
        thread.members.pop(self.fd.bot_user.id, None)
        self.fd.events.notify()
        return 204, None

    # --- listing -------------------------------------------------------------------------------------

    def _members_of_mine(self, threads: list[Thread]) -> list[JSON]:
        me = self.fd.bot_user.id
        return [t.member_payload(me) for t in threads if me in t.members]

    async def archived_public(self, call: Call) -> Answer:
        parent = self._channel(call)
        self._require(parent, READ_MESSAGE_HISTORY)
        if isinstance(parent, Thread) or not (parent.type in THREAD_PARENT_TYPES or isinstance(parent, Forum)):
            raise rules.wrong_channel_type()
        archived = [
            t
            for t in all_threads(self.world)
            if t.parent is parent and t.archived and t.type in (ANNOUNCEMENT_THREAD, PUBLIC_THREAD)
        ]
        archived.sort(key=lambda t: t.archive_timestamp, reverse=True)
        if "before" in call.query:
            before = datetime.fromisoformat(call.query["before"])
            archived = [t for t in archived if t.archive_timestamp < before]
        limit = int(call.query.get("limit", "50"))
        page = archived[:limit]
        return 200, {
            "threads": [t.payload() for t in page],
            "members": self._members_of_mine(page),
            "has_more": len(archived) > limit,
        }

    async def active(self, call: Call) -> Answer:
        guild = self._guild(call)
        member = guild.members[self.fd.bot_user.id]
        visible = [t for t in active_threads(self.world, guild) if self._can_see(t, member)]
        members = self._members_of_mine(visible)
        return 200, {"threads": [t.payload() for t in visible], "members": members, "has_more": False}

    @staticmethod
    def _can_see(thread: Thread, member: Member) -> bool:
        perms = channel_permissions(thread.parent, member)
        if not perms & VIEW_CHANNEL:
            return False
        return thread.type != PRIVATE_THREAD or member.user.id in thread.members or bool(perms & MANAGE_THREADS)
