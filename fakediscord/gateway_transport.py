"""One gateway websocket on the server side: its writer, its zlib-stream, and the client's send budget.

Each connection has one writer task fed by a queue, so frames and faults (a close after pending frames,
say) reach the client in the order the test asked for them. The zlib-stream is per connection, as on
Discord: one deflate context for the socket's life, each frame flushed and ending in ``00 00 ff ff``.
"""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final, Literal, TypeAlias

from aiohttp import web

from fakediscord.gateway_protocol import Frame
from fakediscord.gateway_session import GatewaySession

log = logging.getLogger(__name__)

SEND_LIMIT: Final = 120
SEND_WINDOW: Final = 60.0
"""Discord closes a connection that sends more than 120 payloads in 60 seconds with 4008."""
ZLIB_SUFFIX: Final = b"\x00\x00\xff\xff"

_Action: TypeAlias = Callable[[], Awaitable[None]]
_Item: TypeAlias = Frame | tuple[_Action, "asyncio.Future[None]"] | None
Record: TypeAlias = Callable[[Literal["in", "out"], int, str | None, int | None, GatewaySession | None], None]
"""Where a connection reports what it wrote, so the gateway log shows what actually reached the client."""


class Connection:
    """One websocket: a single writer task sends frames and runs faults in the order they were queued."""

    def __init__(self, record: Record, ws: web.WebSocketResponse, request: web.Request, compress: bool) -> None:
        self._record = record
        self.ws = ws
        self.transport = request.transport
        self.compressor = zlib.compressobj() if compress else None
        self.session: GatewaySession | None = None
        self.closed_by_server = False
        self.server_close_code: int | None = None
        self.client_close_code: int | None = None
        self.received: deque[float] = deque()
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self._finished = False
        self._writer = asyncio.create_task(self._write_loop(), name="fakediscord-gateway-writer")

    def send(self, payload: dict[str, Any] | Frame) -> None:
        if not self._finished:
            self._queue.put_nowait(payload if isinstance(payload, Frame) else Frame.of(payload))

    def then(self, action: _Action) -> asyncio.Future[None]:
        """Run ``action`` after every frame queued so far has been written (at once if the socket is gone)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._finished:
            done.set_result(None)
        else:
            self._queue.put_nowait((action, done))
        return done

    def close(self, code: int) -> asyncio.Future[None]:
        async def close() -> None:
            if not self.ws.closed:
                self.closed_by_server = True
                self.server_close_code = code
                await self.ws.close(code=code)

        return self.then(close)

    def drop(self) -> asyncio.Future[None]:
        async def drop() -> None:
            self.closed_by_server = True
            if self.transport is not None:
                self.transport.abort()

        return self.then(drop)

    async def finish(self) -> None:
        """Let the writer run what is queued (a close still waiting for the client's reply), then stop."""
        self._finished = True
        self._queue.put_nowait(None)
        await self._writer

    def over_send_limit(self) -> bool:
        """Count the payload the client just sent; true once it has sent more than Discord allows."""
        now = time.monotonic()
        self.received.append(now)
        while self.received and self.received[0] < now - SEND_WINDOW:
            self.received.popleft()
        return len(self.received) > SEND_LIMIT

    async def _write_loop(self) -> None:
        while True:
            item = await self._queue.get()
            if item is None:
                return
            if isinstance(item, Frame):
                await self._write(item)
                continue
            action, done = item
            try:
                await action()
            except (ConnectionError, RuntimeError) as exc:
                log.debug("gateway fault action failed on a closing socket: %s", exc)
            finally:
                if not done.done():
                    done.set_result(None)

    async def _write(self, frame: Frame) -> None:
        if self.ws.closed:
            return  # the session keeps dispatches; a resume replays what this socket could not carry
        try:
            if self.compressor is None:
                await self.ws.send_str(frame.text)
            else:
                data = self.compressor.compress(frame.text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
        except (ConnectionError, RuntimeError) as exc:
            log.debug("gateway frame not written, socket closing: %s", exc)
            return
        self._record("out", frame.op, frame.event, frame.seq or None, self.session)


def zlib_frames(frames: Iterable[bytes]) -> list[str]:
    """Inflate a zlib-stream the way discord.py does; for tests that read the wire directly."""
    inflater = zlib.decompressobj()
    messages: list[str] = []
    buffer = bytearray()
    for frame in frames:
        buffer.extend(frame)
        if frame.endswith(ZLIB_SUFFIX):
            messages.append(inflater.decompress(bytes(buffer)).decode())
            buffer.clear()
    return messages
