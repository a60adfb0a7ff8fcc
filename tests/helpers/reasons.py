"""A one-address web server whose answer a test changes as it goes, down to the HTTP reason phrase.

The shared feed server (``fakediscord.feeds``) always sends the standard phrase for a status; a hostile server
sends whatever it likes after the number ("HTTP 503 [Unavailable](https://…)"), and that text reaches
``/feeds refresh`` and ``/feeds status``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web


@dataclass
class Answer:
    """What the server answers every request with, until the test changes it."""

    body: str = ""
    status: int = 200
    reason: str | None = None
    content_type: str = "application/rss+xml"


@asynccontextmanager
async def answering(answer: Answer) -> AsyncIterator[str]:
    """Serve ``answer`` on loopback for the length of the block; yields the feed's address."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(
            status=answer.status, reason=answer.reason, text=answer.body, content_type=answer.content_type
        )

    app = web.Application()
    app.router.add_get("/feed.xml", handler)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        yield f"http://127.0.0.1:{port}/feed.xml"
    finally:
        await runner.cleanup()
