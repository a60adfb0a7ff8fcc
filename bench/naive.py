"""The polling baseline: ``feedparser.parse(url)`` for each feed, one after another, in its own process.

``run_naive`` (in the benchmark) starts ``python bench/naive.py URL_FILE``, which prints one JSON line: wall
time, CPU seconds of its own process, entries read and feeds that failed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from report import ROOT

NAIVE = Path(__file__).resolve()


def naive_loop(url_file: Path) -> dict[str, Any]:
    import feedparser

    urls = url_file.read_text().split()
    started, cpu = time.perf_counter(), time.process_time()
    entries = failures = 0
    for url in urls:
        document = feedparser.parse(url)
        entries += len(document.entries)
        failures += int(bool(document.get("bozo")) and not document.entries)
    result = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "entries": entries}
    return {**result, "failures": failures}


async def run_naive(urls: Sequence[str], workdir: Path) -> dict[str, Any]:
    """Run the baseline over ``urls`` in its own process, so its CPU time is its own."""
    url_file = workdir / "naive-urls.txt"
    url_file.write_text("\n".join(urls))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(NAIVE), str(url_file), stdout=asyncio.subprocess.PIPE, cwd=str(ROOT)
    )
    out, _ = await proc.communicate()
    answer: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return answer


if __name__ == "__main__":
    print(json.dumps(naive_loop(Path(sys.argv[1]))))
