"""The request pipeline every ``/api/v10`` call goes through, in Discord's order.

Latency, route lookup, authentication, the global budget, injected failures, the route bucket, the
route itself, and the ledger: the order matters because a bot sees a different error (and a different
rate-limit bucket) depending on which check fails first.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from aiohttp import BodyPartReader, web

from fakediscord import exchanges, rules
from fakediscord.backend import Backend
from fakediscord.events import LedgerEntry
from fakediscord.routes.app import API_PREFIX, json_response
from fakediscord.routes.channels import ChannelRoutes
from fakediscord.routes.commands import CommandRoutes
from fakediscord.routes.events import ScheduledEventRoutes
from fakediscord.routes.family import JSON, Call, Route, RouteFamily
from fakediscord.routes.guilds import GuildRoutes
from fakediscord.routes.identity import IdentityRoutes
from fakediscord.routes.interactions import InteractionRoutes
from fakediscord.routes.messages import MessageRoutes
from fakediscord.routes.threads import ThreadRoutes
from fakediscord.rules import DiscordError

log = logging.getLogger(__name__)

FAMILIES: tuple[type[RouteFamily], ...] = (
    IdentityRoutes,
    CommandRoutes,
    InteractionRoutes,
    GuildRoutes,
    ChannelRoutes,
    ThreadRoutes,  # before MessageRoutes: its message route adds the thread and forum checks, then hands over
    MessageRoutes,
    ScheduledEventRoutes,
)


def _compile(template: str) -> re.Pattern[str]:
    def part(m: re.Match[str]) -> str:
        name = m.group(1)
        return f"(?P<{name}>\\d+)" if name.endswith("_id") else f"(?P<{name}>[^/]+)"

    return re.compile(
        "^" + re.sub(r"\{(\w+)\}", part, re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "/?$"
    )


class RestApi:
    """The route table and request pipeline over one fake Discord."""

    def __init__(self, fd: Backend) -> None:
        self.fd = fd
        self.routes: list[tuple[Route, re.Pattern[str]]] = [
            (route, _compile(route.template)) for family in FAMILIES for route in family(fd).routes()
        ]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route, pattern in self.routes:
            if route.method == method:
                m = pattern.match(path)
                if m:
                    return route, m.groupdict()
        return None

    async def handle(self, request: web.Request) -> web.Response:
        fd = self.fd
        method = request.method
        path = request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX) else request.path
        query = dict(request.query)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        body: Any = None
        attachments: list[JSON] = []
        status, answer, extra = 500, None, dict[str, str]()
        found = self.match(method, path)
        try:
            delay = fd.faults.delay_for(method, path)
            if delay:
                await asyncio.sleep(delay)
            body, attachments = await self._read_body(request)
            status, answer, extra = await self._pipeline(request, method, path, query, body, attachments)
        except DiscordError as exc:
            status, answer = exc.status, exc.body()
        fd.ratelimits.note_status(status, shared_scope=extra.get("X-RateLimit-Scope") == "shared")
        if status >= 400:
            log.info("%s %s -> %s %s", method, path, status, answer)
        fd.events.record(LedgerEntry(fd.clock.now(), method, path, query, status, body, headers))
        if exchanges.listening():
            exchanges.publish(exchanges.Exchange(
                "rest", method, found[0].template if found else None, path, status, body, answer, query,
                request.content_type.startswith("multipart/"),
            ))
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
                            "id": str(self.fd.world.ids.next()),
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
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bot ") if authorization.startswith("Bot ") else ""
        if route.bot_auth and token not in fd.bots:
            raise rules.unauthorized()
        if route.global_limit:
            verdict = fd.ratelimits.check_global(token)
            if verdict is not None:
                return (
                    429,
                    self._limited_body(verdict.retry_after or 0.0, True),
                    {**verdict.headers, "Via": "1.1 google"},
                )
        major = params.get("channel_id") or params.get("guild_id") or params.get("token") or ""
        limit = fd.ratelimits.check_route(route.key, major, token)
        headers = dict(limit.headers)
        if limit.retry_after is not None:
            return 429, self._limited_body(limit.retry_after, False), {**headers, "Via": "1.1 google"}
        fault = fd.faults.take(method, path)
        if fault is not None and not fault.after_applying:
            return self._faulted(fault.status, fault.body, headers)
        status, answer = await route.handler(Call(method, path, params, query, body, attachments))
        if fault is not None:
            return self._faulted(fault.status, fault.body, headers)
        return status, answer, headers

    @staticmethod
    def _limited_body(retry_after: float, is_global: bool) -> JSON:
        return {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global, "code": 0}

    @classmethod
    def _faulted(cls, status: int, body: Any, headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        return status, cls._fault_body(status, body), cls._fault_headers(status, headers, body)

    @staticmethod
    def _fault_body(status: int, body: Any) -> Any:
        if body is not None:
            return body
        if status == 429:
            return {"message": "You are being rate limited.", "retry_after": 0.05, "global": False, "code": 0}
        return {"message": f"{status}: injected fault", "code": 0}

    @staticmethod
    def _fault_headers(status: int, headers: dict[str, str], body: Any) -> dict[str, str]:
        if status == 429 and not isinstance(body, str):
            return {**headers, "Via": "1.1 google", "Retry-After": "1", "X-RateLimit-Scope": "user"}
        return headers
