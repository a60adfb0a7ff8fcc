"""When the pinned message may be edited: only when its text changed, and at most once a minute.

News can arrive in bursts (several outlets repeating one announcement within seconds); editing for each
would hit Discord's rate limits and make the pin flicker. Changes inside the minute are coalesced: the
message is edited once, when the minute is up, with whatever is newest then.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from datetime import datetime, timedelta

from bot.cards import Card

log = logging.getLogger(__name__)

EDIT_INTERVAL = timedelta(minutes=1)


def card_digest(card: Card) -> str:
    """A fingerprint of everything the reader sees, so an unchanged card is never sent again."""
    data = asdict(card)
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def next_edit_at(last_edit_at: datetime | None, now: datetime) -> datetime:
    """The earliest moment the message may be edited again (``now`` when it may be edited at once)."""
    if last_edit_at is None:
        return now
    return max(now, last_edit_at + EDIT_INTERVAL)
