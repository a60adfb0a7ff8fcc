"""Where a server's countdown starts (the show pack) and how one news item becomes one candidate claim."""

from __future__ import annotations

import logging
import re
from datetime import UTC

from bot.feeds.normalise import NewsItem
from bot.feeds.urls import host_of
from bot.release.claims import Precision, ReleaseClaim, Source, Status
from bot.release.decide import best_claim
from bot.release.reader import read_claims
from bot.show.model import ReleaseStatus, Show

log = logging.getLogger(__name__)

PACK_OUTLET = "Marquee show pack"

_PACK_PRECISION: dict[str, Precision] = {
    "day": Precision.EXACT,
    "month": Precision.MONTH,
    "quarter": Precision.QUARTER,
    "half": Precision.HALF,
    "year": Precision.YEAR,
}
_WORD = re.compile(r"[A-Za-z]+")


def show_names(show: Show) -> list[str]:
    """The names news uses for the show: its title first (claims carry it), the Korean title, the acronym.

    Fans and headlines shorten long titles to initials ("AOUAD"); three letters or fewer would match
    ordinary words, so shorter acronyms are left out.
    """
    names = [show.title, show.title_ko]
    acronym = "".join(word[0] for word in _WORD.findall(show.title)).upper()
    if len(acronym) > 3:
        names.append(acronym)
    return [n for i, n in enumerate(names) if n and n not in names[:i]]


def seed_claim(show: Show) -> ReleaseClaim | None:
    """The pack's view of the next season as a claim, or None when the pack has no window at all.

    The pack sums up many reports, so its source is the pack itself, dated by its ``as_of``.
    """
    status: ReleaseStatus | None = show.next_season
    if status is None or status.window_start is None or status.window_end is None:
        return None
    precision = _PACK_PRECISION[status.precision]
    if status.window_start == status.window_end:
        precision = Precision.EXACT
    reports = len(status.sources)
    title = f"Summary of {reports} reports" if reports else "What the show pack records"
    return ReleaseClaim(
        start=status.window_start,
        end=status.window_end,
        precision=precision,
        status=Status(status.status),
        source=Source(title=title, outlet=PACK_OUTLET, url="", published=status.as_of),
        show=show.title,
    )


def read_item(item: NewsItem, show: Show) -> ReleaseClaim | None:
    """The one claim a news item makes about the next season, or None when it makes none.

    The headline and summary are read together; the article is the claim's source, dated by its
    publication day in UTC (the decision rules order news by that date).
    """
    next_season = show.next_season.season if show.next_season is not None else 2
    published = item.published.astimezone(UTC).date()
    outlet = item.outlet or host_of(item.link) or "unknown outlet"
    source = Source(title=item.title, outlet=outlet, url=item.link, published=published)
    text = f"{item.title}\n{item.summary}"
    claims = read_claims(text, published, show_names(show), source=source, next_season=next_season)
    return best_claim(claims)
