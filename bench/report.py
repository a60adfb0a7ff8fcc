"""What every benchmark reports with: one percentile, tables, figure formats and the results file.

Each script prints its tables and writes them to ``bench/results/<name>.md`` with the machine, the date and the
exact command, in the one shape ``docs/performance.md`` is assembled from.
"""

from __future__ import annotations

import os
import platform
import shlex
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.5 is the median, 0.99 the 99th percentile); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    """Seconds as milliseconds with one decimal, the unit of the latency tables."""
    return f"{seconds * 1000:.1f}"


def mib(size: float) -> str:
    return f"{size / (1024 * 1024):.1f}"


def kib(size: float) -> str:
    return f"{size / 1024:,.0f}"


@dataclass
class Table:
    """One table of results: printed as aligned text, written as Markdown; ``title`` may be empty."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    @classmethod
    def of(cls, headers: Sequence[str], rows: Iterable[Sequence[object]], title: str = "") -> Table:
        made = cls(title, list(headers))
        for row in rows:
            made.add(*row)
        return made

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def text(self) -> str:
        widths = [max([len(h)] + [len(r[i]) for r in self.rows]) for i, h in enumerate(self.headers)]
        lines = [self.title] if self.title else []
        lines.append("  ".join(h.ljust(w) for h, w in zip(self.headers, widths, strict=True)))
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in self.rows]
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [f"**{self.title}**", ""] if self.title else []
        lines += ["| " + " | ".join(self.headers) + " |", "|" + "|".join("---" for _ in self.headers) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def machine() -> str:
    """The machine line every results file carries."""
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    return (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
        f"(load average at the end: {load})"
    )


def write_results(name: str, summary: str, tables: Iterable[Table], notes: Iterable[str]) -> Path:
    """Print the tables and notes; write ``bench/results/<name>.md`` with the machine, date and command."""
    tables = list(tables)
    notes = list(notes)
    for table in tables:
        print()
        print(table.text())
    for note in notes:
        print(f"- {note}")
    command = "python " + " ".join(shlex.quote(a) for a in [f"bench/{name}.py", *sys.argv[1:]])
    parts = [
        f"# {name}",
        "",
        summary,
        "",
        f"- Machine: {machine()}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        "",
    ]
    for table in tables:
        parts += [table.markdown(), ""]
    if notes:
        parts += ["Notes:", "", *[f"- {note}" for note in notes], ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return path
