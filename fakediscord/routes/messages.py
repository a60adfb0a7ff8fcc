"""Sending, reading, editing and deleting channel messages, with Discord's checks on each."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from fakediscord import rules
from fakediscord.routes.family import JSON, Answer, Call, Route, RouteFamily
from fakediscord.rules import DiscordError
from fakediscord.world import (
    EMBED_LINKS,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    MANAGE_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    Message,
)

log = logging.getLogger(__name__)

NONCE_WINDOW = 120.0  # Discord keeps enforced nonces for "a few minutes"


def as_read_back(payload: JSON) -> JSON:
    """A message as reading it back returns it: without the sender's ``nonce``.

    Discord's OpenAPI description lists ``nonce`` as optional in ``MessageResponse`` (not in ``required``), and
    Discord echoes it only in the answer to the create and in the gateway's MESSAGE_CREATE, not when a message is
    fetched later. A bot must not count on finding its nonce in history, so the fake never offers it there.
    """
    return {key: value for key, value in payload.items() if key != "nonce"}


def apply_edit(msg: Message, body: JSON, attachments: list[JSON]) -> None:
    """Edit ``msg`` as Discord does: only the fields sent change, and content ends the "thinking" state.

    Shared with the interaction webhooks, which edit the same messages through other routes.
    """
    rules.check_message(body, creating=False)
    if "content" in body:
        msg.content = body["content"] or ""
    if "embeds" in body:
        msg.embeds = body["embeds"] or []
    if "components" in body:
        msg.components = body["components"] or []
    if "allowed_mentions" in body:
        msg.allowed_mentions = body["allowed_mentions"]
    if "flags" in body and body["flags"] is not None:
        msg.flags = (msg.flags & (FLAG_EPHEMERAL | FLAG_LOADING)) | (int(body["flags"]) & ~FLAG_EPHEMERAL)
    if "attachments" in body or attachments:
        kept = {str(a.get("id")) for a in body.get("attachments") or []}
        msg.attachments = [a for a in msg.attachments if a["id"] in kept] + attachments
    if msg.loading and (msg.content or msg.embeds or msg.components or msg.attachments):
        msg.flags &= ~FLAG_LOADING
    msg.edited_at = datetime.now(UTC)


class MessageRoutes(RouteFamily):
    def routes(self) -> Iterable[Route]:
        return (
            Route("GET", "/channels/{channel_id}/messages", self.get_messages),
            Route("POST", "/channels/{channel_id}/messages", self.send_message),
            Route("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message),
            Route("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message),
            Route("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message),
        )

    async def send_message(self, call: Call) -> Answer:
        fd = self.fd
        channel = self._channel(call)
        body: JSON = call.body or {}
        if not isinstance(body, dict):
            raise DiscordError(400, 50035, "Invalid Form Body")
        self._require(channel, SEND_MESSAGES)
        if body.get("embeds"):
            self._require(channel, SEND_MESSAGES, EMBED_LINKS)
        rules.check_message({**body, "attachments": call.attachments or body.get("attachments")}, creating=True)
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            for earlier in reversed(channel.messages.values()):
                if fd.clock.now() - earlier.created_mono > NONCE_WINDOW:
                    break
                if earlier.nonce == nonce and earlier.author is fd.bot_user and not earlier.deleted:
                    log.info("nonce %r already used in #%s: returning message %s", nonce, channel.name, earlier.id)
                    return 200, self.world.rest_message_payload(earlier)
        reference = body.get("message_reference")
        if reference is not None:
            ref_id = int(reference.get("message_id", 0))
            target = channel.messages.get(ref_id)
            if target is None and reference.get("fail_if_not_exists", True):
                errors = rules.FormErrors()
                errors.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
                errors.raise_if_any()
            if target is not None:
                reference = {
                    "message_id": str(ref_id),
                    "channel_id": str(channel.id),
                    "guild_id": str(channel.guild.id),
                    "author_id": str(target.author.id),
                }
            else:
                reference = None
        msg = fd.events.create_message(
            channel,
            fd.bot_user,
            content=body.get("content") or "",
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            flags=int(body.get("flags") or 0) & ~FLAG_EPHEMERAL,
            nonce=nonce,
            allowed_mentions=body.get("allowed_mentions"),
            tts=bool(body.get("tts")),
            attachments=call.attachments,
            message_reference=reference,
        )
        return 200, self.world.rest_message_payload(msg)

    async def get_message(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        return 200, as_read_back(self.world.rest_message_payload(self._message(channel, call)))

    async def get_messages(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        limit = int(call.query.get("limit", "50"))
        if not 1 <= limit <= 100:
            errors = rules.FormErrors()
            errors.add(
                ("limit",),
                "NUMBER_TYPE_MAX" if limit > 100 else "NUMBER_TYPE_MIN",
                "int value should be between 1 and 100",
            )
            errors.raise_if_any()
        visible = [m for m in channel.messages.values() if not m.ephemeral]
        if "before" in call.query:
            visible = [m for m in visible if m.id < int(call.query["before"])]
        if "after" in call.query:
            after = [m for m in visible if m.id > int(call.query["after"])]
            return 200, [as_read_back(self.world.rest_message_payload(m)) for m in reversed(after[:limit])]
        if "around" in call.query:
            around = int(call.query["around"])
            older = [m for m in visible if m.id <= around][-(limit - limit // 2) :]
            newer = [m for m in visible if m.id > around][: limit // 2]
            return 200, [as_read_back(self.world.rest_message_payload(m)) for m in reversed(older + newer)]
        return 200, [as_read_back(self.world.rest_message_payload(m)) for m in reversed(visible[-limit:])]

    async def edit_message(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel)
        msg = self._message(channel, call)
        if msg.author is not self.fd.bot_user or msg.webhook_id is not None:
            raise rules.cannot_edit_others()
        body: JSON = call.body or {}
        if body.get("embeds"):
            self._require(channel, EMBED_LINKS)
        apply_edit(msg, body, call.attachments)
        self.fd.events.message_changed(msg)
        return 200, self.world.rest_message_payload(msg)

    async def delete_message(self, call: Call) -> Answer:
        channel = self._channel(call)
        self._require(channel)
        msg = self._message(channel, call)
        if msg.author is not self.fd.bot_user:
            self._require(channel, MANAGE_MESSAGES)
        self.fd.events.remove_message(channel, msg)
        return 204, None
