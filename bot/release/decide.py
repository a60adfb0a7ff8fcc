"""Whether a newly read claim should replace the countdown's current one.

The news contradicts itself and arrives out of order, so the countdown must not flip with every article.
A claim wins only when it is at least as sure and newer, or when it narrows the current window at the
same certainty. A confirmed date moves only with a newer confirmation (a delay) or by a moderator's hand.
Everything that loses is still worth keeping in the history, which is why a decision carries its reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.release.claims import ReleaseClaim, Status

log = logging.getLogger(__name__)


class Reason(StrEnum):
    """Why a claim was accepted or kept out; stored with the history entry."""

    FIRST = "first"
    MODERATOR = "moderator"
    NEWER = "newer"
    STRONGER = "stronger"
    NARROWER = "narrower"
    SAME = "same"
    WEAKER = "weaker"
    OLDER = "older"
    CONFLICT = "conflict"
    CONFIRMED_HOLDS = "confirmed_holds"


_MESSAGES: dict[Reason, str] = {
    Reason.FIRST: "nothing was known before",
    Reason.MODERATOR: "set by a moderator",
    Reason.NEWER: "newer news, at least as sure",
    Reason.STRONGER: "surer than what was known",
    Reason.NARROWER: "narrows the window, just as sure",
    Reason.SAME: "says what is already known",
    Reason.WEAKER: "less sure than what is known",
    Reason.OLDER: "older than what is known",
    Reason.CONFLICT: "conflicts with what is known at the same certainty",
    Reason.CONFIRMED_HOLDS: "a confirmed date changes only with a newer confirmation",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one candidate claim: ``accepted`` replaces the current claim, else it goes to history."""

    accepted: bool
    reason: Reason

    @property
    def message(self) -> str:
        """Short words for the history and the change announcement ("narrows the window, just as sure")."""
        return _MESSAGES[self.reason]


def decide(current: ReleaseClaim | None, candidate: ReleaseClaim, *, by_moderator: bool = False) -> Decision:
    """Apply the decision rules to ``candidate`` against the countdown's ``current`` claim.

    Publish dates order the news, not arrival: an older article read late never moves the countdown back.
    A surer claim published the same day as the current one counts as newer (a same-day confirmation of
    a rumour); for the same certainty only a strictly newer article moves a window it does not narrow.
    """
    if by_moderator:
        return Decision(True, Reason.MODERATOR)
    if current is None:
        return Decision(True, Reason.FIRST)
    if candidate.same_window(current) and candidate.status == current.status:
        return Decision(False, Reason.SAME)
    newer = candidate.source.published > current.source.published
    same_day = candidate.source.published == current.source.published
    if current.status == Status.CONFIRMED:
        if candidate.status == Status.CONFIRMED and newer:
            return Decision(True, Reason.NEWER)
        return Decision(False, Reason.CONFIRMED_HOLDS)
    if candidate.status < current.status:
        return Decision(False, Reason.WEAKER)
    if candidate.status > current.status:
        if newer or same_day:
            return Decision(True, Reason.STRONGER)
        return Decision(False, Reason.OLDER)
    if candidate.within(current) and not candidate.same_window(current):
        return Decision(True, Reason.NARROWER)
    if newer:
        return Decision(True, Reason.NEWER)
    if same_day:
        return Decision(False, Reason.CONFLICT)  # two stories at one certainty on one day: keep ours
    return Decision(False, Reason.OLDER)


def best_claim(claims: Iterable[ReleaseClaim]) -> ReleaseClaim | None:
    """The one claim an article contributes: the surest, then the narrowest, then the first written."""
    ranked = sorted(enumerate(claims), key=lambda item: (-item[1].status.rank, item[1].days, item[0]))
    return ranked[0][1] if ranked else None
