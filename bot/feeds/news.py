"""New items and the servers that receive them: what other features may learn from.

Anyone can create a server and follow a feed of their own. What one server's feed says must never reach another
server (its countdown, its pings), so new items always travel with the servers that follow their feed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.feeds.normalise import NewsItem


@dataclass(frozen=True, slots=True)
class News:
    """Items new to one feed, and the servers following that feed."""

    items: tuple[NewsItem, ...]
    guild_ids: frozenset[int]
