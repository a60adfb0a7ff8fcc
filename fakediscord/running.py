"""``async with`` for the fake's servers: started on the way in, closed on the way out whatever happened.

A test that fails half-way must not leave a listening socket or a task behind for the next test.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Running:
    async def start(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
