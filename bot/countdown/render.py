"""What fans read: the pinned countdown card, the change announcement, and the history lines.

The card says how sure the news is before it says anything else, because the date of an unreleased season
changes with every rumour. An exact date is written as Discord timestamps (``<t:…:D>``, ``<t:…:R>``) so
every reader sees it in their own language and time zone; a window is written in words, since a relative
"in 3 months" would claim more than anyone knows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.cards import MESSAGE_LIMIT, Card, CardField, link_url, masked_link, plain, strip_invisible, truncate
from bot.countdown.milestones import Stage, release_moment, stage
from bot.release.claims import ReleaseClaim, Status, window_in_words
from bot.release.decide import Decision, Reason

log = logging.getLogger(__name__)

LOCKED = "locked"
SOURCE_TITLE_LIMIT = 180

_BADGES: dict[Status, str] = {
    Status.CONFIRMED: "✅ Confirmed",
    Status.REPORTED: "📰 Reported",
    Status.RUMOURED: "💬 Rumoured",
}
_COLOURS: dict[Status, int] = {
    Status.CONFIRMED: 0x2ECC71,
    Status.REPORTED: 0xF1C40F,
    Status.RUMOURED: 0x95A5A6,
}
OUT_COLOUR = 0xE74C3C


def _stamp(moment: datetime, style: str) -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def claim_in_words(claim: ReleaseClaim | None) -> str:
    """``"reported early December 2026"``: the status and the window, as the announcement writes them."""
    if claim is None:
        return "nothing known"
    return f"{claim.status.value} {window_in_words(claim)}"


def source_line(claim: ReleaseClaim) -> str:
    """The article with its outlet and date, linked when it has a web address."""
    source = claim.source
    named = masked_link(strip_invisible(source.title).strip() or "untitled", source.url, SOURCE_TITLE_LIMIT)
    outlet = f"{plain(source.outlet)}, " if source.outlet else ""
    return f"{named} — {outlet}{source.published.isoformat()}"


def _headline(claim: ReleaseClaim, now: datetime, season: int) -> str:
    label = claim.status.value.capitalize()
    current = stage(claim, now)
    if current in (Stage.WINDOW, Stage.PASSED):
        line = f"**{label}: {window_in_words(claim)}**"
        if current == Stage.PASSED:
            return line + "\nThat window has passed without a confirmed date; waiting for news."
        return line + "\nNo exact date yet. This message changes by itself when the news does."
    out = release_moment(claim.start)
    if current == Stage.OUT:
        if claim.status == Status.CONFIRMED:
            return f"**Out now**: season {season} arrived {_stamp(out, 'D')}."
        return f"**{label}: {_stamp(out, 'D')}**\nThat day has passed without a confirmation; waiting for news."
    line = f"**{label}: {_stamp(out, 'D')}** ({_stamp(out, 'R')})"
    if current == Stage.DAY:
        return line + "\nLess than a day to go!"
    if current == Stage.WEEK:
        return line + "\nLess than a week to go."
    return line


def countdown_card(
    claim: ReleaseClaim | None,
    *,
    show_title: str,
    season: int,
    changed_at: datetime,
    locked: bool,
    now: datetime,
) -> Card:
    """The pinned message at ``now``: what is known, how sure, from where, and when it last changed."""
    title = truncate(f"{show_title}: season {season}", 256)
    footer = (
        "Locked by a moderator: news does not change this countdown."
        if locked
        else "Follows the news by itself. /countdown show has the recent changes."
    )
    if claim is None:
        return Card(
            title=title,
            description=f"Nothing is known yet about when season {season} arrives.",
            fields=(CardField("Last changed", _stamp(changed_at, "D"), inline=True),),
            footer=footer,
        ).check()
    out_now = stage(claim, now) == Stage.OUT and claim.status == Status.CONFIRMED
    fields = (
        CardField("Status", _BADGES[claim.status], inline=True),
        CardField("Last changed", _stamp(changed_at, "D"), inline=True),
        CardField("Source", truncate(source_line(claim), 1024)),
    )
    return Card(
        title=title,
        description=_headline(claim, now, season),
        fields=fields,
        footer=footer,
        colour=OUT_COLOUR if out_now else _COLOURS[claim.status],
    ).check()


def reason_words(reason: str) -> str:
    """The stored reason code in words ("narrows the window, just as sure")."""
    if reason == LOCKED:
        return "the countdown is locked by a moderator"
    try:
        known = Reason(reason)
    except ValueError:
        return reason
    return Decision(True, known).message


def announcement(
    before: ReleaseClaim | None, after: ReleaseClaim, reason: str, *, show_title: str, role_mention: str | None
) -> str:
    """The one short post when the status or window changes: what changed, on whose word, and why.

    "reported early December 2026 → confirmed December 4, 2026 — Netflix, 2026-11-20 (surer than what
    was known)"
    """
    source = after.source
    who = f"{source.outlet}, " if source.outlet else ""
    line = (
        f"**{plain(show_title)} countdown:** {claim_in_words(before)} → {claim_in_words(after)}"
        f" — {plain(who)}{source.published.isoformat()} ({reason_words(reason)})"
    )
    if source.url.startswith(("https://", "http://")):
        line += f"\n<{link_url(source.url)}>"
    text = f"{role_mention} {line}" if role_mention else line
    return truncate(text, MESSAGE_LIMIT)


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One history entry as stored: the candidate, whether it won, why, and when it was considered."""

    claim: ReleaseClaim
    accepted: bool
    reason: str
    at: datetime


def history_line(entry: HistoryLine) -> str:
    """``"2026-11-21 ✅ confirmed December 4, 2026 — Netflix (surer than what was known)"``."""
    mark = "✅" if entry.accepted else "✗"
    outlet = f" — {plain(entry.claim.source.outlet)}" if entry.claim.source.outlet else ""
    verdict = "" if entry.accepted else "kept out: "
    return (
        f"{entry.at.date().isoformat()} {mark} {claim_in_words(entry.claim)}{outlet}"
        f" ({verdict}{reason_words(entry.reason)})"
    )
