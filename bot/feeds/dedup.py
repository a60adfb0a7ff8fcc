"""Identity keys for feed items, so nothing is posted twice.

Per feed, an item is known by its guid, else its canonical link, else its normalised title: feeds that
re-publish an item with a fresh tracking parameter or a touched-up date must not post it again. Across
feeds, the same story (one article reaching a channel through a site feed and a Google News search) is
recognised by its canonical link or its normalised headline within ``STORY_WINDOW``.

Keys are short fixed-length digests so the database can index them whatever the feed put in its guid.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from datetime import timedelta

from bot.feeds.normalise import NewsItem
from bot.feeds.urls import canonical_link

log = logging.getLogger(__name__)

STORY_WINDOW = timedelta(hours=48)
NONCE_LENGTH = 25  # Discord accepts message nonces of at most 25 characters.
# A headline shorter than this ("Trailer", "Episode 3") is too generic to merge two different feeds' items.
MIN_STORY_TITLE_LENGTH = 16

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _digest(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]}"


def normalise_title(title: str) -> str:
    """A headline reduced for comparison: compatibility forms, case, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def identity_keys(item: NewsItem) -> tuple[str, ...]:
    """The item's per-feed keys, strongest first: guid, canonical link, normalised title.

    The first key is the one to store; an item matching any stored key of the same feed was already seen.
    """
    keys: list[str] = []
    if item.guid and item.guid.strip():
        keys.append(_digest("g", item.guid.strip()))
    if item.link:
        keys.append(_digest("l", canonical_link(item.link)))
    title = normalise_title(item.title)
    if title:
        keys.append(_digest("t", title))
    if not keys:
        keys.append(_digest("s", normalise_title(item.summary)))
    return tuple(keys)


def item_key(item: NewsItem) -> str:
    """The single key an item is stored under in its feed's seen-list."""
    return identity_keys(item)[0]


def story_keys(item: NewsItem) -> tuple[str, ...]:
    """Keys shared by the same story arriving through different feeds (canonical link, headline).

    Two items sharing any story key, delivered to the same channel within ``STORY_WINDOW``, are one post.
    Headlines shorter than ``MIN_STORY_TITLE_LENGTH`` are not used, so generic titles never collide.
    """
    keys: list[str] = []
    if item.link:
        keys.append(_digest("L", canonical_link(item.link)))
    title = normalise_title(item.title)
    if len(title) >= MIN_STORY_TITLE_LENGTH:
        keys.append(_digest("T", title))
    return tuple(keys)


def story_key(item: NewsItem) -> str:
    """One story key for stores that keep a single key per item: the headline when it is distinctive
    enough (that is what matches a Google News entry to the site's own item), else the canonical link."""
    keys = story_keys(item)
    if not keys:
        return item_key(item)
    return keys[-1] if len(keys) > 1 else keys[0]


def delivery_nonce(key: str, channel_id: int) -> str:
    """A deterministic Discord message nonce for posting item ``key`` to ``channel_id``.

    Resending after a crash uses the same nonce, which lets Discord (and the outbox) recognise the retry.
    """
    return hashlib.sha256(f"{key}|{channel_id}".encode()).hexdigest()[:NONCE_LENGTH]
