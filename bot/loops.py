"""The one way Marquee runs background work: poll feeds, send the outbox, prune, keep countdowns current.

Hand-rolled loops drifted apart: one waited for the client to be ready and one did not, and a loop that raised
once was gone for good. Every loop now has the same three promises: it waits until the bot is ready before its
first round, an exception is logged and the next round still comes, and ``stop`` ends it cleanly (unfinished
work stays in the database, where the next round or the next start finds it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Work = Callable[[], Awaitable[object]]
Ready = Callable[[], Awaitable[None]]
Delay = Callable[[], Awaitable[float]]


class BackgroundLoop:
    """Runs ``work`` once per round; between rounds it sleeps ``every`` seconds or until woken.

    ``delay`` replaces the fixed pause when the next round's time is known (the countdown's next due row);
    when it fails, the loop sleeps ``every`` seconds, so a broken lookup costs at most one interval.
    """

    def __init__(
        self,
        name: str,
        work: Work,
        *,
        every: float,
        ready: Ready,
        wake: asyncio.Event | None = None,
        delay: Delay | None = None,
    ) -> None:
        self.name = name
        self._work = work
        self._every = every
        self._ready = ready
        self._wake = wake if wake is not None else asyncio.Event()
        self._delay = delay
        self._task: asyncio.Task[None] | None = None
        self.rounds = 0  # finished rounds, failed or not: tests and logs can tell a loop that runs

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._task = asyncio.create_task(self._run(), name=self.name)

    def wake(self) -> None:
        """Start the next round now instead of after the pause."""
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        await self._ready()
        while True:
            self._wake.clear()
            try:
                await self._work()
            except Exception:
                log.exception("%s failed; trying again next round", self.name)
            self.rounds += 1
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(await self._pause()):
                    await self._wake.wait()

    async def _pause(self) -> float:
        if self._delay is None:
            return self._every
        try:
            return max(0.0, min(self._every, await self._delay()))
        except Exception:
            log.exception("%s could not tell when to run next; waiting %.0f s", self.name, self._every)
            return self._every
