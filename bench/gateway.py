"""Benchmark 7: gateway disconnects of every kind; resumes against re-identifies, events lost, time to recover.

The real Marquee (with the ``about`` extension, so /about answers) runs against fakediscord. For each kind of
disconnect Discord produces (TCP dropped, which the client sees as close 1006; close 4000; op 7 RECONNECT; op 9
INVALID_SESSION resumable and not) the benchmark injects it, and at once, while the bot is still away, a fan
runs /about. Figures per kind: how the session came back (RESUME or a new IDENTIFY), how many of those /about
events never reached the bot (target 0 where the session could resume), and the time from the fault to the
answer, as a ratio to the same answer with no fault measured in the same run.

Run: ``python bench/gateway.py`` (200 of each kind; op 9 not resumable costs 5 s each, because discord.py waits
5 s before every IDENTIFY after the first, so that kind alone takes over 17 minutes) or ``--quick`` (10 each, 2
of op 9 not resumable).
``--reidentify-count`` sets the number for op 9 not resumable on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from report import Table, percentile, write_results

from bot.bot import Marquee
from bot.runner import running_bot
from bot.settings import Settings
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel, User

log = logging.getLogger(__name__)

ANSWER_WAIT = 15.0
LOST_AFTER = 3.0  # after the session is back, seconds to wait for the answer before counting the event lost


@dataclass
class KindResult:
    kind: str
    injected: int = 0
    resumes: int = 0
    identifies: int = 0
    answered: int = 0
    late: int = 0
    lost: int = 0
    recover_ms: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)


def faults(fd: FakeDiscord) -> dict[str, Callable[[], Awaitable[None]]]:
    hub = fd.hub
    return {
        "TCP dropped (close 1006)": hub.drop,
        "close 4000": lambda: hub.close(4000),
        "op 7 RECONNECT": hub.reconnect,
        "op 9, resumable": lambda: hub.invalidate(True),
        "op 9, not resumable": lambda: hub.invalidate(False),
    }


def answered_at(fd: FakeDiscord, interaction_id: int) -> float | None:
    """When (fakediscord's clock) the bot's first answer to the interaction reached Discord, if it did."""
    calls = fd.requests("POST", f"/interactions/{interaction_id}/*/callback")
    return calls[0].time if calls else None


async def probe(fd: FakeDiscord, fan: User, channel: Channel, since: float, wait: float) -> float | None:
    """Run /about as the fan; milliseconds from ``since`` (fakediscord's clock) to the bot's answer, or None."""
    handle = await fd.invoke("about", user=fan, in_channel=channel)
    with contextlib.suppress(TimeoutError):
        await fd.wait_until(lambda: answered_at(fd, handle.id), wait, "an answer to /about")
    at = answered_at(fd, handle.id)
    return None if at is None else (at - since) * 1000


async def settled(fd: FakeDiscord, bot: Marquee) -> None:
    """Until the bot has one live session again and is ready (a re-identify waits for its guilds)."""
    await fd.hub.wait_until(lambda: fd.hub.connected == 1, 30)
    async with asyncio.timeout(30):
        while not bot.is_ready():  # noqa: ASYNC110 - discord.py offers no event for "ready again"
            await asyncio.sleep(0.01)


async def disconnects(count: int, reidentify_count: int, baseline_count: int, workdir: Path) -> list[KindResult]:
    async with FakeDiscord() as fd:
        guild = fd.add_guild("AOUAD Fans")
        fan = fd.add_user("hyosan_fan")
        fd.add_member(guild, fan)
        channel = fd.general(guild)
        settings = Settings.from_env(
            {
                "DISCORD_TOKEN": fd.token,
                "DATABASE_PATH": str(workdir / "marquee.db"),
                "DISCORD_API_URL": fd.api_url,
                "DISCORD_GATEWAY_URL": fd.gateway_url,
            }
        )
        async with running_bot(settings, extensions=["cogs.about"]) as bot:
            baseline = KindResult("no fault (baseline)")
            for _ in range(baseline_count):
                took = await probe(fd, fan, channel, fd.clock.now(), ANSWER_WAIT)
                baseline.injected += 1
                if took is None:
                    baseline.lost += 1
                else:
                    baseline.answered += 1
                    baseline.answer_ms.append(took)
            results = [baseline]
            for kind, inject in faults(fd).items():
                result = KindResult(kind)
                for _ in range(reidentify_count if kind.endswith("not resumable") else count):
                    await settled(fd, bot)
                    resumes, identifies = fd.hub.resumes, fd.hub.identifies
                    started = fd.clock.now()
                    await inject()
                    result.injected += 1
                    handle = await fd.invoke("about", user=fan, in_channel=channel)  # while the bot is away
                    await fd.hub.wait_until(
                        lambda r=resumes, i=identifies: fd.hub.resumes + fd.hub.identifies > r + i, 30
                    )
                    result.recover_ms.append((fd.clock.now() - started) * 1000)
                    result.resumes += fd.hub.resumes - resumes
                    result.identifies += fd.hub.identifies - identifies
                    with contextlib.suppress(TimeoutError):  # a replayed event is handled at once
                        await fd.wait_until(lambda h=handle: answered_at(fd, h.id), LOST_AFTER, "an answer")
                    at = answered_at(fd, handle.id)
                    if at is None:
                        result.lost += 1
                        continue
                    took = (at - started) * 1000
                    result.answered += 1
                    result.answer_ms.append(took)
                    if took > fd.interaction_deadline * 1000:
                        result.late += 1
                results.append(result)
                print(f"{kind}: {result.injected} injected, {result.lost} lost", flush=True)
    return results


def report(results: list[KindResult], count: int, reidentify_count: int) -> tuple[Table, list[str]]:
    base = statistics.median(results[0].answer_ms) if results[0].answer_ms else float("nan")
    rows = []
    for r in results:
        p50, p99 = percentile(r.answer_ms, 0.5), percentile(r.answer_ms, 0.99)
        back50, back99 = percentile(r.recover_ms, 0.5), percentile(r.recover_ms, 0.99)
        recovered = f"{back50:.0f} / {back99:.0f}" if r.recover_ms else "-"
        rows.append(
            [
                r.kind,
                r.injected,
                r.resumes,
                r.identifies,
                f"**{r.lost}**",
                r.late,
                recovered,
                f"{p50:.0f} / {p99:.0f}" if r.answer_ms else "- (none answered)",
                f"{p50 / base:.1f}× / {p99 / base:.1f}×" if r.answer_ms else "-",
            ]
        )
    body = Table.of(
        [
            "disconnect",
            "injected",
            "resumes",
            "re-identifies",
            "/about events lost",
            "answered after 3 s",
            "session back, ms p50 / p99",
            "fault to answer, ms p50 / p99",
            "answer vs baseline p50 / p99",
        ],
        rows,
    )
    notes = [
        "Each fault is followed at once by a fan running /about, so the event is dispatched while the bot is "
        "away; it is lost unless a RESUME replays it. Recovery is timed from the fault to the session being "
        "resumed or re-identified, and to the bot's answer.",
        "op 9 not resumable: Discord forgets the session, so the /about sent in the gap is lost by design (Discord "
        "does not replay into a new session; the user sees 'The application did not respond' and retries). The "
        "5 s before each re-identify is discord.py's `before_identify_hook`, which honours Discord's identify "
        "rate limit; the state is rebuilt from READY and GUILD_CREATE, so no cached state is lost.",
    ]
    if reidentify_count < count:
        notes.append(
            f"Run with op 9 not resumable at {reidentify_count} (not {count}): each costs over 5 s, so 200 of them "
            "do not fit this machine's ten-minute budget; the script's default is the full size."
        )
    for r in results[1:-1]:
        if r.lost or r.identifies:
            notes.append(f"MISS: {r.kind}: {r.lost} events lost, {r.identifies} re-identifies instead of resumes.")
    return body, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="disconnects of each kind (default 200)")
    parser.add_argument("--reidentify-count", type=int, help="op 9 not resumable only (default: --count)")
    parser.add_argument("--quick", action="store_true", help="10 of each kind, 2 not resumable")
    args = parser.parse_args()
    count = 10 if args.quick else args.count
    reidentify = count if args.reidentify_count is None else args.reidentify_count
    if args.quick and args.reidentify_count is None:
        reidentify = 2
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="marquee-gateway-") as workdir:
        results = asyncio.run(disconnects(count, reidentify, max(count, 20), Path(workdir)))
    body, notes = report(results, count, reidentify)
    write_results("gateway", f"Gateway: {count} disconnects of each kind.", [body], notes)


if __name__ == "__main__":
    main()
