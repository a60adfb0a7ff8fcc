"""Score the release-date reader against the labelled development set (issue #14).

Run with ``python bench/release_accuracy.py`` from the repository root (or name devset files as arguments).
Every row of ``bench/release/devset/*.jsonl`` goes to the reader in ONE batch through its command-line
contract (``python -m bot.release``: JSON lines in, one JSON array out per line), so the figures are those of
the contract the countdown relies on, not of some internal function.

Why the scoring is strict:
- a row without a release claim fails when the reader returns anything (a false positive);
- a row with claims has its window right only when the multiset of (start, end) pairs equals the expected one;
- status is judged only where the window is right (a right status on a wrong date helps nobody);
- a row the reader gave no output line for (it stopped early, or printed something that is not a JSON array of
  claims) counts as wrong in whichever measure applies, and the report says how many there were, so a crash can
  never pass for a quiet "no claim".

This is the DEVELOPMENT set; a separate held-out set is measured elsewhere. Exit code 0 whatever the figures;
2 when a devset row is malformed (the message names the file and line).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "bench" / "release" / "devset"

LANGS = ("en", "ko", "es", "de", "id")
STATUSES = ("confirmed", "reported", "rumoured")
PRECISIONS = ("exact", "part_of_month", "month", "quarter", "season", "half", "year")
ROW_KEYS = frozenset({"id", "lang", "kind", "text", "published", "show", "claims"})
CLAIM_KEYS = frozenset({"start", "end", "precision", "status"})

TARGET_FALSE_POSITIVES = 0.03
TARGET_WINDOW = 0.90
TARGET_STATUS = 0.85
READER_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Claim:
    """One release window: inclusive ISO dates, ``end`` None for an open lower bound."""

    start: str
    end: str | None
    precision: str | None
    status: str


@dataclass(frozen=True)
class Row:
    """One labelled sentence of the development set."""

    id: str
    lang: str
    kind: str
    text: str
    published: str | None
    show: str
    claims: tuple[Claim, ...]
    source: str


class DevsetError(Exception):
    """A devset row that cannot be scored; the message names the file and line."""


@dataclass
class Tally:
    """Counts for one group of rows (a kind, a language, or all)."""

    rows: int = 0
    no_claim_rows: int = 0
    false_positives: int = 0
    claim_rows: int = 0
    window_right: int = 0
    status_right: int = 0
    missing: int = 0
    missing_no_claim: int = 0

    def add(self, other: Tally) -> None:
        self.rows += other.rows
        self.no_claim_rows += other.no_claim_rows
        self.false_positives += other.false_positives
        self.claim_rows += other.claim_rows
        self.window_right += other.window_right
        self.status_right += other.status_right
        self.missing += other.missing
        self.missing_no_claim += other.missing_no_claim


@dataclass
class Verdict:
    """How the reader did on one row (``got`` None: no usable output line for it)."""

    row: Row
    got: tuple[Claim, ...] | None
    false_positive: bool = False
    window_right: bool = False
    status_right: bool = False

    @property
    def wrong(self) -> bool:
        if not self.row.claims:
            return self.false_positive or self.got is None
        return not (self.window_right and self.status_right)


@dataclass
class Scores:
    """Per-row verdicts with their tallies per kind, per language and in total."""

    verdicts: list[Verdict] = field(default_factory=list)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_lang: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)


# --- reading the devset ----------------------------------------------------------------------------------------


def _iso(value: object, where: str, what: str) -> str:
    if not isinstance(value, str):
        raise DevsetError(f"{where}: {what} must be a YYYY-MM-DD string, got {value!r}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise DevsetError(f"{where}: {what} {value!r} is not a valid YYYY-MM-DD date") from None
    if parsed.isoformat() != value:
        raise DevsetError(f"{where}: {what} {value!r} is not written as YYYY-MM-DD")
    return value


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DevsetError(f"{where}: {key} must be a non-empty string, got {value!r}")
    return value


def _expected_claim(data: object, where: str) -> Claim:
    if not isinstance(data, dict) or set(data) != CLAIM_KEYS:
        raise DevsetError(f"{where}: a claim must be an object with exactly {sorted(CLAIM_KEYS)}, got {data!r}")
    start = _iso(data["start"], where, "claim start")
    end = None if data["end"] is None else _iso(data["end"], where, "claim end")
    if end is not None and end < start:
        raise DevsetError(f"{where}: claim end {end} is before its start {start}")
    if data["precision"] not in PRECISIONS:
        raise DevsetError(f"{where}: precision {data['precision']!r} is not one of {PRECISIONS}")
    if data["status"] not in STATUSES:
        raise DevsetError(f"{where}: status {data['status']!r} is not one of {STATUSES}")
    return Claim(start, end, data["precision"], data["status"])


def parse_row(line: str, where: str) -> Row:
    """One devset line as a Row; DevsetError (naming ``where``) when it is not as LABELLING.md says."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise DevsetError(f"{where}: not JSON ({error})") from None
    if not isinstance(data, dict) or set(data) != ROW_KEYS:
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise DevsetError(f"{where}: a row must be an object with exactly {sorted(ROW_KEYS)}, got {keys}")
    lang = _text(data, "lang", where)
    if lang not in LANGS:
        raise DevsetError(f"{where}: lang {lang!r} is not one of {LANGS}")
    published = None if data["published"] is None else _iso(data["published"], where, "published")
    claims = data["claims"]
    if not isinstance(claims, list):
        raise DevsetError(f"{where}: claims must be a list, got {claims!r}")
    return Row(
        id=_text(data, "id", where),
        lang=lang,
        kind=_text(data, "kind", where),
        text=_text(data, "text", where),
        published=published,
        show=_text(data, "show", where),
        claims=tuple(_expected_claim(claim, where) for claim in claims),
        source=where,
    )


def load_rows(paths: Iterable[Path]) -> list[Row]:
    """Every row of the given files, in order; blank lines are skipped, ids must be unique across files."""
    rows: list[Row] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            row = parse_row(line, where)
            if row.id in seen:
                raise DevsetError(f"{where}: id {row.id!r} already used at {seen[row.id]}")
            seen[row.id] = where
            rows.append(row)
    return rows


def devset_files() -> list[Path]:
    return sorted(DEVSET.glob("*.jsonl"))


# --- running the reader ----------------------------------------------------------------------------------------


@dataclass
class ReaderRun:
    """What one batch through ``python -m bot.release`` gave back."""

    outputs: list[tuple[Claim, ...] | None]
    returncode: int
    lines_back: int
    unreadable_lines: int
    stderr: str


def _got_claim(data: object) -> Claim | None:
    if not isinstance(data, dict):
        return None
    start, end, status = data.get("start"), data.get("end"), data.get("status")
    precision = data.get("precision")
    if not isinstance(start, str) or not (end is None or isinstance(end, str)) or not isinstance(status, str):
        return None
    return Claim(start, end, precision if isinstance(precision, str) else None, status)


def parse_output_line(line: str) -> tuple[Claim, ...] | None:
    """One output line as claims; None when it is not a JSON array of claim objects."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, list):
        return None
    claims = [_got_claim(item) for item in data]
    if any(claim is None for claim in claims):
        return None
    return tuple(claim for claim in claims if claim is not None)


def run_reader(rows: Sequence[Row]) -> ReaderRun:
    """Feed every row to the reader's CLI in one batch; rows it printed no usable line for get None."""
    batch = "".join(
        json.dumps({"text": row.text, "published": row.published, "show": row.show}, ensure_ascii=False) + "\n"
        for row in rows
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["PYTHONIOENCODING"] = "utf-8"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.release"],
            input=batch,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env=env,
            timeout=READER_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ReaderRun([None] * len(rows), -1, 0, 0, f"timed out after {READER_TIMEOUT_SECONDS} s")
    lines = done.stdout.splitlines()
    parsed = [parse_output_line(line) for line in lines[: len(rows)]]
    unreadable = sum(claims is None for claims in parsed)
    outputs = parsed + [None] * (len(rows) - len(parsed))
    return ReaderRun(outputs, done.returncode, len(lines), unreadable, done.stderr)


# --- scoring ---------------------------------------------------------------------------------------------------


def judge(row: Row, got: tuple[Claim, ...] | None) -> Verdict:
    """The verdict on one row: false positive, window right, status right (see the module docstring)."""
    verdict = Verdict(row, got)
    if got is None:
        return verdict
    if not row.claims:
        verdict.false_positive = bool(got)
        return verdict
    verdict.window_right = Counter((c.start, c.end) for c in got) == Counter((c.start, c.end) for c in row.claims)
    if verdict.window_right:
        verdict.status_right = Counter((c.start, c.end, c.status) for c in got) == Counter(
            (c.start, c.end, c.status) for c in row.claims
        )
    return verdict


def _tally(verdict: Verdict) -> Tally:
    tally = Tally(rows=1, missing=int(verdict.got is None))
    if verdict.row.claims:
        tally.claim_rows = 1
        tally.window_right = int(verdict.window_right)
        tally.status_right = int(verdict.status_right)
    else:
        tally.no_claim_rows = 1
        # No output is no pass: a row the reader dropped counts against it like a false positive.
        tally.false_positives = int(verdict.false_positive or verdict.got is None)
        tally.missing_no_claim = int(verdict.got is None)
    return tally


def score(rows: Sequence[Row], outputs: Sequence[tuple[Claim, ...] | None]) -> Scores:
    """Judge every row against the reader's output for it (same order; missing outputs count as None)."""
    scores = Scores()
    padded = list(outputs) + [None] * (len(rows) - len(outputs))
    for row, got in zip(rows, padded, strict=False):
        verdict = judge(row, got)
        scores.verdicts.append(verdict)
        tally = _tally(verdict)
        scores.by_kind.setdefault(row.kind, Tally()).add(tally)
        scores.by_lang.setdefault(row.lang, Tally()).add(tally)
        scores.total.add(tally)
    return scores


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def totals(scores: Scores) -> dict[str, Any]:
    """The headline figures against the targets, as ``--json`` prints them."""
    t = scores.total
    fp_rate = rate(t.false_positives, t.no_claim_rows)
    window_rate = rate(t.window_right, t.claim_rows)
    status_rate = rate(t.status_right, t.window_right)
    return {
        "rows": t.rows,
        "missing_outputs": t.missing,
        "no_claim_rows": t.no_claim_rows,
        "false_positives": t.false_positives,
        "false_positives_without_output": t.missing_no_claim,
        "false_positive_rate": fp_rate,
        "false_positive_pass": fp_rate is not None and fp_rate <= TARGET_FALSE_POSITIVES,
        "claim_rows": t.claim_rows,
        "window_right": t.window_right,
        "window_rate": window_rate,
        "window_pass": window_rate is not None and window_rate >= TARGET_WINDOW,
        "status_right": t.status_right,
        "status_rate": status_rate,
        "status_pass": status_rate is not None and status_rate >= TARGET_STATUS,
    }


# --- printing --------------------------------------------------------------------------------------------------


def _fraction(part: int, whole: int) -> str:
    if not whole:
        return "-"
    return f"{part}/{whole} ({100 * part / whole:.0f} %)"


def _table(title: str, groups: dict[str, Tally]) -> list[str]:
    header = ("", "rows", "no output", "false pos. (+no output)", "window right", "status right")
    body = [
        (
            name,
            str(t.rows),
            str(t.missing),
            _fraction(t.false_positives, t.no_claim_rows),
            _fraction(t.window_right, t.claim_rows),
            _fraction(t.status_right, t.window_right),
        )
        for name, t in sorted(groups.items())
    ]
    widths = [max(len(cells[i]) for cells in [header, *body]) for i in range(len(header))]
    lines = [title]
    for cells in [header, *body]:
        lines.append(
            "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(cells))
        )
    return lines


def _claims_text(claims: tuple[Claim, ...] | None) -> str:
    if claims is None:
        return "(no output)"
    return json.dumps([{"start": c.start, "end": c.end, "precision": c.precision, "status": c.status} for c in claims])


def report(scores: Scores, run: ReaderRun, *, misses: bool) -> str:
    """The human-readable report: reader health, tables per kind and language, totals against the targets."""
    lines: list[str] = []
    rows = scores.total.rows
    lines.append(f"reader: python -m bot.release, {rows} rows in one batch, exit code {run.returncode}")
    if run.lines_back < rows or run.unreadable_lines:
        lines.append(
            f"WARNING: {run.lines_back} output lines for {rows} rows ({run.unreadable_lines} unreadable); "
            f"{scores.total.missing} rows without usable output are counted as wrong "
            "(a false positive on a no-claim row, a wrong window on a claim row)"
        )
    error_lines = [line for line in run.stderr.splitlines() if line.strip()]
    if error_lines:
        lines.append(f"stderr ({len(error_lines)} lines), last: {error_lines[-1][:200]}")
    lines.append("")
    lines.extend(_table("per kind", scores.by_kind))
    lines.append("")
    lines.extend(_table("per language", scores.by_lang))
    lines.append("")
    figures = totals(scores)
    t = scores.total

    def verdict(passed: bool) -> str:
        return "PASS" if passed else "MISS"

    lines.append("totals (development set)")
    for name, part, whole, target, passed in (
        ("false positives", t.false_positives, t.no_claim_rows, "<= 3 %", figures["false_positive_pass"]),
        ("window right", t.window_right, t.claim_rows, ">= 90 %", figures["window_pass"]),
        ("status right", t.status_right, t.window_right, ">= 85 %", figures["status_pass"]),
    ):
        lines.append(f"  {name:<16} {_fraction(part, whole):>18}  target {target:<7}  {verdict(passed)}")
    if t.missing:
        lines.append(
            f"  ({t.missing_no_claim} of the false positives and {t.missing - t.missing_no_claim} of the wrong "
            "windows are rows the reader gave no usable output for)"
        )
    if misses:
        lines.append("")
        lines.append("misses")
        for v in scores.verdicts:
            if v.wrong:
                lines.append(f"- {v.row.id} [{v.row.kind}] published={v.row.published} show={v.row.show}")
                lines.append(f"    text:     {v.row.text}")
                lines.append(f"    expected: {_claims_text(v.row.claims)}")
                lines.append(f"    got:      {_claims_text(v.got)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("files", nargs="*", type=Path, help="devset files (default: bench/release/devset/*.jsonl)")
    parser.add_argument("--misses", action="store_true", help="print every wrong row: id, text, expected, got")
    parser.add_argument("--json", action="store_true", help="print the totals as one JSON object")
    args = parser.parse_args(argv)
    files: list[Path] = args.files or devset_files()
    try:
        rows = load_rows(files)
    except (DevsetError, OSError) as error:
        print(f"malformed devset: {error}", file=sys.stderr)
        return 2
    if not rows:
        print("malformed devset: no rows found", file=sys.stderr)
        return 2
    run = run_reader(rows)
    scores = score(rows, run.outputs)
    if args.json:
        figures = totals(scores)
        figures["reader_exit_code"] = run.returncode
        figures["reader_output_lines"] = run.lines_back
        print(json.dumps(figures))
    else:
        print(report(scores, run, misses=args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
