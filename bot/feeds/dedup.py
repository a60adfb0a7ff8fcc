"""Identity keys for feed items, so nothing is posted twice and nothing new is taken for a repeat.

Within one feed an item is known by (the rules ``identity_keys`` implements):

- its guid when the feed gives stable guids (a guid that several entries of one document share is no guid:
  ``bot.feeds.normalise`` drops it), with its link as a second key, so a guid the feed reissues for the same
  link (a CMS migration, a feed generator's restart) is still the same item; unless entries with guids of their
  own share the link in one document (a podcast linking every episode to the show's page): then the link is no
  key of theirs, neither of identity nor of story;
- else its link;
- else its headline plus its date (only the headline when the feed gives no date, because the fetch time that
  stands in for it changes at every poll).

Links are compared in their canonical form (``bot.feeds.urls.canonical_link``: tracking parameters, case and
default ports ironed out) but with their fragment: two entries with different guids whose links differ only by
``#fragment`` (a live blog's updates) are different items. The headline is never a key of an item that has a guid
or a link: a recurring headline ("Episode 3 discussion", a weekly thread) with a new guid or a new link is news.

Across feeds, the same story (one article reaching a channel through the publisher's feed and an aggregator) is
recognised by any of its story keys (``story_keys``: its canonical link and its headline when distinctive) matching
one of another feed's items the channel had within ``STORY_WINDOW``.

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


def _link_key(link: str) -> str:
    return canonical_link(link, keep_fragment=True)


def identity_keys(item: NewsItem) -> tuple[str, ...]:
    """The item's per-feed keys, strongest first: guid and link, else link, else headline (and date).

    The first key is the one to store; an item matching any stored key of the same feed was already seen.
    """
    keys: list[str] = []
    if item.guid and item.guid.strip():
        keys.append(_digest("g", item.guid.strip()))
    if item.link and (item.link_names_item or not keys):
        keys.append(_digest("l", _link_key(item.link)))
    if keys:
        return tuple(keys)
    title = normalise_title(item.title) or normalise_title(item.summary)
    if item.dated:
        return (_digest("t", f"{title}\n{item.published.isoformat()}"),)
    return (_digest("t", title),)


def item_key(item: NewsItem) -> str:
    """The single key an item is stored under in its feed's seen-list."""
    return identity_keys(item)[0]


def story_keys(item: NewsItem) -> tuple[str, ...]:
    """Keys shared by the same story arriving through different feeds (canonical link, headline).

    Two items of different feeds sharing any story key, delivered to the same channel within ``STORY_WINDOW``,
    are one post. Headlines shorter than ``MIN_STORY_TITLE_LENGTH`` are not used, so generic titles never collide.
    """
    keys: list[str] = []
    if item.link and item.link_names_item:
        keys.append(_digest("L", _link_key(item.link)))
    title = normalise_title(item.title)
    if len(title) >= MIN_STORY_TITLE_LENGTH:
        keys.append(_digest("T", title))
    return tuple(keys)


def story_key(item: NewsItem) -> str:
    """The item's main story key, for the one column that groups posts (``/news`` lists a story once): the
    headline when it is distinctive enough (that is what matches a Google News entry to the site's own item),
    else the canonical link, else the item's own key. Matching uses every key (``story_keys``)."""
    keys = story_keys(item)
    if not keys:
        return item_key(item)
    return keys[-1]


def text_key(item: NewsItem) -> str:
    """A digest of what a reader sees of the item, headline and summary, normalised as ``normalise_title`` does: a
    key that differs on a known item is a material change (its post is edited), a retouched comma, case or spacing
    is none."""
    return _digest("x", f"{normalise_title(item.title)}\n{normalise_title(item.summary)}")


def delivery_nonce(key: str, channel_id: int) -> str:
    """A deterministic Discord message nonce for posting item ``key`` to ``channel_id``.

    Resending after a crash uses the same nonce, which lets Discord (and the outbox) recognise the retry.
    """
    return hashlib.sha256(f"{key}|{channel_id}".encode()).hexdigest()[:NONCE_LENGTH]
