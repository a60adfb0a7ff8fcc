"""One background-loop helper: waits for ready, survives a failing round, wakes on demand, stops cleanly."""

from __future__ import annotations

import asyncio

import pytest

from bot.loops import BackgroundLoop


async def test_loop_waits_for_ready_then_survives_a_failing_round(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing runs before ready; a round that raises is logged and the next round still comes."""
    ready = asyncio.Event()
    calls: list[int] = []
    third = asyncio.Event()

    async def work() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("the first feed broke")
        if len(calls) == 3:
            third.set()

    async def until_ready() -> None:
        await ready.wait()

    loop = BackgroundLoop("test loop", work, every=0.0, ready=until_ready)
    loop.start()
    await asyncio.sleep(0)
    assert calls == [] and loop.running
    ready.set()
    async with asyncio.timeout(5):
        await third.wait()
    await loop.stop()
    assert not loop.running
    assert "test loop failed" in caplog.text and "the first feed broke" in caplog.text


async def test_wake_starts_the_next_round_at_once() -> None:
    """A loop with an hour between rounds runs again as soon as it is woken (new news, a changed row)."""
    rounds = asyncio.Queue[int]()

    async def work() -> None:
        rounds.put_nowait(1)

    async def ready() -> None:
        return None

    loop = BackgroundLoop("hourly", work, every=3600.0, ready=ready)
    loop.start()
    async with asyncio.timeout(5):
        await rounds.get()
        loop.wake()
        await rounds.get()
    await loop.stop()


async def test_a_failing_delay_falls_back_to_the_interval() -> None:
    """When the next round's time cannot be read, the loop waits its interval instead of stopping."""
    rounds = asyncio.Queue[int]()

    async def work() -> None:
        rounds.put_nowait(1)

    async def ready() -> None:
        return None

    async def broken_delay() -> float:
        raise OSError("database is locked")

    loop = BackgroundLoop("timers", work, every=0.01, ready=ready, delay=broken_delay)
    loop.start()
    async with asyncio.timeout(5):
        for _ in range(3):
            await rounds.get()
    assert loop.running
    await loop.stop()
