"""Discord's REST API v10, for the routes discord.py and Marquee call.

One aiohttp handler receives every ``/api/v10`` request and runs it through the same pipeline Discord
does, in order: latency, route lookup, authentication, the global budget, injected failures, the route
bucket, the route itself, and the ledger. Answers are JSON with ``Content-Type: application/json`` exactly
(discord.py compares the header for equality before it parses a body).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from fakediscord import interactions as ix
from fakediscord import rules
from fakediscord.rules import DiscordError
from fakediscord.world import (
    EMBED_LINKS,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    MANAGE_MESSAGES,
    PIN_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
    Guild,
    Message,
    channel_permissions,
)

if TYPE_CHECKING:
    from fakediscord.server import FakeDiscord

log = logging.getLogger(__name__)

JSON = dict[str, Any]
API_PREFIX = "/api/v10"
NONCE_WINDOW = 120.0  # Discord keeps enforced nonces for "a few minutes"
WEBHOOK_LIFETIME = 15 * 60.0


@dataclass
class Call:
    """One parsed request, as a route handler sees it."""

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    attachments: list[JSON] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One request as the fake received it: for asserting on what the bot actually sent."""

    time: float
    method: str
    path: str
    query: dict[str, str]
    status: int
    json: Any
    headers: dict[str, str]


Handler = Callable[[Call], Awaitable[tuple[int, Any]]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    bot_auth: bool
    global_limit: bool
    pattern: re.Pattern[str]

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


def _compile(template: str) -> re.Pattern[str]:
    def part(m: re.Match[str]) -> str:
        name = m.group(1)
        return f"(?P<{name}>\\d+)" if name.endswith("_id") else f"(?P<{name}>[^/]+)"

    return re.compile(
        "^" + re.sub(r"\{(\w+)\}", part, re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "/?$"
    )


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    all_headers = dict(headers or {})
    if isinstance(body, str):  # an injected non-Discord page (a proxy or Cloudflare answering instead)
        return web.Response(status=status, text=body, content_type="text/html", headers=all_headers)
    if status == 204 or body is None:
        return web.Response(status=204 if status < 300 else status, headers=all_headers)
    all_headers["Content-Type"] = "application/json"
    return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)


class RestApi:
    """The route table and request pipeline over one ``FakeDiscord``'s world."""

    def __init__(self, fd: FakeDiscord) -> None:
        self.fd = fd
        self.world = fd.world
        self.routes: list[Route] = []
        add = self._add
        add("GET", "/users/@me", self.get_me)
        add("GET", "/oauth2/applications/@me", self.get_application)
        add("GET", "/gateway", self.get_gateway, bot_auth=False)
        add("GET", "/gateway/bot", self.get_gateway_bot)
        add("GET", "/applications/{application_id}/commands", self.get_commands)
        add("PUT", "/applications/{application_id}/commands", self.put_commands)
        add("POST", "/applications/{application_id}/commands", self.post_command)
        add("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self.get_commands)
        add("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self.put_commands)
        add("POST", "/applications/{application_id}/guilds/{guild_id}/commands", self.post_command)
        add("POST", "/interactions/{interaction_id}/{token}/callback", self.callback, bot_auth=False, glob=False)
        for method, handler in (
            ("GET", self.get_webhook_message),
            ("PATCH", self.edit_webhook_message),
            ("DELETE", self.delete_webhook_message),
        ):
            add(method, "/webhooks/{application_id}/{token}/messages/@original", handler, bot_auth=False, glob=False)
            add(method, "/webhooks/{application_id}/{token}/messages/{message_id}", handler, bot_auth=False, glob=False)
        add("POST", "/webhooks/{application_id}/{token}", self.post_followup, bot_auth=False, glob=False)
        add("GET", "/users/{user_id}", self.get_user)
        add("GET", "/guilds/{guild_id}", self.get_guild)
        add("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        add("GET", "/guilds/{guild_id}/roles", self.get_guild_roles)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        add("GET", "/channels/{channel_id}", self.get_channel)
        add("POST", "/channels/{channel_id}/typing", self.typing)
        add("GET", "/channels/{channel_id}/messages/pins", self.get_pins)
        add("PUT", "/channels/{channel_id}/messages/pins/{message_id}", self.pin)
        add("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", self.unpin)
        add("GET", "/channels/{channel_id}/pins", self.get_pins_legacy)
        add("PUT", "/channels/{channel_id}/pins/{message_id}", self.pin)
        add("DELETE", "/channels/{channel_id}/pins/{message_id}", self.unpin)
        add("GET", "/channels/{channel_id}/messages", self.get_messages)
        add("POST", "/channels/{channel_id}/messages", self.send_message)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)

    def _add(self, method: str, template: str, handler: Handler, *, bot_auth: bool = True, glob: bool = True) -> None:
        self.routes.append(Route(method, template, handler, bot_auth, glob, _compile(template)))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method == method:
                m = route.pattern.match(path)
                if m:
                    return route, m.groupdict()
        return None

    # --- pipeline ---------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        fd = self.fd
        method = request.method
        path = request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX) else request.path
        query = dict(request.query)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        body: Any = None
        attachments: list[JSON] = []
        status, answer, extra = 500, None, dict[str, str]()
        try:
            delay = fd.faults.delay_for(method, path)
            if delay:
                await asyncio.sleep(delay)
            body, attachments = await self._read_body(request)
            status, answer, extra = await self._pipeline(request, method, path, query, body, attachments)
        except DiscordError as exc:
            status, answer = exc.status, exc.body()
        fd.ratelimits.note_status(status, shared_scope=extra.get("X-RateLimit-Scope") == "shared")
        fd.ledger.append(LedgerEntry(fd.clock.now(), method, path, query, status, body, headers))
        if status >= 400:
            log.info("%s %s -> %s %s", method, path, status, answer)
        fd.notify()
        return json_response(status, answer, extra)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[JSON]]:
        if not request.can_read_body:
            return None, []
        ctype = request.content_type
        if ctype.startswith("multipart/"):
            body: Any = None
            attachments: list[JSON] = []
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):  # nested multipart: Discord ignores it too
                    continue
                data = await part.read()
                if part.name == "payload_json":
                    body = self._parse_json(data)
                elif part.filename:
                    attachments.append(
                        {
                            "id": str(self.world.ids.next()),
                            "filename": part.filename,
                            "size": len(data),
                            "url": f"https://cdn.fakediscord.invalid/attachments/{part.filename}",
                            "proxy_url": f"https://media.fakediscord.invalid/attachments/{part.filename}",
                            "content_type": part.headers.get("Content-Type", "application/octet-stream"),
                        }
                    )
            return body, attachments
        raw = await request.read()
        return (self._parse_json(raw) if raw else None), []

    @staticmethod
    def _parse_json(raw: bytes | bytearray) -> Any:
        try:
            return json.loads(raw)
        except ValueError:
            raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None

    async def _pipeline(
        self, request: web.Request, method: str, path: str, query: dict[str, str], body: Any, attachments: list[JSON]
    ) -> tuple[int, Any, dict[str, str]]:
        fd = self.fd
        found = self.match(method, path)
        if found is None:
            raise rules.not_found()
        route, params = found
        if route.bot_auth and request.headers.get("Authorization") != f"Bot {fd.token}":
            raise rules.unauthorized()
        if route.global_limit:
            verdict = fd.ratelimits.check_global()
            if verdict is not None:
                return (
                    429,
                    self._limited_body(verdict.retry_after or 0.0, True),
                    {**verdict.headers, "Via": "1.1 google"},
                )
        major = params.get("channel_id") or params.get("guild_id") or params.get("token") or ""
        limit = fd.ratelimits.check_route(route.key, major)
        headers = dict(limit.headers)
        if limit.retry_after is not None:
            return 429, self._limited_body(limit.retry_after, False), {**headers, "Via": "1.1 google"}
        fault = fd.faults.take(method, path)
        if fault is not None and not fault.after_applying:
            return (
                fault.status,
                self._fault_body(fault.status, fault.body),
                self._fault_headers(fault.status, headers, fault.body),
            )
        status, answer = await route.handler(Call(method, path, params, query, body, attachments))
        if fault is not None:
            return (
                fault.status,
                self._fault_body(fault.status, fault.body),
                self._fault_headers(fault.status, headers, fault.body),
            )
        return status, answer, headers

    @staticmethod
    def _limited_body(retry_after: float, is_global: bool) -> JSON:
        return {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}

    @staticmethod
    def _fault_body(status: int, body: Any) -> Any:
        if body is not None:
            return body
        if status == 429:
            return {"message": "You are being rate limited.", "retry_after": 0.05, "global": False}
        return {"message": f"{status}: injected fault", "code": 0}

    @staticmethod
    def _fault_headers(status: int, headers: dict[str, str], body: Any) -> dict[str, str]:
        if status == 429 and not isinstance(body, str):
            return {**headers, "Via": "1.1 google", "Retry-After": "1", "X-RateLimit-Scope": "user"}
        return headers

    # --- shared checks ----------------------------------------------------------------------------

    def _channel(self, call: Call) -> Channel:
        channel = self.world.channels.get(int(call.params["channel_id"]))
        if channel is None:
            raise rules.unknown_channel()
        return channel

    def _bot_perms(self, channel: Channel) -> int:
        member = channel.guild.members.get(self.fd.bot_user.id)
        if member is None:
            raise rules.missing_access()
        return channel_permissions(channel, member)

    def _require(self, channel: Channel, *bits: int) -> None:
        perms = self._bot_perms(channel)
        if not perms & VIEW_CHANNEL:
            raise rules.missing_access()
        for bit in bits:
            if not perms & bit:
                raise rules.missing_permissions()

    def _message(self, channel: Channel, call: Call) -> Message:
        msg = channel.messages.get(int(call.params["message_id"]))
        if msg is None or msg.ephemeral:
            raise rules.unknown_message()
        return msg

    # --- identity and gateway ---------------------------------------------------------------------

    async def get_me(self, call: Call) -> tuple[int, Any]:
        return 200, {**self.fd.bot_user.payload(), "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def get_application(self, call: Call) -> tuple[int, Any]:
        fd = self.fd
        return 200, {
            "id": str(fd.application_id),
            "name": fd.bot_user.username,
            "icon": None,
            "description": "A bot running against fakediscord.",
            "summary": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": fd.owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": fd.bot_user.payload(),
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
            "integration_types_config": {"0": {}},
        }

    async def get_gateway(self, call: Call) -> tuple[int, Any]:
        return 200, {"url": self.fd.gateway_url}

    async def get_gateway_bot(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "url": self.fd.gateway_url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1},
        }

    async def get_user(self, call: Call) -> tuple[int, Any]:
        user = self.world.users.get(int(call.params["user_id"]))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return 200, user.payload()

    # --- guilds -----------------------------------------------------------------------------------

    def _guild(self, call: Call) -> Guild:
        guild = self.world.guilds.get(int(call.params["guild_id"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        if self.fd.bot_user.id not in guild.members:
            raise rules.missing_access()
        return guild

    async def get_guild(self, call: Call) -> tuple[int, Any]:
        payload = self._guild(call).create_payload()
        for key in ("channels", "members", "threads", "presences", "voice_states", "joined_at", "large"):
            payload.pop(key, None)
        return 200, payload

    async def get_guild_channels(self, call: Call) -> tuple[int, Any]:
        return 200, [c.payload() for c in self._guild(call).channels.values()]

    async def get_guild_roles(self, call: Call) -> tuple[int, Any]:
        return 200, [r.payload() for r in self._guild(call).roles.values()]

    async def get_member(self, call: Call) -> tuple[int, Any]:
        member = self._guild(call).members.get(int(call.params["user_id"]))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return 200, member.payload()

    # --- application commands ---------------------------------------------------------------------

    def _scope(self, call: Call) -> int | None:
        if int(call.params["application_id"]) != self.fd.application_id:
            raise rules.missing_access()
        if "guild_id" not in call.params:
            return None
        guild = self.world.guilds.get(int(call.params["guild_id"]))
        if guild is None or self.fd.bot_user.id not in guild.members:
            raise rules.missing_access()
        return guild.id

    async def get_commands(self, call: Call) -> tuple[int, Any]:
        return 200, self.fd.commands.get(self._scope(call))

    async def put_commands(self, call: Call) -> tuple[int, Any]:
        scope = self._scope(call)
        rules.check_commands(call.body)
        stored = self.fd.commands.replace(scope, call.body)
        log.info("synced %d command(s) to %s", len(stored), "global" if scope is None else f"guild {scope}")
        return 200, stored

    async def post_command(self, call: Call) -> tuple[int, Any]:
        scope = self._scope(call)
        rules.check_command(call.body)
        stored, created = self.fd.commands.upsert(scope, call.body)
        return (201 if created else 200), stored

    # --- channels and messages --------------------------------------------------------------------

    async def get_channel(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel)
        return 200, channel.payload()

    async def typing(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel, SEND_MESSAGES)
        return 204, None

    async def send_message(self, call: Call) -> tuple[int, Any]:
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
                    return 200, self.world.message_payload(earlier)
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
        msg = fd.create_message(
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
        return 200, self.world.message_payload(msg)

    async def get_message(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        return 200, self.world.message_payload(self._message(channel, call))

    async def get_messages(self, call: Call) -> tuple[int, Any]:
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
            return 200, [self.world.message_payload(m) for m in reversed(after[:limit])]
        if "around" in call.query:
            around = int(call.query["around"])
            older = [m for m in visible if m.id <= around][-(limit - limit // 2) :]
            newer = [m for m in visible if m.id > around][: limit // 2]
            return 200, [self.world.message_payload(m) for m in reversed(older + newer)]
        return 200, [self.world.message_payload(m) for m in reversed(visible[-limit:])]

    def _apply_edit(self, msg: Message, body: JSON, attachments: list[JSON]) -> None:
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

    async def edit_message(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel)
        msg = self._message(channel, call)
        if msg.author is not self.fd.bot_user or msg.webhook_id is not None:
            raise rules.cannot_edit_others()
        body: JSON = call.body or {}
        if body.get("embeds"):
            self._require(channel, EMBED_LINKS)
        self._apply_edit(msg, body, call.attachments)
        self.fd.message_changed(msg)
        return 200, self.world.message_payload(msg)

    async def delete_message(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel)
        msg = self._message(channel, call)
        if msg.author is not self.fd.bot_user:
            self._require(channel, MANAGE_MESSAGES)
        self.fd.remove_message(channel, msg)
        return 204, None

    # --- pins -------------------------------------------------------------------------------------

    async def pin(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel, PIN_MESSAGES)
        msg = self._message(channel, call)
        if msg.id not in channel.pins:
            if len(channel.pins) >= self.fd.max_pins:
                raise rules.max_pins(self.fd.max_pins)
            channel.pins[msg.id] = datetime.now(UTC)
            self.fd.pins_changed(channel)
            self.fd.message_changed(msg)
        return 204, None

    async def unpin(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel, PIN_MESSAGES)
        msg = self._message(channel, call)
        if channel.pins.pop(msg.id, None) is not None:
            self.fd.pins_changed(channel)
            self.fd.message_changed(msg)
        return 204, None

    def _pinned_newest_first(self, channel: Channel, before: str | None) -> list[tuple[datetime, Message]]:
        pinned = [(at, channel.messages[mid]) for mid, at in channel.pins.items() if mid in channel.messages]
        pinned.sort(key=lambda p: p[0], reverse=True)
        if before is not None:
            cutoff = datetime.fromisoformat(before)
            pinned = [p for p in pinned if p[0] < cutoff]
        return pinned

    async def get_pins(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        limit = int(call.query.get("limit", "50"))
        pinned = self._pinned_newest_first(channel, call.query.get("before"))
        page = pinned[:limit]
        return 200, {
            "items": [{"pinned_at": at.isoformat(), "message": self.world.message_payload(m)} for at, m in page],
            "has_more": len(pinned) > limit,
        }

    async def get_pins_legacy(self, call: Call) -> tuple[int, Any]:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        return 200, [self.world.message_payload(m) for _, m in self._pinned_newest_first(channel, None)]

    # --- interactions -----------------------------------------------------------------------------

    def _interaction_by_token(self, call: Call) -> ix.Interaction:
        if int(call.params["application_id"]) != self.fd.application_id:
            raise rules.unknown_webhook()
        interaction = self.fd.interactions_by_token.get(call.params["token"])
        if interaction is None:
            raise rules.unknown_webhook()
        if self.fd.clock.now() - interaction.created > WEBHOOK_LIFETIME:
            raise rules.invalid_webhook_token()
        return interaction

    async def callback(self, call: Call) -> tuple[int, Any]:
        fd = self.fd
        interaction = fd.interactions.get(int(call.params["interaction_id"]))
        if interaction is None or interaction.token != call.params["token"]:
            raise rules.unknown_interaction()
        if interaction.acknowledged:
            raise rules.already_acknowledged()
        if fd.clock.now() - interaction.created > fd.interaction_deadline:
            log.info("interaction %s answered after its %.1f s deadline", interaction.id, fd.interaction_deadline)
            raise rules.unknown_interaction()
        body: JSON = call.body or {}
        kind = body.get("type")
        data: JSON = body.get("data") or {}
        allowed = {
            ix.APPLICATION_COMMAND: {ix.CHANNEL_MESSAGE, ix.DEFERRED_CHANNEL_MESSAGE, ix.MODAL},
            ix.MESSAGE_COMPONENT: {
                ix.CHANNEL_MESSAGE,
                ix.DEFERRED_CHANNEL_MESSAGE,
                ix.DEFERRED_UPDATE_MESSAGE,
                ix.UPDATE_MESSAGE,
                ix.MODAL,
            },
            ix.AUTOCOMPLETE: {ix.AUTOCOMPLETE_RESULT},
            ix.MODAL_SUBMIT: {
                ix.CHANNEL_MESSAGE,
                ix.DEFERRED_CHANNEL_MESSAGE,
                ix.DEFERRED_UPDATE_MESSAGE,
                ix.UPDATE_MESSAGE,
            },
        }[interaction.type]
        if kind not in allowed:
            errors = rules.FormErrors()
            errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid interaction response type {kind}")
            errors.raise_if_any()
        resource: JSON | None = None
        flags = int(data.get("flags") or 0)
        if kind == ix.CHANNEL_MESSAGE:
            rules.check_message({**data, "attachments": call.attachments or data.get("attachments")}, creating=True)
            msg = fd.create_interaction_message(interaction, data, call.attachments, flags=flags)
            interaction.original_id = msg.id
            resource = {"type": kind, "message": self.world.message_payload(msg)}
        elif kind == ix.DEFERRED_CHANNEL_MESSAGE:
            msg = fd.create_interaction_message(interaction, {}, [], flags=(flags & FLAG_EPHEMERAL) | FLAG_LOADING)
            interaction.original_id = msg.id
            resource = {"type": kind, "message": self.world.message_payload(msg)}
        elif kind in (ix.DEFERRED_UPDATE_MESSAGE, ix.UPDATE_MESSAGE):
            source = self.world.find_message(interaction.source_message_id or 0)
            if source is None:
                raise rules.unknown_message()
            interaction.original_id = source.id
            if kind == ix.UPDATE_MESSAGE:
                self._apply_edit(source, data, call.attachments)
                fd.message_changed(source)
                resource = {"type": kind, "message": self.world.message_payload(source)}
        elif kind == ix.AUTOCOMPLETE_RESULT:
            choices = data.get("choices") or []
            errors = rules.FormErrors()
            if len(choices) > rules.OPTION_CHOICES:
                errors.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            errors.raise_if_any()
            interaction.choices = choices
        elif kind == ix.MODAL:
            interaction.modal = data
        interaction.response_type = kind
        original = self.world.find_message(interaction.original_id or 0)
        callback: JSON = {"id": str(interaction.id), "type": interaction.type}
        if original is not None:
            callback["response_message_id"] = str(original.id)
            callback["response_message_loading"] = original.loading
            callback["response_message_ephemeral"] = original.ephemeral
        fd.notify()
        if call.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        answer: JSON = {"interaction": callback}
        if resource is not None:
            answer["resource"] = resource
        return 200, answer

    def _webhook_message(self, interaction: ix.Interaction, call: Call) -> Message:
        raw = call.params.get("message_id")
        message_id = interaction.original_id if raw is None else int(raw)
        if raw is not None and int(raw) not in interaction.followup_ids and int(raw) != interaction.original_id:
            raise rules.unknown_message()
        msg = self.world.find_message(message_id or 0)
        if msg is None or msg.deleted:
            raise rules.unknown_message()
        return msg

    async def get_webhook_message(self, call: Call) -> tuple[int, Any]:
        interaction = self._interaction_by_token(call)
        return 200, self.world.message_payload(self._webhook_message(interaction, call))

    async def edit_webhook_message(self, call: Call) -> tuple[int, Any]:
        interaction = self._interaction_by_token(call)
        msg = self._webhook_message(interaction, call)
        self._apply_edit(msg, call.body or {}, call.attachments)
        self.fd.message_changed(msg)
        return 200, self.world.message_payload(msg)

    async def delete_webhook_message(self, call: Call) -> tuple[int, Any]:
        interaction = self._interaction_by_token(call)
        msg = self._webhook_message(interaction, call)
        self.fd.remove_message(self.world.channels[msg.channel_id], msg)
        return 204, None

    async def post_followup(self, call: Call) -> tuple[int, Any]:
        fd = self.fd
        interaction = self._interaction_by_token(call)
        if not interaction.acknowledged:
            raise rules.unknown_webhook()
        body: JSON = call.body or {}
        rules.check_message({**body, "attachments": call.attachments or body.get("attachments")}, creating=True)
        original = self.world.find_message(interaction.original_id or 0)
        if original is not None and original.loading:
            # Discord's rule: the first followup after a deferral fills in the "thinking" message.
            self._apply_edit(original, body, call.attachments)
            original.flags &= ~FLAG_LOADING
            fd.message_changed(original)
            msg = original
        else:
            msg = fd.create_interaction_message(
                interaction, body, call.attachments, flags=int(body.get("flags") or 0), followup=True
            )
            interaction.followup_ids.append(msg.id)
        if call.query.get("wait") in ("1", "true", "True"):
            return 200, self.world.message_payload(msg)
        return 204, None
