"""Show packs: the data behind ``/cast`` and ``/recap``, its validation, search and rendering.

A pack is a TOML file (bundled ones live in ``bot/show/packs/``); ``load_show`` validates it completely at
start-up, ``ShowIndex`` finds people and characters by any spelling, and ``bot.show.render`` turns the data
into Discord-free cards.
"""

from bot.show.errors import (
    EpisodeOutOfRange,
    NoArc,
    NotInSeason,
    SeasonNotFound,
    ShowPackError,
    UnknownEntry,
)
from bot.show.loader import bundled_packs, load_show, parse_show, word_count
from bot.show.model import (
    Arc,
    Beat,
    Character,
    Credit,
    Episode,
    Fate,
    Person,
    ReleaseClock,
    ReleaseReport,
    ReleaseStatus,
    Season,
    Show,
    Source,
)
from bot.show.render import (
    cast_card,
    cast_pages,
    credit_status,
    did_you_mean,
    recap_character,
    recap_episode,
    recap_overview,
    strip_spoilers,
)
from bot.show.search import GOOD_SCORE, Entry, Match, ShowIndex, normalise

__all__ = [
    "GOOD_SCORE",
    "Arc",
    "Beat",
    "Character",
    "Credit",
    "Entry",
    "Episode",
    "EpisodeOutOfRange",
    "Fate",
    "Match",
    "NoArc",
    "NotInSeason",
    "Person",
    "ReleaseClock",
    "ReleaseReport",
    "ReleaseStatus",
    "Season",
    "SeasonNotFound",
    "Show",
    "ShowIndex",
    "ShowPackError",
    "Source",
    "UnknownEntry",
    "bundled_packs",
    "cast_card",
    "cast_pages",
    "credit_status",
    "did_you_mean",
    "load_show",
    "normalise",
    "parse_show",
    "recap_character",
    "recap_episode",
    "recap_overview",
    "strip_spoilers",
    "word_count",
]
