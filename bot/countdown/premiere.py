"""The premiere as a server event: whether the countdown's claim deserves one, and what it says.

Only a confirmed, exact day makes an event: a window or a report would put a date in every member's
calendar that the news has not earned. The start is the platform's release time on that day, in the
platform's own zone (the show pack's ``release_clock``: Netflix's 00:00 US Pacific is 08:00 UTC in winter and
07:00 in summer), and the event lasts an hour. Everything here is pure, so the keeper can compare what the
event should say with what it was last told (``digest``) and change Discord only when they differ.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cards import defuse_mentions, link_url, strip_invisible, truncate
from bot.release.claims import ReleaseClaim, Status
from bot.show import Show

LENGTH = timedelta(hours=1)
# Discord's limits for a scheduled event (name 1–100, description up to 1000, location 1–100 characters).
NAME_LIMIT = 100
DESCRIPTION_LIMIT = 1000
LOCATION_LIMIT = 100
TITLE_LIMIT = 300


@dataclass(frozen=True, slots=True)
class Premiere:
    """The external event the server should have for the premiere."""

    day: date  # the release day the event stands for
    name: str
    location: str
    start: datetime
    end: datetime
    description: str

    def digest(self) -> str:
        """What the event was last told, so an unchanged premiere costs no request."""
        text = "\n".join((self.name, self.location, self.start.isoformat(), self.end.isoformat(), self.description))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def event_name(show: Show) -> str:
    """``All of Us Are Dead — season 2 premiere``: also how a lost event of Marquee's is found again."""
    season = show.next_season.season if show.next_season is not None else 2
    return truncate(f"{show.title} — season {season} premiere", NAME_LIMIT)


def is_exact_confirmation(claim: ReleaseClaim | None) -> bool:
    """A confirmed claim naming one day: the only kind that earns an event."""
    return claim is not None and claim.status == Status.CONFIRMED and claim.start == claim.end


def premiere_for(claim: ReleaseClaim | None, show: Show) -> Premiere | None:
    """The event the claim deserves, or None (not a confirmed day, or the pack does not say the release time)."""
    clock = show.release_clock
    if claim is None or clock is None or not is_exact_confirmation(claim):
        return None
    start = datetime.combine(claim.start, clock.time, tzinfo=ZoneInfo(clock.timezone)).astimezone(UTC)
    return Premiere(
        day=claim.start,
        name=event_name(show),
        location=truncate(show.network, LOCATION_LIMIT),
        start=start,
        end=start + LENGTH,
        description=_description(claim),
    )


def _description(claim: ReleaseClaim) -> str:
    source = claim.source
    title = truncate(defuse_mentions(strip_invisible(source.title)).strip() or "untitled", TITLE_LIMIT)
    outlet = defuse_mentions(strip_invisible(source.outlet)).strip() or "the news"
    lines = [f"Confirmed by {outlet}: “{title}” ({source.published.isoformat()})."]
    if source.url:
        lines.append(link_url(source.url))
    lines.append("Marquee moves this event if the date changes, and cancels it if the date is withdrawn.")
    return truncate("\n".join(lines), DESCRIPTION_LIMIT)
