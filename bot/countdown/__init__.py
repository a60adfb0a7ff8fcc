"""The countdown's Discord-free side: where it starts, what the pinned message says, and when it changes.

``service.CountdownService`` owns the feature's rules and storage calls, and ``keeper`` keeps one server's pinned
message true through the port in ``channel`` (implemented in ``cogs/countdown``). The pure parts: ``seed`` turns
the show pack's release status into the first claim, ``milestones`` knows the moments an exact date makes worth
marking (a week, a day, release day), ``render`` writes the pinned card, the change announcement and history
lines, and ``pacing`` decides when an edit may go out.
"""

from bot.countdown.milestones import Stage, next_milestone, release_moment, stage
from bot.countdown.pacing import EDIT_INTERVAL, card_digest, next_edit_at
from bot.countdown.render import (
    HistoryLine,
    announcement,
    claim_in_words,
    countdown_card,
    history_line,
    reason_words,
)
from bot.countdown.seed import read_item, seed_claim, show_names

__all__ = [
    "EDIT_INTERVAL",
    "HistoryLine",
    "Stage",
    "announcement",
    "card_digest",
    "claim_in_words",
    "countdown_card",
    "history_line",
    "next_edit_at",
    "next_milestone",
    "read_item",
    "reason_words",
    "release_moment",
    "seed_claim",
    "show_names",
    "stage",
]
