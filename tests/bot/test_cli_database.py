"""`python -m bot` with DATABASE_PATH at a file that is not Marquee's database: one line, exit code 2."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcdE.abcdefghijklmnopqrstuvwxyz0123"


def run_bot(database: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_PATH", "SHOW"}}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        env={
            **clean,
            "DISCORD_TOKEN": TOKEN,
            "DATABASE_PATH": str(database),
            # Nothing listens here: should the database ever be accepted, the bot fails fast instead of going online.
            "DISCORD_API_URL": "http://127.0.0.1:9/api/v10",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/",
        },
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def truncated_sqlite_header(tmp_path: Path) -> bytes:
    other = tmp_path / "whole.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.commit()
    return other.read_bytes()[:50]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda _: b"just some notes, not a database\n", "is not a SQLite database (file is not a database)"),
        (truncated_sqlite_header, "is a damaged SQLite database"),
    ],
    ids=["text file", "truncated SQLite header"],
)
def test_unusable_database_file_exits_2_with_one_line(
    tmp_path: Path, make: Callable[[Path], bytes], expected: str
) -> None:
    """The moderator sees one line naming DATABASE_PATH, the file, what is wrong and the fix; no traceback."""
    database = tmp_path / "marquee.db"
    database.write_bytes(make(tmp_path))
    result = run_bot(database, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"marquee: error: DATABASE_PATH: {database} {expected}")
    assert "move it away to start a new one" in lines[0] or "move this file away to start a new one" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert TOKEN not in result.stderr + result.stdout
