"""Faults a test can ask for: failed requests, "created, then failed", and added latency.

The failures that hurt a bot in production are the ambiguous ones: a 502 after Discord already posted
the message (a naive retry posts it twice), or a slow answer that crosses an interaction's deadline.
Each fault matches requests by method and an ``fnmatch`` glob over the path after ``/api/v10``
(``/channels/*/messages``; note that ``*`` also matches ``/``).
"""

from __future__ import annotations

import fnmatch
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Fault:
    method: str | None
    path_glob: str | None
    status: int
    times: int
    body: Any = None
    after_applying: bool = False

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_glob is None or fnmatch.fnmatchcase(path, self.path_glob)


@dataclass
class Latency:
    seconds: float
    method: str | None
    path_glob: str | None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_glob is None or fnmatch.fnmatchcase(path, self.path_glob)


class Faults:
    """The active faults; the first matching failure is used up one request at a time."""

    def __init__(self) -> None:
        self._failures: list[Fault] = []
        self._latencies: list[Latency] = []

    def fail(self, method: str, path_glob: str, status: int, times: int = 1, body: Any = None) -> None:
        """Answer the next ``times`` matching requests with ``status`` without applying them.

        ``body`` replaces Discord's JSON error body; a ``str`` body is sent as an HTML page with no
        ``Via`` header, which is how a Cloudflare block looks to discord.py.
        """
        self._failures.append(Fault(method, path_glob, status, times, body))

    def created_then(self, status: int, method: str, path_glob: str, times: int = 1) -> None:
        """Apply the next ``times`` matching requests, then answer ``status`` as if they had failed."""
        self._failures.append(Fault(method, path_glob, status, times, after_applying=True))

    def latency(self, seconds: float, method: str | None = None, path_glob: str | None = None) -> None:
        """Delay every matching request by ``seconds`` until cleared."""
        self._latencies.append(Latency(seconds, method, path_glob))

    def clear(self) -> None:
        self._failures.clear()
        self._latencies.clear()

    def delay_for(self, method: str, path: str) -> float:
        return sum(lat.seconds for lat in self._latencies if lat.matches(method, path))

    def take(self, method: str, path: str) -> Fault | None:
        """Use up one occurrence of the first matching failure, if any."""
        for fault in self._failures:
            if fault.times > 0 and fault.matches(method, path):
                fault.times -= 1
                if fault.times == 0:
                    self._failures.remove(fault)
                log.info(
                    "fault: %s %s -> %s%s",
                    method,
                    path,
                    fault.status,
                    " after applying" if fault.after_applying else "",
                )
                return fault
        return None

    @property
    def pending(self) -> int:
        return sum(f.times for f in self._failures)
