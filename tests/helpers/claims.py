"""Claims as the countdown tests need them, with a real-looking source."""

from __future__ import annotations

from datetime import date

from bot.release.claims import Precision, ReleaseClaim, Source, Status


def claim(
    start: date,
    end: date | None = None,
    *,
    status: Status = Status.REPORTED,
    precision: Precision | None = None,
    outlet: str = "Soompi",
    published: date = date(2026, 11, 20),
    url: str = "https://www.soompi.example/article/aouad-s2",
    title: str = "All of Us Are Dead season 2 gets a date",
) -> ReleaseClaim:
    end = end or start
    if precision is None:
        precision = Precision.EXACT if start == end else Precision.MONTH
    return ReleaseClaim(
        start=start,
        end=end,
        precision=precision,
        status=status,
        source=Source(title=title, outlet=outlet, url=url, published=published),
        show="All of Us Are Dead",
    )
