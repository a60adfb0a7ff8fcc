"""How a sharded Marquee names its shards in the log and paces their IDENTIFYs (bot.shards), without Discord."""

from __future__ import annotations

import pytest

from bot.settings import Shards
from bot.shards import IdentifyPacer, describe, refusal


class FakeTime:
    """A clock that a pacer's sleep moves forward, recording each sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(
    ("shards", "expected"),
    [
        (None, "one session (not sharded)"),
        (Shards(1, (0,)), "shard 0 of 1"),
        (Shards(4, (0, 1, 3)), "shards 0, 1, 3 of 4"),
    ],
)
def test_the_start_up_log_names_this_process_shards(shards: Shards | None, expected: str) -> None:
    """The operator reads which shards a process connects ("Connecting shards 0, 1, 3 of 4")."""
    assert describe(shards) == expected


@pytest.mark.parametrize(
    ("max_concurrency", "shard_ids", "sleeps"),
    [
        (1, [0, 1, 2], [5.0, 5.0]),  # one bucket: Discord's 5 s between IDENTIFYs, as discord.py waits
        (2, [0, 1, 2, 3], [5.0]),  # two buckets: 0 and 1 at once, 2 waits for 0's window and 3 is then free
        (16, list(range(16)), []),  # a large bot's 16 buckets all identify at once
    ],
)
async def test_shards_identify_as_fast_as_their_buckets_allow(
    max_concurrency: int, shard_ids: list[int], sleeps: list[float]
) -> None:
    """A process starting several shards waits only between shards that share a rate-limit bucket."""
    time = FakeTime()
    pacer = IdentifyPacer(max_concurrency, clock=time.clock, sleep=time.sleep)
    for shard in shard_ids:
        await pacer.wait(shard)
    assert time.slept == sleeps


async def test_an_identify_refused_elsewhere_is_retried_when_its_window_ends() -> None:
    """A shard whose IDENTIFY was refused (another process used the bucket) tries again 5 s after its last try."""
    time = FakeTime()
    pacer = IdentifyPacer(1, clock=time.clock, sleep=time.sleep)
    await pacer.wait(0)
    time.now += 2.0
    await pacer.wait(0)
    assert time.slept == [3.0]


@pytest.mark.parametrize(
    ("close_code", "variable", "fix"),
    [(4011, "SHARD_COUNT", "Set SHARD_COUNT on every Marquee process"), (4010, "SHARD_IDS", "the same SHARD_COUNT")],
)
def test_discord_closing_over_shards_tells_the_operator_what_to_set(close_code: int, variable: str, fix: str) -> None:
    """Sharding required (4011) and an invalid shard (4010) become one line naming the setting to change."""
    refused = refusal(close_code)
    assert refused is not None
    assert refused.variable == variable and fix in refused.fix


@pytest.mark.parametrize("close_code", [1000, 4004, 4014, None])
def test_other_gateway_closes_are_not_about_shards(close_code: int | None) -> None:
    """A close that has nothing to do with sharding (a bad token, a missing intent) is not blamed on SHARD_COUNT."""
    assert refusal(close_code) is None
