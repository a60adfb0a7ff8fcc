"""Waiting on a Marquee process's view of its cluster, which changes at its heartbeat rather than in fakediscord."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.cluster import Cluster


async def until(cluster: Cluster, check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    """Return once ``check()`` holds, re-checked whenever the cluster's live count or lead changes."""
    try:
        async with asyncio.timeout(timeout):
            while not check():
                cluster.changed.clear()
                if check():
                    return
                await cluster.changed.wait()
    except TimeoutError:
        raise TimeoutError(f"no {what} within {timeout} s") from None
