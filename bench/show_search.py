"""Measure autocomplete latency for the bundled show pack (target: well under 5 ms per keystroke).

Run with ``python bench/show_search.py``; prints the median and the 99th percentile over a set of typical
partial queries. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import statistics
import time

from report import percentile

from bot.show import ShowIndex, load_show

QUERIES = ["", "n", "na", "nam", "nam-r", "choi nam", "최남", "cheongsna", "su-hyuk", "park solo", "gandalf", "lee"]


def main(rounds: int = 500) -> None:
    index = ShowIndex(load_show("all-of-us-are-dead"))
    samples: list[float] = []
    for _ in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            index.autocomplete(query)
            samples.append((time.perf_counter() - start) * 1000)
    p99 = percentile(samples, 0.99)
    print(f"autocomplete: {len(samples)} calls, median {statistics.median(samples):.3f} ms, p99 {p99:.3f} ms")


if __name__ == "__main__":
    main()
