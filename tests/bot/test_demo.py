"""`python -m bot demo` works from a clean install: the tour and the interactive prompt."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path


def run_demo(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "FEED"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_demo_tour_prints_a_readable_transcript(tmp_path: Path) -> None:
    """The tour shows lookups, a feed subscription with posts, the pinned countdown changing and the premiere
    event it adds to the server; exits 0."""
    result = run_demo(cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "/cast name:Nam-ra" in out and "Choi Nam-ra (최남라)" in out
    assert "Did you mean" in out
    assert "[Next]" in out and "2 of 2" in out
    assert "only you can see this" in out
    assert "#news now follows **K-Drama Dispatch**" in out
    assert "Netflix confirms All of Us Are Dead season 2 premiere date" in out
    assert "Watch All of Us Are Dead Season 2 Online Free" not in out
    assert "📌 pinned" in out and "Reported: late 2026 or early 2027" in out
    assert "Confirmed: 29 January 2027" in out
    news = out.split("── #news ──")[-1]
    assert news.lstrip().split("\n", 2)[1].strip() == "@News Alerts"  # the release-date post pings the chosen role
    assert "🗂 Netflix confirms All of Us Are Dead season 2 premiere date  [News]" in out  # one forum post per story
    event = "📅 All of Us Are Dead — season 2 premiere · Netflix · 29 January 2027 08:00–09:00 UTC"
    # Discord (and so the fake) refuses events in the past: once the sample's date has passed, there is none.
    assert (event in out) == (datetime.now(UTC) < datetime(2027, 1, 29, 8, tzinfo=UTC))
    assert "<t:" not in out
    assert "Demo finished" in out
    assert "Traceback" not in result.stderr


def test_demo_interactive_answers_typed_commands(tmp_path: Path) -> None:
    """A person can type `/cast nam-ra`, get the card, make a mistake, get a clear message, and quit."""
    result = run_demo("--interactive", stdin="/cast nam-ra\n/recap episode:x\n/nope\nquit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Choi Nam-ra (최남라)" in result.stdout
    assert "episode takes a whole number" in result.stdout
    assert "unknown command /nope" in result.stdout
