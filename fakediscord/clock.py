"""The fake's sense of time, which tests can move forward.

Discord's deadlines (3 s to acknowledge an interaction, 15 min of interaction webhook, rate-limit
windows) are what a test most wants to cross without waiting for them. Every deadline in the fake reads
this clock, so ``advance`` moves all of them together while real time keeps flowing underneath.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


class Clock:
    """Monotonic seconds: the process's monotonic time plus whatever a test has skipped."""

    def __init__(self) -> None:
        self._skipped = 0.0

    def now(self) -> float:
        return time.monotonic() + self._skipped

    def advance(self, seconds: float) -> None:
        """Pretend ``seconds`` have passed (for deadlines and rate-limit windows, not for sleeps)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._skipped += seconds
        log.debug("fake clock advanced by %.3f s", seconds)

    def wall(self) -> float:
        """Unix time in seconds, shifted by the same skip (for ``X-RateLimit-Reset``)."""
        return time.time() + self._skipped
