"""One aiohttp server for REST and the gateway, answering the way discord.py expects to parse.

Answers are JSON with ``Content-Type: application/json`` exactly: discord.py compares the header for
equality before it parses a body, so anything else would read as an outage.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from fakediscord import rules

API_PREFIX = "/api/v10"

RequestHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    all_headers = dict(headers or {})
    if isinstance(body, str):  # an injected non-Discord page (a proxy or Cloudflare answering instead)
        return web.Response(status=status, text=body, content_type="text/html", headers=all_headers)
    if status == 204 or body is None:
        return web.Response(status=204 if status < 300 else status, headers=all_headers)
    all_headers["Content-Type"] = "application/json"
    return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)


async def not_found(request: web.Request) -> web.Response:
    return json_response(404, rules.not_found().body())


def build_app(rest: RequestHandler, gateway: RequestHandler) -> web.Application:
    """The gateway on ``/gateway``, the API under ``/api/v10``, Discord's 404 body everywhere else."""
    app = web.Application()
    app.router.add_get("/gateway", gateway)
    app.router.add_get("/gateway/", gateway)
    app.router.add_route("*", API_PREFIX + "/{tail:.*}", rest)
    app.router.add_route("*", "/{tail:.*}", not_found)
    return app
