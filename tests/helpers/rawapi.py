"""Raw HTTP calls to fakediscord, for asserting on exact status codes, bodies and headers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from fakediscord.server import FakeDiscord


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


async def call(
    fd: FakeDiscord,
    method: str,
    path: str,
    *,
    json: Any = None,
    auth: str | None = "bot",
    params: dict[str, str] | None = None,
    data: Any = None,
) -> Answer:
    headers = {}
    if auth == "bot":
        headers["Authorization"] = f"Bot {fd.token}"
    elif auth is not None:
        headers["Authorization"] = auth
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fd.api_url + path, json=json, headers=headers, params=params, data=data) as resp,
    ):
        text = await resp.text()
        body: Any = None
        if resp.headers.get("Content-Type") == "application/json":
            import json as jsonlib

            body = jsonlib.loads(text)
        elif text:
            body = text
        return Answer(resp.status, body, dict(resp.headers))


async def send(fd: FakeDiscord, channel_id: int, body: dict[str, Any]) -> Answer:
    return await call(fd, "POST", f"/channels/{channel_id}/messages", json=body)
