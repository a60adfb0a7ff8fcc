"""``python -m bot.release`` as a moderator or script runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.release", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=30, check=False,
    )


def test_argument_mode_prints_claims() -> None:
    """A text and a publish date give a JSON array of the claims found."""
    result = run("--published", "2026-02-21", "All of Us Are Dead season 2 tipped for late 2026")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"start": "2026-09-01", "end": "2026-12-31", "precision": "half", "status": "rumoured"}
    ]


def test_argument_mode_with_no_claim_prints_empty_array() -> None:
    """Text with no release date prints an empty array, not an error."""
    result = run("--published", "2026-02-21", "All of Us Are Dead season 2 wrapped filming this week.")
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_show_option_reads_another_show() -> None:
    """--show makes the reader follow the named show."""
    result = run("--published", "2026-02-21", "--show", "Hellbound",
                 "Hellbound season 2 arrives in October 2026, Netflix confirmed.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["status"] == "confirmed"


def test_stdin_mode_writes_one_array_per_line() -> None:
    """JSON lines in give one JSON array per line out, in order; a blank line gives an empty array."""
    lines = [
        {"text": "Netflix confirms All of Us Are Dead season 2 premieres December 4, 2026",
         "published": "2026-11-20"},
        {"text": "All of Us Are Dead season 1 premiered January 28, 2022.", "published": "2026-02-21"},
        {"text": "Hellbound season 2 arrives in October 2026, reports say.", "published": "2026-02-21",
         "show": "Hellbound"},
    ]
    text = "".join(json.dumps(line) + "\n" for line in lines[:2]) + "\n" + json.dumps(lines[2]) + "\n"
    result = run(stdin=text)
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert outputs == [
        [{"start": "2026-12-04", "end": "2026-12-04", "precision": "exact", "status": "confirmed"}],
        [],
        [],
        [{"start": "2026-10-01", "end": "2026-10-31", "precision": "month", "status": "reported"}],
    ]


def test_bad_date_exits_2_with_one_line() -> None:
    """An impossible publish date in argument mode stops the command with exit 2 and one clear line."""
    result = run("--published", "2026-02-31", "All of Us Are Dead season 2 in 2027")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "bad date" in result.stderr


def test_a_bad_line_prints_empty_array_and_the_batch_goes_on() -> None:
    """A broken JSON line answers [] with its line number on stderr; the lines after it are still read; exit 1."""
    good = json.dumps({"text": "All of Us Are Dead season 2 arrives in 2027", "published": None})
    result = run(stdin=f"{{not json\n{good}\n")
    assert result.returncode == 1
    assert "line 1" in result.stderr and result.stderr.strip().count("\n") == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        [],
        [{"start": "2027-01-01", "end": "2027-12-31", "precision": "year", "status": "confirmed"}],
    ]


def test_bad_date_in_stdin_names_the_line() -> None:
    """A bad publish date in stdin mode names the line it is on and exits 1."""
    result = run(stdin=json.dumps({"text": "x", "published": "21/02/2026"}) + "\n")
    assert result.returncode == 1 and "line 1" in result.stderr and result.stdout == "[]\n"


def test_null_published_reads_dated_phrases_only() -> None:
    """Without a publish date, dates with their own year are read and relative ones give nothing."""
    lines = [
        {"text": "Season 2 premieres December 4, 2026, Netflix confirmed.", "published": None,
         "show": "All of Us Are Dead"},
        {"text": "Season 2 premieres next month, Netflix confirmed.", "published": None,
         "show": "All of Us Are Dead"},
    ]
    result = run(stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        [{"start": "2026-12-04", "end": "2026-12-04", "precision": "exact", "status": "confirmed"}],
        [],
    ]


def test_lower_bound_has_open_end() -> None:
    """"Not before 2027" is an open window: end is null."""
    result = run("All of Us Are Dead season 2 will not arrive before 2027, reports say.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"start": "2027-01-01", "end": None, "precision": "year", "status": "reported"}
    ]
