"""Interaction latency: ``/cast``, ``/recap`` and ``/cast`` autocomplete against a no-op command, same run.

fakediscord sends each interaction over the gateway and notes when the bot's callback arrives; the latency is
the span between the two, as Discord sees it. The bot runs in its own process (started as ``python -m bot``
would, plus one ``/noop`` command that answers at once: the baseline). Each kind is run steadily (20 a second)
and in bursts of 200 sent at once. Targets (issue 7): p99 under 50 ms steady; no answer near the 3 s deadline
in bursts.

Run: ``python bench/interactions.py`` (1,000 invocations of each kind in each mode) or ``--quick`` (100).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from botprocess import BotProcess
from report import Table, ms, percentile, write_results

from fakediscord.server import FakeDiscord
from fakediscord.world import Channel, User

STEADY_RATE = 20.0
BURST = 200
NEAR_DEADLINE = 2.5
STEADY_P99_TARGET = 0.050
NAMES = ["Nam-ra", "Cheong-san", "On-jo", "Su-hyeok", "Gwi-nam", "Lomon", "Park Ji-hu", "Yoon Chan-young", "최남라"]
TYPED = ["", "n", "na", "nam", "nam-r", "choi nam", "최남", "cheongsna", "su-hyuk", "park solo", "gandalf", "lee"]
_CALLBACK = re.compile(r"^/interactions/(\d+)/[^/]+/callback$")

Fire = Callable[[int], Awaitable[None]]


def kinds(fd: FakeDiscord, fan: User, channel: Channel) -> dict[str, Fire]:
    """One way to start each kind of interaction, the i-th of its run."""
    pending: set[asyncio.Task[object]] = set()

    async def noop(i: int) -> None:
        await fd.invoke("noop", user=fan, in_channel=channel)

    async def cast(i: int) -> None:
        await fd.invoke("cast", user=fan, in_channel=channel, name=NAMES[i % len(NAMES)])

    async def recap(i: int) -> None:
        await fd.invoke("recap", user=fan, in_channel=channel, episode=i % 9 + 1, season=1)

    async def autocomplete(i: int) -> None:
        # ``autocomplete`` waits for the choices: start it (it dispatches at its first step) and let it finish.
        task: asyncio.Task[object] = asyncio.create_task(
            fd.autocomplete("cast", "name", TYPED[i % len(TYPED)], user=fan, in_channel=channel, timeout=30)
        )
        pending.add(task)
        task.add_done_callback(pending.discard)

    return {"no-op": noop, "/cast": cast, "/recap": recap, "/cast autocomplete": autocomplete}


def callbacks(fd: FakeDiscord) -> dict[int, tuple[float, int]]:
    """When (fake clock) and with what status each interaction's first callback arrived."""
    found: dict[int, tuple[float, int]] = {}
    for entry in fd.requests("POST", "/interactions/*"):
        match = _CALLBACK.match(entry.path)
        if match:
            found.setdefault(int(match.group(1)), (entry.time, entry.status))
    return found


async def run_kind(fd: FakeDiscord, fire: Fire, count: int, burst: int | None) -> list[int]:
    """Start ``count`` interactions (steadily, or ``burst`` at a time); return their ids once all are answered."""
    before = set(fd.interactions)
    if burst is None:
        started = time.perf_counter()
        for i in range(count):
            await asyncio.sleep(max(0.0, started + i / STEADY_RATE - time.perf_counter()))
            await fire(i)
    else:
        for first in range(0, count, burst):
            wave = set(fd.interactions)
            for i in range(first, min(count, first + burst)):
                await fire(i)
            await asyncio.sleep(0)  # autocomplete tasks dispatch at their first step
            new = set(fd.interactions) - wave
            await settle(fd, new)
            await asyncio.sleep(1.0)  # let the bot's queue empty before the next burst
    ids = sorted(set(fd.interactions) - before)
    await settle(fd, set(ids))
    return ids


async def settle(fd: FakeDiscord, ids: set[int], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until every interaction in ``ids`` was answered (or gave up waiting)."""
    with contextlib.suppress(TimeoutError):  # what stays unanswered is counted by the caller
        await fd.wait_until(
            lambda: True if all(fd.interactions[i].acknowledged for i in ids) else None, timeout, "answers"
        )


def apologies(fd: FakeDiscord, ids: list[int]) -> int:
    """Answers that were the bot's apology for an unexpected error (they carry an error id)."""
    found = (fd.world.find_message(fd.interactions[i].original_id or 0) for i in ids)
    return sum(1 for m in found if m is not None and "error id" in m.content)


async def run(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="marquee-bench-") as tmp:
        workdir = Path(tmp)
        async with FakeDiscord() as fd:
            guild = fd.add_guild("Bench fans")
            fan = fd.add_user("fan")
            fd.add_member(guild, fan)
            channel = fd.general(guild)
            table = Table(
                f"Gateway event to callback, {count} of each kind per mode (bot in its own process)",
                [
                    *("mode", "kind", "p50 ms", "p99 ms", "max ms", "p50 / no-op", "p99 / no-op"),
                    *("≥ 2.5 s", "unanswered", "errors", "target"),
                ],
            )
            misses: list[str] = []
            noop = {"DEV_GUILD_ID": str(guild.id), "BENCH_NOOP": "1"}  # the bot adds /noop to this guild
            async with BotProcess(fd, workdir / "marquee.db", workdir, driven=True, **noop):
                fires = kinds(fd, fan, channel)
                for warm in range(20):  # first calls import and build caches: not what a fan waits for daily
                    for fire in fires.values():
                        await fire(warm)
                await asyncio.sleep(1.0)
                for mode, burst in (("steady 20/s", None), (f"bursts of {BURST}", BURST)):
                    baseline: tuple[float, float] | None = None
                    for kind, fire in fires.items():
                        ids = await run_kind(fd, fire, count, burst)
                        answered = callbacks(fd)
                        lat = [answered[i][0] - fd.interactions[i].created for i in ids if i in answered]
                        errors = apologies(fd, ids)
                        failed = sum(1 for i in ids if i not in answered or answered[i][1] >= 400)
                        near = sum(1 for x in lat if x >= NEAR_DEADLINE)
                        p50, p99 = percentile(lat, 0.5), percentile(lat, 0.99)
                        baseline = baseline or (p50, p99)
                        if burst is None:
                            target = "met" if p99 < STEADY_P99_TARGET and not failed and not errors else "MISS"
                        else:
                            target = "met" if near == 0 and not failed and not errors else "MISS"
                        if kind == "no-op":
                            target = "(baseline)"
                        elif target == "MISS":
                            misses.append(f"{mode} {kind}")
                        table.add(
                            mode,
                            kind,
                            ms(p50),
                            ms(p99),
                            ms(max(lat, default=0.0)),
                            f"{p50 / baseline[0]:.2f}",
                            f"{p99 / baseline[1]:.2f}",
                            near,
                            failed,
                            errors,
                            target,
                        )
                        print(table.rows[-1], flush=True)
    write_results(
        "interactions",
        "Benchmark 1 of issue 7: from the gateway event to the interaction callback, against a no-op command.",
        [table],
        [
            "Latency is measured by fakediscord (in the benchmark's process): from handing INTERACTION_CREATE to its "
            "gateway writer to receiving the bot's callback. It includes fakediscord's own work on both ends, "
            "which the no-op baseline carries too.",
            "`/cast` looks up a rotating name (nicknames, Hangul, actors); `/recap` asks for season 1 episodes "
            "1 to 9; autocomplete types a rotating partial name. Each command posts a public message; the no-op "
            'answers "ok".',
            f"Steady: one interaction every {1000 / STEADY_RATE:.0f} ms. Bursts: {BURST} sent at once, then a "
            "wait for every answer and one second of quiet. 20 of each kind are sent first to warm up.",
            "Unanswered counts interactions with no callback, or a callback Discord refused (after the 3 s "
            "deadline); errors counts answers that were the bot's apology for a bug. Targets: p99 < 50 ms steady, "
            "nothing at or over 2.5 s in bursts.",
            "Misses: " + (", ".join(misses) if misses else "none") + ".",
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="invocations of each kind in each mode")
    parser.add_argument("--quick", action="store_true", help="100 of each kind (well under a minute)")
    args = parser.parse_args()
    asyncio.run(run(min(args.count, 100) if args.quick else args.count))


if __name__ == "__main__":
    main()
