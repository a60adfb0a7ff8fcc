"""Checking what the fake serves against Discord's own OpenAPI description, so tests cannot pass on a fake Discord.

Every REST exchange is looked up by the route template the fake matched (Discord's path templates) and its
method; the response body is validated against the spec's schema for that status, the request body and query
string against the operation's request schema and parameters. Fields the spec does not have are reported too
(Discord's REST messages carry no ``member``: code that read one would pass here and fail in production).
Gateway dispatches are not in the spec, so their pieces that share its component schemas — users, members,
roles, channels, threads, messages, guilds, scheduled events — are validated piecewise.

Validation uses openapi-schema-validator (the OpenAPI 3.1 dialect of jsonschema, maintained with openapi-core).
Results are cached by the exchange's shape (keys and value types, not values), so a suite of thousands of
exchanges validates a few hundred distinct shapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from fakediscord.exchanges import Exchange

SPEC_PATH = Path(__file__).parent / "spec" / "discord-openapi.json"
_BASE = "urn:discord-openapi"
JSON = Any


@dataclass(frozen=True, slots=True)
class Violation:
    """One way an exchange differs from Discord's published API."""

    direction: str  # "response", "request", "query" or "gateway"
    where: str  # "POST /channels/{channel_id}/messages 200" or "MESSAGE_CREATE"
    pointer: str  # where in the body: "/author/primary_guild", "" for the whole body
    message: str

    def __str__(self) -> str:
        at = self.pointer or "(body)"
        return f"{self.direction} {self.where} {at}: {self.message}"


@dataclass(frozen=True, slots=True)
class Allowance:
    """A known difference the check accepts, with the reason it is not the fake's to fix."""

    reason: str
    applies: Callable[[Violation], bool]


# At most five, each with its reason (issue #15): where the spec itself is doubtful or discord.py knowingly differs.
ALLOWED: tuple[Allowance, ...] = (
    Allowance(
        "request bodies Discord accepts where the spec's request schemas leave a field out or type it otherwise, "
        "nearly all of discord.py's making: ids in allowed_mentions as integers (snowflakes are parsed), "
        "`tts: false` in every message body (edits and forum posts too; ignored there), on commands `nsfw` and "
        "`default_member_permissions` as a string (both documented create-command parameters, the latter as a "
        "string), `flags: 0` in every embed (discord.py's Embed.to_dict always writes it), and a forum post's message "
        "`nonce`, which Discord accepts and drops (tests/fakediscord/test_threads.py sends one to show it dropped)",
        lambda v: v.direction == "request" and (
            v.pointer.startswith("/allowed_mentions") or v.pointer.endswith(("/tts", "/nsfw"))
            or ("/embeds/" in v.pointer and v.pointer.endswith("/flags"))
            or (v.where.startswith("POST /channels/{channel_id}/threads ") and v.pointer == "/message/nonce")
            or (v.pointer.endswith("/default_member_permissions") and "is not of type 'integer'" in v.message)),
    ),
    Allowance(
        "discord.py's query strings: booleans as 'true'/'false' or 1/0 (with_response, wait), which Discord parses "
        "and the spec types as booleans, and use_nested_fields=1 on forum posts, which Discord accepts and the spec "
        "does not list",
        lambda v: v.direction == "query" and ("boolean" in v.message or v.pointer == "?use_nested_fields"),
    ),
    Allowance(
        "Invalid Form Body field errors carry string codes ('BASE_TYPE_MAX_LENGTH'), as Discord sends them and its "
        "documentation shows; the spec reuses the top-level error object there, whose code is an integer",
        lambda v: v.direction == "response" and v.pointer.startswith("/errors"),
    ),
    Allowance(
        "faults the tests inject on purpose (a 500, 502 or 503, Cloudflare's HTML 429): answers of Discord's edge, "
        "not of its API, which the spec does not describe",
        lambda v: v.direction == "response" and (v.where.endswith((" 500", " 502", " 503", " 504"))
                                                 or (v.where.endswith(" 429") and "not of type 'object'" in v.message)),
    ),
    Allowance(
        "creating a forum post answers with the thread and its first `message`, as Discord's documentation says and "
        "discord.py reads (ForumChannel.create_thread builds the Message from data['message']); the spec's response "
        "schema leaves the message out",
        lambda v: v.direction == "response" and v.where.startswith("POST /channels/{channel_id}/threads 2")
        and v.pointer == "/message",
    ),
)


@dataclass
class Tally:
    """How many exchanges were checked and how many held, by direction; printed at the end of the suite."""

    checked: dict[str, int] = field(default_factory=dict)
    valid: dict[str, int] = field(default_factory=dict)
    allowed: dict[str, int] = field(default_factory=dict)

    def add(self, direction: str, ok: bool, allowed: bool) -> None:
        self.checked[direction] = self.checked.get(direction, 0) + 1
        if ok:
            self.valid[direction] = self.valid.get(direction, 0) + 1
        elif allowed:
            self.allowed[direction] = self.allowed.get(direction, 0) + 1


def _shape(value: JSON) -> JSON:
    """The structure of a JSON value without its values, to cache verdicts by."""
    if isinstance(value, dict):
        return tuple(sorted((k, _shape(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(sorted({repr(_shape(v)) for v in value})))
    return type(value).__name__


class SpecCheck:
    """Validates exchanges against the spec; ``check`` returns the violations not allowed."""

    def __init__(self, spec_path: Path = SPEC_PATH, allowed: tuple[Allowance, ...] = ALLOWED) -> None:
        self.spec: JSON = json.loads(spec_path.read_text(encoding="utf-8"))
        self.allowed = allowed
        resource = Resource.from_contents(self.spec, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(_BASE, resource)
        self.tally = Tally()
        self._cache: dict[Any, list[Violation]] = {}
        self._validators: dict[str, OAS31Validator] = {}
        # The fake names path parameters its own way ({token}); the spec's names ({interaction_token}) differ.
        self._paths = {_placeholders(path): path for path in self.spec["paths"]}

    # -- public -------------------------------------------------------------------------------------------

    def check(self, exchange: Exchange) -> list[Violation]:
        """The exchange's violations that no allowance covers; counts it in ``tally``."""
        key = (exchange.kind, exchange.method, exchange.template, exchange.status, _shape(exchange.request),
               _shape(exchange.response), tuple(sorted(exchange.query)), exchange.multipart)
        found = self._cache.get(key)
        if found is None:
            found = list(self._violations(exchange))
            self._cache[key] = found
        kept = [v for v in found if not self._allowed(v)]
        direction = "gateway" if exchange.kind == "gateway" else "response"
        success = exchange.kind == "gateway" or 200 <= exchange.status < 300
        if success:
            response_side = [v for v in found if v.direction in ("response", "gateway")]
            self.tally.add(direction, not response_side, bool(response_side) and all(map(self._allowed, response_side)))
        if exchange.kind == "rest" and exchange.request is not None and exchange.status < 400:
            request_side = [v for v in found if v.direction in ("request", "query")]
            self.tally.add("request", not request_side, bool(request_side) and all(map(self._allowed, request_side)))
        return kept

    # -- REST -----------------------------------------------------------------------------------------------

    def _violations(self, exchange: Exchange) -> Iterator[Violation]:
        if exchange.kind == "gateway":
            yield from self._gateway(exchange)
            return
        where = f"{exchange.method} {exchange.template or exchange.path} {exchange.status}"
        if exchange.template is None:
            return  # a 404 for a path the fake does not serve: Discord answers those the same way
        spec_path = self._paths.get(_placeholders(exchange.template), exchange.template)
        operation = (self.spec["paths"].get(spec_path) or {}).get(exchange.method.lower())
        if operation is None:
            yield Violation("response", where, "", "no such operation in Discord's API")
            return
        yield from self._response(operation, exchange, where)
        if exchange.status >= 400:
            return  # refused: tests send invalid requests on purpose, to see them refused as Discord refuses them
        yield from self._request(operation, exchange, where)
        yield from self._query(operation, exchange, where)

    def _response(self, operation: JSON, exchange: Exchange, where: str) -> Iterator[Violation]:
        responses = operation.get("responses", {})
        status = str(exchange.status)
        answer = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default")
        if answer is None:
            yield Violation("response", where, "", f"status {status} is not among the documented {sorted(responses)}")
            return
        answer = self._resolve(answer)
        schema = ((answer.get("content") or {}).get("application/json") or {}).get("schema")
        if schema is None:
            if exchange.response not in (None, "", b""):
                yield Violation("response", where, "", "the spec documents no body for this status")
            return
        yield from self._validate("response", where, exchange.response, schema)

    def _request(self, operation: JSON, exchange: Exchange, where: str) -> Iterator[Violation]:
        if exchange.request is None:
            return
        content = (operation.get("requestBody") or {}).get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        if schema is None:
            yield Violation("request", where, "", "the spec takes no JSON body here")
            return
        yield from self._validate("request", where, exchange.request, schema)

    def _query(self, operation: JSON, exchange: Exchange, where: str) -> Iterator[Violation]:
        params = {p["name"]: p for p in map(self._resolve, operation.get("parameters", [])) if p.get("in") == "query"}
        for name, raw in exchange.query.items():
            param = params.get(name)
            if param is None:
                yield Violation("query", where, f"?{name}", "no such query parameter")
                continue
            schema = self._resolve(param.get("schema", {}))
            kind = schema.get("type")
            if kind == "boolean" and raw not in ("true", "false"):
                yield Violation("query", where, f"?{name}", f"{raw!r} is not a boolean ('true' or 'false')")
            elif kind == "integer" and not raw.lstrip("-").isdigit():
                yield Violation("query", where, f"?{name}", f"{raw!r} is not an integer")

    # -- gateway ------------------------------------------------------------------------------------------------

    def _gateway(self, exchange: Exchange) -> Iterator[Violation]:
        for pointer, value, schema_name in _pieces(exchange.method, exchange.response):
            pointer = re.sub(r"/\d+(?=/|$)", "/*", pointer)
            schema = {"$ref": f"#/components/schemas/{schema_name}"}
            for v in self._validate("gateway", exchange.method, value, schema):
                yield Violation(v.direction, v.where, pointer + v.pointer, f"({schema_name}) {v.message}")

    # -- schema work ------------------------------------------------------------------------------------------

    def _resolve(self, node: JSON) -> JSON:
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            node = self._at(node["$ref"])
        return node

    def _at(self, ref: str) -> JSON:
        node = self.spec
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _validate(self, direction: str, where: str, value: JSON, schema: JSON) -> Iterator[Violation]:
        validator = self._validator(json.dumps(schema, sort_keys=True))
        for error in validator.iter_errors(value):
            pointer = "".join(f"/{'*' if isinstance(p, int) else p}" for p in error.absolute_path)
            yield Violation(direction, where, pointer, _short(error.message))
        for pointer in dict.fromkeys(_extra_fields(self, value, schema, "")):
            yield Violation(direction, where, pointer, "a field Discord's API does not have")

    def _validator(self, schema_text: str) -> OAS31Validator:
        validator = self._validators.get(schema_text)
        if validator is None:
            schema = {**_with_base(json.loads(schema_text)), "$schema": "https://spec.openapis.org/oas/3.1/dialect/base"}
            validator = self._validators[schema_text] = OAS31Validator(schema, registry=self.registry)
        return validator

    def _allowed(self, violation: Violation) -> bool:
        return any(allowance.applies(violation) for allowance in self.allowed)


def _with_base(schema: JSON) -> JSON:
    """Make local references ("#/components/…") point into the spec resource."""
    if isinstance(schema, dict):
        return {k: (f"{_BASE}{v}" if k == "$ref" and isinstance(v, str) and v.startswith("#")
                    else _with_base(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_with_base(v) for v in schema]
    return schema


def _placeholders(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", template)


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def _properties(check: SpecCheck, schema: JSON, depth: int = 0) -> tuple[dict[str, JSON], bool]:
    """Property schemas an object may have (union over its alternatives), and whether any key is allowed."""
    schema = check._resolve(schema)
    if not isinstance(schema, dict) or depth > 12:
        return {}, True
    props: dict[str, JSON] = dict(schema.get("properties") or {})
    open_ended = bool(schema.get("additionalProperties")) or "patternProperties" in schema
    composed = any(k in schema for k in ("oneOf", "anyOf", "allOf"))
    if not props and schema.get("type") not in (None, "object") and not composed:
        return {}, True
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(key) or []:
            more, branch_open = _properties(check, branch, depth + 1)
            for name, sub in more.items():
                props.setdefault(name, {"anyOf": []})
                existing = props[name]
                props[name] = {"anyOf": [*existing.get("anyOf", [existing]), sub]} if existing is not sub else sub
            open_ended = open_ended or branch_open
    if not props and not any(k in schema for k in ("oneOf", "anyOf", "allOf", "properties")):
        open_ended = True
    return props, open_ended


def _extra_fields(check: SpecCheck, value: JSON, schema: JSON, pointer: str, depth: int = 0) -> Iterator[str]:
    if depth > 12:
        return
    if isinstance(value, list):
        items = check._resolve(schema).get("items") if isinstance(check._resolve(schema), dict) else None
        if items is None:
            items = _union_items(check, schema)
        if items is not None:
            for item in value:
                yield from _extra_fields(check, item, items, f"{pointer}/*", depth + 1)
        return
    if not isinstance(value, dict):
        return
    props, open_ended = _properties(check, schema)
    if open_ended and not props:
        return
    for key, sub in value.items():
        if key not in props:
            if not open_ended:
                yield f"{pointer}/{key}"
            continue
        yield from _extra_fields(check, sub, _flatten(check, props[key]), f"{pointer}/{key}", depth + 1)


def _union_items(check: SpecCheck, schema: JSON) -> JSON | None:
    """The item schema of a list given by several alternatives: any of their item schemas, not just the first's."""
    schema = check._resolve(schema)
    if not isinstance(schema, dict):
        return None
    items: list[JSON] = []
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in map(check._resolve, schema.get(key) or []):
            if isinstance(branch, dict) and "items" in branch:
                items.append(branch["items"])
            elif (nested := _union_items(check, branch)) is not None:  # alternatives of alternatives
                items.append(nested)
    if not items:
        return None
    return items[0] if len(items) == 1 else {"anyOf": items}


def _flatten(check: SpecCheck, schema: JSON) -> JSON:
    """A property given by several alternatives: one schema whose properties are their union."""
    schema = check._resolve(schema)
    if isinstance(schema, dict) and list(schema) == ["anyOf"]:
        branches = [check._resolve(b) for b in schema["anyOf"]]
        objects = [b for b in branches if isinstance(b, dict) and b.get("type") not in ("string", "integer", "number",
                                                                                       "boolean", "null")]
        if len(objects) == 1:
            return objects[0]
        return {"anyOf": objects} if objects else schema
    return schema


_USER = "UserResponse"
_MEMBER = "GuildMemberResponse"
_MESSAGE_GATEWAY_ONLY = ("guild_id", "member")


def _pieces(event: str, data: JSON) -> Iterator[tuple[str, JSON, str]]:
    """(pointer, value, component schema) for the parts of a dispatch the spec describes."""
    if not isinstance(data, dict):
        return
    if event == "READY" and isinstance(data.get("user"), dict):
        yield "/user", data["user"], "UserPIIResponse"  # the bot's own user, as GET /users/@me returns it
    if event == "GUILD_CREATE":
        guild = {k: v for k, v in data.items() if k not in _GUILD_CREATE_ONLY}
        yield "", guild, "GuildResponse"
        for i, member in enumerate(data.get("members") or []):
            yield f"/members/{i}", member, _MEMBER
        for i, channel in enumerate(data.get("channels") or []):
            yield f"/channels/{i}", {**channel, "guild_id": data.get("id")}, _channel_schema(channel)
        for i, thread in enumerate(data.get("threads") or []):
            yield f"/threads/{i}", thread, "ThreadResponse"
    if event in ("GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE") and isinstance(data.get("role"), dict):
        yield "/role", data["role"], "GuildRoleResponse"
    if event in ("GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE"):
        member = {k: v for k, v in data.items() if k != "guild_id"}
        if event == "GUILD_MEMBER_ADD":
            yield "", member, _MEMBER
        elif isinstance(data.get("user"), dict):
            yield "/user", data["user"], _USER
    if event in ("CHANNEL_CREATE", "CHANNEL_UPDATE"):
        yield "", data, _channel_schema(data)
    if event in ("THREAD_CREATE", "THREAD_UPDATE"):
        yield "", {k: v for k, v in data.items() if k not in ("newly_created", "member")}, "ThreadResponse"
    if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and "author" in data:
        message = {k: v for k, v in data.items() if k not in _MESSAGE_GATEWAY_ONLY}
        message["mentions"] = [{k: v for k, v in m.items() if k != "member"} for m in data.get("mentions") or []]
        yield "", message, "MessageResponse"
    if event.startswith("GUILD_SCHEDULED_EVENT_") and "entity_type" in data:
        # the REST routes answer with one of three shapes by entity type; the base shape has no entity_metadata
        yield "", data, _EVENT_SCHEMAS.get(data["entity_type"], "ScheduledEventResponse")
    if event == "INTERACTION_CREATE":
        if isinstance(data.get("user"), dict):
            yield "/user", data["user"], _USER
        member = data.get("member")
        if isinstance(member, dict) and isinstance(member.get("user"), dict):
            yield "/member/user", member["user"], _USER
        channel = data.get("channel")
        if isinstance(channel, dict) and data.get("guild_id"):
            yield "/channel", channel, _channel_schema(channel)
        elif isinstance(channel, dict) and channel.get("type") in _PRIVATE_SCHEMAS:  # a DM or group DM
            yield "/channel", channel, _PRIVATE_SCHEMAS[channel["type"]]
        if isinstance(data.get("message"), dict):
            yield "/message", data["message"], "MessageResponse"


# Fields GUILD_CREATE adds to the guild object (Discord's gateway docs), not part of the REST guild.
_GUILD_CREATE_ONLY = frozenset({
    "joined_at", "large", "unavailable", "member_count", "voice_states", "members", "channels", "threads",
    "presences", "stage_instances", "guild_scheduled_events", "soundboard_sounds", "lazy", "application_command_counts",
    "embedded_activities", "activity_instances",
})  # fmt: skip
_THREAD_TYPES = frozenset({10, 11, 12})
_PRIVATE_SCHEMAS = {1: "PrivateChannelResponse", 3: "PrivateGroupChannelResponse"}
_EVENT_SCHEMAS = {
    1: "StageScheduledEventResponse", 2: "VoiceScheduledEventResponse", 3: "ExternalScheduledEventResponse",
}  # fmt: skip


def _channel_schema(channel: JSON) -> str:
    is_thread = isinstance(channel, dict) and channel.get("type") in _THREAD_TYPES
    return "ThreadResponse" if is_thread else "GuildChannelResponse"
