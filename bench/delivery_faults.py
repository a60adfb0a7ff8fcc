"""Benchmark 6: a fan-out while Discord fails 10 % of the sends and the bot is SIGKILLed 20 times.

``python -m bot`` runs as its own process and fans one new article out to one channel in each of N servers. Each
message request independently fails with the given probability, as one of: 500, 502, 503, a timeout (the request
is held, then answered 504, with the message created or not) and "created, then 502". Meanwhile the benchmark
SIGKILLs the bot at evenly spread points of the fan-out and starts it again: every other kill lands the instant a
message request reaches Discord (so the message may exist while the bot never hears of it), the others at a
random moment. The figures are counts: posts lost and duplicated (target 0 and 0), and what was injected.

Run: ``python bench/delivery_faults.py`` (1,000 servers, 20 kills, several minutes) or ``--quick`` (30, 2 kills).
"""

from __future__ import annotations

import argparse
import asyncio
import fnmatch
import logging
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from botprocess import BotProcess
from fanworld import MESSAGES, delivery_states, lost_and_duplicated, news_channels, posts_per_channel
from report import Table, write_results
from seeding import subscribe_all

from fakediscord.faults import Fault, Faults
from fakediscord.feeds import SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, FeedServer
from fakediscord.server import FakeDiscord

log = logging.getLogger(__name__)

KINDS = ("500", "502", "503", "timeout, not created", "timeout, created", "created, then 502")
FAULT_OF = {
    "500": (500, False),
    "502": (502, False),
    "503": (503, False),
    "timeout, not created": (504, False),
    "timeout, created": (504, True),
    "created, then 502": (502, True),
}


class SendFaults(Faults):
    """Each message request fails with probability ``rate``, as one of ``KINDS`` picked at random.

    The decision is taken when the request arrives (``delay_for``, where a timeout is a long hold) and used up
    when fakediscord asks for the request's failure (``take``). The bot's sender never has two sends in flight
    to one channel and the path names the channel, so keying the decision by path cannot mix two requests up.
    """

    def __init__(self, rate: float, rng: random.Random, hold: float) -> None:
        super().__init__()
        self.rate = rate
        self.rng = rng
        self.hold = hold
        self.injected: Counter[str] = Counter()
        self.arrivals = 0
        self.on_arrival: list[Callable[[], None]] = []  # called as each message request arrives
        self._planned: dict[str, Fault] = {}

    def delay_for(self, method: str, path: str) -> float:
        delay = super().delay_for(method, path)
        if method != "POST" or not fnmatch.fnmatchcase(path, MESSAGES):
            return delay
        self.arrivals += 1
        for hook in list(self.on_arrival):
            hook()
        if self.rng.random() >= self.rate:
            return delay
        kind = self.rng.choice(KINDS)
        self.injected[kind] += 1
        status, created = FAULT_OF[kind]
        self._planned[path] = Fault("POST", path, status, 1, after_applying=created)
        return delay + (self.hold if kind.startswith("timeout") else 0.0)

    def take(self, method: str, path: str) -> Fault | None:
        planned = self._planned.pop(path, None) if method == "POST" else None
        return planned or super().take(method, path)


async def faulty_fan_out(
    guilds: int, kills: int, rate: float, hold: float, seed: int, workdir: Path
) -> tuple[Table, list[str]]:
    rng = random.Random(seed)
    async with FakeDiscord() as fd, FeedServer() as fs:
        faults = SendFaults(rate, rng, hold)
        fd.faults = faults
        channels = news_channels(fd, guilds)
        fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
        database = workdir / "marquee.db"
        await subscribe_all(database, fs.url("/dispatch"), channels)
        fs.add_sample("/dispatch", SAMPLE_WORDPRESS_NEWER)
        bot = BotProcess(fd, database, workdir)

        def posted() -> int:
            return sum(1 for c in posts_per_channel(fd, channels) if c)

        started = time.monotonic()
        await bot.start()
        unconfirmed_at_kill: list[int] = []
        kill_points: Counter[str] = Counter()
        thresholds = [round(guilds * (k + 1) / (kills + 1)) for k in range(kills)]
        try:
            for k, threshold in enumerate(thresholds):
                await fd.wait_until(lambda t=threshold: posted() >= t or None, 600, f"{threshold} posts")
                if k % 2 == 0:
                    killed = asyncio.Event()

                    def kill_on_arrival(event: asyncio.Event = killed) -> None:
                        if not event.is_set():
                            bot.kill_now()
                            event.set()

                    faults.on_arrival.append(kill_on_arrival)
                    try:
                        await asyncio.wait_for(killed.wait(), 30)
                        kill_points["as a message request arrived"] += 1
                    except TimeoutError:  # nothing was being sent (all waiting for a retry): kill anyway
                        bot.kill_now()
                        kill_points["at a random moment (no send came within 30 s)"] += 1
                    finally:
                        faults.on_arrival.remove(kill_on_arrival)
                else:
                    await asyncio.sleep(rng.uniform(0, 0.3))
                    bot.kill_now()
                    kill_points["at a random moment"] += 1
                await bot.reap()
                await asyncio.sleep(0.1)  # let a held request finish applying before counting
                unconfirmed_at_kill.append(posted() - delivery_states(database).get("sent", 0))
                await bot.start()
            await fd.wait_until(lambda: posted() >= guilds or None, 900, "a post everywhere")
            async with asyncio.timeout(900):  # retries back off: 2 s, 4 s, 8 s ... after each failed send
                while delivery_states(database).get("pending"):  # noqa: ASYNC110 - the bot is another process
                    await asyncio.sleep(0.2)
        finally:
            code = await bot.stop()
        total = time.monotonic() - started
        states = delivery_states(database)
    lost, duplicated = lost_and_duplicated(fd, channels)
    sends = fd.requests("POST", MESSAGES)
    history_reads = fd.requests("GET", MESSAGES)
    injected = sum(faults.injected.values())
    rows: list[list[object]] = [
        ["channels (one per server)", guilds],
        ["**posts lost (target 0)**", f"**{lost}**"],
        ["**posts duplicated (target 0)**", f"**{duplicated}**"],
        ["outbox at the end", ", ".join(f"{k}: {v}" for k, v in sorted(states.items()))],
        ["SIGKILL restarts", bot.kills],
        *[[f"  kills {where}", n] for where, n in sorted(kill_points.items())],
        ["kills that left a posted but unconfirmed delivery", sum(1 for u in unconfirmed_at_kill if u > 0)],
        ["message requests received", len(sends)],
        [f"faults injected ({injected / max(faults.arrivals, 1):.1%} of requests)", injected],
        *[[f"  {kind}", faults.injected[kind]] for kind in KINDS],
        ["channel history reads (recovery checks)", len(history_reads)],
        ["429 answers", sum(1 for e in fd.ledger if e.status == 429)],
        ["wall time, first start to every post confirmed", f"{total:.0f} s"],
        ["bot exit code on the final SIGTERM", code],
    ]
    notes = [
        f"Seed {seed}; a timeout holds the request {hold:g} s before answering 504 (Cloudflare waits far longer). "
        "discord.py itself retries 500, 502 and 504 with the same body (and so the same nonce); 503 reaches the "
        "sender, which retries it later with backoff.",
        "The sender has up to four sends in flight (never two in one channel), so a held request or discord.py's "
        "retry sleeps hold up one of four slots rather than every channel behind it; the wall time above is still "
        "dominated by them, the retries' backoff and the restarts, not by Discord's limits. Exposed and fixed "
        "(commit 'Outbox sender gives up on a send Discord does not answer within "
        "30 s'): a request Discord never answered used to hold the whole outbox for discord.py's 5-minute session "
        "timeout; the sender now abandons it after 30 s and retries it later, checking the channel first.",
    ]
    if lost or duplicated:
        notes.append(f"MISS: {lost} lost and {duplicated} duplicated posts.")
        print(bot.logs()[-5000:])
    return Table.of(["figure", "value"], rows), notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guilds", type=int, default=1000, help="servers, one news channel each (default 1000)")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILL restarts during the fan-out (default 20)")
    parser.add_argument("--fail-rate", type=float, default=0.10, help="share of sends that fail (default 0.10)")
    parser.add_argument("--hold", type=float, default=5.0, help="seconds a timed-out request is held (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="30 servers, 2 kills, 1 s holds")
    args = parser.parse_args()
    guilds, kills = (30, 2) if args.quick else (args.guilds, args.kills)
    hold = 1.0 if args.quick else args.hold
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="marquee-faults-") as workdir:
        body, notes = asyncio.run(faulty_fan_out(guilds, kills, args.fail_rate, hold, args.seed, Path(workdir)))
    title = f"Delivery under faults: {guilds} channels, {args.fail_rate:.0%} of sends failing, {kills} SIGKILLs."
    write_results("delivery_faults", title, [body], notes)


if __name__ == "__main__":
    main()
