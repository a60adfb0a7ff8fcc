"""The release reader's development set is well-formed and covers what issue #14 asks; its scorer counts right.

These tests check the DATA and the scoring arithmetic, never the reader: the reader's figures come from
`python bench/release_accuracy.py`, a report rather than a pass/fail gate.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT / "bench" / "release" / "devset"
RULES = ROOT / "bench" / "release" / "LABELLING.md"
SCRIPT = ROOT / "bench" / "release_accuracy.py"
LANGS = {"en", "ko", "es", "de", "id"}
STATUSES = {"confirmed", "reported", "rumoured"}
PRECISIONS = {"exact", "part_of_month", "month", "quarter", "season", "half", "year"}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release_accuracy", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def accuracy() -> ModuleType:
    return _load_script()


def _rows() -> list[tuple[Path, int, dict[str, Any]]]:
    rows = []
    for path in sorted(DEVSET.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                rows.append((path, number, json.loads(line)))
    return rows


def _documented_kinds() -> set[str]:
    kinds = set(re.findall(r"^\| `([a-z_]+)` \|", RULES.read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert kinds, "LABELLING.md lists no kinds"
    return kinds


def _iso(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None and _valid(value)


def _valid(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


ROWS = _rows()


def test_every_row_has_the_documented_fields_and_vocabularies() -> None:
    """Each row has exactly the fields LABELLING.md names, with lang, kind, precision and status from its lists."""
    kinds = _documented_kinds()
    for path, number, row in ROWS:
        where = f"{path.name}:{number}"
        assert set(row) == {"id", "lang", "kind", "text", "published", "show", "claims"}, where
        assert row["lang"] in LANGS and row["lang"] == path.stem, where
        assert row["kind"] in kinds, f"{where}: undocumented kind {row['kind']!r}"
        assert isinstance(row["text"], str) and row["text"].strip(), where
        assert isinstance(row["show"], str) and row["show"].strip(), where
        assert isinstance(row["claims"], list), where
        for claim in row["claims"]:
            assert set(claim) == {"start", "end", "precision", "status"}, where
            assert claim["precision"] in PRECISIONS, where
            assert claim["status"] in STATUSES, where


def test_every_date_is_a_valid_iso_day_and_windows_run_forwards() -> None:
    """Published dates are null or real YYYY-MM-DD days; every window starts on or before its end."""
    for path, number, row in ROWS:
        where = f"{path.name}:{number}"
        assert row["published"] is None or _iso(row["published"]), where
        for claim in row["claims"]:
            assert _iso(claim["start"]), where
            assert claim["end"] is None or _iso(claim["end"]), where
            assert claim["end"] is None or claim["start"] <= claim["end"], where


def test_ids_are_unique_across_files() -> None:
    """No two rows share an id, so a miss the scorer prints points at one sentence."""
    ids = Counter(row["id"] for _, _, row in ROWS)
    assert [i for i, n in ids.items() if n > 1] == []


def test_the_scorer_accepts_every_file(accuracy: ModuleType) -> None:
    """The scoring script reads every devset file without calling a row malformed."""
    rows = accuracy.load_rows(accuracy.devset_files())
    assert len(rows) == len(ROWS)


def test_the_set_is_big_enough() -> None:
    """English alone has at least 200 rows; once the other languages land, the set has at least 300."""
    per_lang = Counter(row["lang"] for _, _, row in ROWS)
    assert per_lang["en"] >= 200
    if (DEVSET / "ko.jsonl").exists():
        assert sum(per_lang.values()) >= 300


def test_every_language_with_a_file_has_rows() -> None:
    """English is present, and each language file that exists holds rows of that language."""
    files = {path.stem for path in DEVSET.glob("*.jsonl")}
    assert "en" in files
    assert files <= LANGS
    present = {row["lang"] for _, _, row in ROWS}
    assert present == files


def test_at_least_forty_percent_of_rows_have_no_claim() -> None:
    """Distractors are plentiful, so a reader that claims dates everywhere is caught."""
    no_claim = sum(1 for _, _, row in ROWS if not row["claims"])
    assert no_claim >= 0.4 * len(ROWS)


def test_every_documented_kind_is_used() -> None:
    """Each kind LABELLING.md documents has at least one row, so the per-kind table has no blind spot."""
    used = {row["kind"] for _, _, row in ROWS}
    assert _documented_kinds() - used == set()


def test_all_three_statuses_are_well_represented() -> None:
    """Confirmed, reported and rumoured claims each make up at least a tenth of the claims."""
    statuses = Counter(claim["status"] for _, _, row in ROWS for claim in row["claims"])
    total = sum(statuses.values())
    assert all(statuses[status] >= 0.1 * total for status in STATUSES), statuses


def test_scoring_counts_false_positives_windows_and_statuses(accuracy: ModuleType) -> None:
    """On a hand-made batch the scorer counts each false positive, right window and right status exactly once."""

    def row(rid: str, kind: str, claims: list[tuple[str, str | None, str]]) -> Any:
        line = json.dumps(
            {
                "id": rid,
                "lang": "en",
                "kind": kind,
                "text": "t",
                "published": None,
                "show": "s",
                "claims": [{"start": s, "end": e, "precision": "exact", "status": st} for s, e, st in claims],
            }
        )
        return accuracy.parse_row(line, f"hand:{rid}")

    def out(*claims: tuple[str, str | None, str]) -> tuple[Any, ...]:
        return tuple(accuracy.Claim(s, e, None, st) for s, e, st in claims)

    a, b = ("2026-12-04", "2026-12-04", "confirmed"), ("2027-01-01", None, "reported")
    rows = [
        row("quiet", "past", []),  # right: nothing claimed
        row("noisy", "past", []),  # false positive
        row("dropped", "past", []),  # no output line: counted against the reader
        row("both", "multi", [a, b]),  # windows in another order, statuses right
        row("status", "exact", [a]),  # window right, status wrong
        row("window", "exact", [a]),  # window wrong (an extra claim)
        row("lost", "exact", [a]),  # no output line
    ]
    outputs = [
        out(),
        out(a),
        None,
        out(b, a),
        out((a[0], a[1], "rumoured")),
        out(a, a),
    ]  # one line short: "lost" never came back
    scores = accuracy.score(rows, outputs)
    t = scores.total
    assert (t.rows, t.no_claim_rows, t.false_positives, t.missing, t.missing_no_claim) == (7, 3, 2, 2, 1)
    assert (t.claim_rows, t.window_right, t.status_right) == (4, 2, 1)
    assert scores.by_kind["exact"].window_right == 1 and scores.by_kind["multi"].status_right == 1
    assert [v.row.id for v in scores.verdicts if v.wrong] == ["noisy", "dropped", "status", "window", "lost"]
    figures = accuracy.totals(scores)
    assert figures["false_positive_rate"] == pytest.approx(2 / 3) and not figures["false_positive_pass"]
    assert figures["window_rate"] == pytest.approx(0.5) and figures["status_rate"] == pytest.approx(0.5)


def test_a_malformed_row_names_its_file_and_line(accuracy: ModuleType, tmp_path: Path) -> None:
    """A devset row with an impossible date stops the script with exit code 2 and says where it is."""
    bad = tmp_path / "en.jsonl"
    good = {"id": "x-1", "lang": "en", "kind": "exact", "text": "t", "published": None, "show": "s", "claims": []}
    broken = dict(good, id="x-2", published="2026-02-30")
    bad.write_text(json.dumps(good) + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    with pytest.raises(accuracy.DevsetError, match=r"en\.jsonl:2"):
        accuracy.load_rows([bad])
    assert accuracy.main([str(bad)]) == 2
