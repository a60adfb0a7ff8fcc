"""Release knowledge: claims about the next season's date, the news reader, and the decision rules."""

from bot.release.claims import (
    Precision,
    ReleaseClaim,
    Source,
    Status,
    claim_from_json,
    claim_to_json,
    window_in_words,
)
from bot.release.decide import Decision, Reason, best_claim, decide
from bot.release.reader import Window, parse_window, read_claims

__all__ = [
    "Decision",
    "Precision",
    "Reason",
    "ReleaseClaim",
    "Source",
    "Status",
    "Window",
    "best_claim",
    "claim_from_json",
    "claim_to_json",
    "decide",
    "parse_window",
    "read_claims",
    "window_in_words",
]
