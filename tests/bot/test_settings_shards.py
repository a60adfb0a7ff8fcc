"""SHARD_COUNT and SHARD_IDS: what an operator running Marquee as several processes sees when they are right or
wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Settings, Shards

BASE = {"DATABASE_PATH": "marquee.db"}


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("", "", None),
        ("1", "", Shards(1, (0,))),
        ("4", "", Shards(4, (0, 1, 2, 3))),
        ("4", "2", Shards(4, (2,))),
        ("4", "0-1,3", Shards(4, (0, 1, 3))),
        ("4", " 3, 0 - 1 ", Shards(4, (0, 1, 3))),
        ("8", "4-7", Shards(8, (4, 5, 6, 7))),
    ],
)
def test_shard_settings_are_read(count: str, ids: str, expected: Shards | None) -> None:
    """Without SHARD_COUNT Marquee runs unsharded; with it, SHARD_IDS (ids and ranges) or else every shard."""
    settings = Settings.from_env({**BASE, "SHARD_COUNT": count, "SHARD_IDS": ids}, require_token=False)
    assert settings.shards == expected


@pytest.mark.parametrize(
    ("count", "ids", "variable", "problem", "fix"),
    [
        ("2", "2", "SHARD_IDS", "shard 2 is not below SHARD_COUNT=2", "run from 0 to 1"),
        ("4", "0-5", "SHARD_IDS", "shard 5 is not below SHARD_COUNT=4", "raise SHARD_COUNT on every process"),
        ("4", "0,1,1", "SHARD_IDS", "shard 1 is listed twice", "Name each shard once"),
        ("4", "0-2,2-3", "SHARD_IDS", "shard 2 is listed twice", "Name each shard once"),
        ("", "0", "SHARD_IDS", "is set without SHARD_COUNT", "Set SHARD_COUNT to the total number of shards"),
        ("0", "", "SHARD_COUNT", "0 is not a positive number of shards", "leave it empty"),
        ("-3", "", "SHARD_COUNT", "-3 is not a positive number of shards", "Use 1 or more"),
        ("two", "", "SHARD_COUNT", "'two' is not a whole number", "SHARD_COUNT=2"),
        ("1000000", "", "SHARD_COUNT", "far more than Discord asks for", "at most 100000"),
        ("4", "3-1", "SHARD_IDS", "the range 3-1 runs backwards", "1-3"),
        ("4", "-1", "SHARD_IDS", "'-1' is not a shard id", "SHARD_IDS=0-1,3"),
        ("4", "0,,1", "SHARD_IDS", "'' is not a shard id", "separated by commas"),
        ("4", "first", "SHARD_IDS", "'first' is not a shard id", "separated by commas"),
    ],
)
def test_bad_shard_settings_name_the_variable_and_the_fix(
    count: str, ids: str, variable: str, problem: str, fix: str
) -> None:
    """A shard setting that cannot work stops start-up with the variable, what is wrong and what to do."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**BASE, "SHARD_COUNT": count, "SHARD_IDS": ids}, require_token=False)
    assert caught.value.variable == variable
    assert problem in caught.value.problem
    assert fix in caught.value.fix


def test_a_process_given_a_shard_beyond_the_count_exits_2(tmp_path: Path) -> None:
    """`python -m bot` with SHARD_IDS=2 of SHARD_COUNT=2 refuses to start, in one line naming SHARD_IDS."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "SHARD_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env={
            **clean,
            "DISCORD_TOKEN": "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcdE.abcdefghijklmnopqrstuvwxyz0123",
            "SHARD_COUNT": "2",
            "SHARD_IDS": "2",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "marquee: error: SHARD_IDS: shard 2 is not below SHARD_COUNT=2. Shard ids run from 0 to 1; raise SHARD_COUNT "
        "on every process or use ids below it"
    ]


def test_shard_settings_are_documented() -> None:
    """README's settings table and .env.example name SHARD_COUNT and SHARD_IDS, unset by default."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = (root / ".env.example").read_text(encoding="utf-8")
    for variable in ("SHARD_COUNT", "SHARD_IDS"):
        assert f"| `{variable}` | empty |" in readme
        assert f"# {variable}=\n" in example
    assert Settings.from_env(BASE, require_token=False).shards is None
