"""The news post a channel sees for one article, as a Discord-free ``Card``.

Feed text is written by strangers, so it is treated as hostile: anything that could ping (``@everyone``,
``@here``, ``<@id>``, ``<@&id>``) is defused here even though the sender also disables mentions, because
a card may end up in message content some day and the escape costs nothing.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from bot.cards import TITLE_LIMIT, Card, spoiler, truncate
from bot.feeds.normalise import NewsItem

log = logging.getLogger(__name__)

SUMMARY_LIMIT = 300
NEWS_COLOUR = 0xC0392B
_ZWSP = "\u200b"
_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)


def defuse_mentions(text: str) -> str:
    """``text`` with mass mentions and user/role/channel mentions broken by a zero-width space."""
    text = _MASS_MENTION.sub(lambda m: f"@{_ZWSP}{m.group(1)}", text)
    return _MENTION.sub(lambda m: f"<{m.group(1)}{_ZWSP}{m.group(2)}>", text)


def discord_timestamp(when: datetime, style: str = "f") -> str:
    """A Discord timestamp tag that every reader sees in their own time zone (``R`` for relative)."""
    if when.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return f"<t:{int(when.timestamp())}:{style}>"


def spoiler_guard_active(premiere: datetime | None, days: int, now: datetime) -> bool:
    """Whether the server's spoiler guard is on: from the premiere until ``days`` days after it."""
    if premiere is None or days <= 0:
        return False
    return premiere <= now < premiere + timedelta(days=days)


def news_card(item: NewsItem, *, spoiler_guard: bool = False, feed_title: str | None = None) -> Card:
    """The embed for one article: linked headline, outlet, published time, short summary, image.

    Under the spoiler guard the headline moves into the description inside spoiler tags (Discord does not
    hide spoilers in embed titles), the title only says which outlet published something, and the image
    is left out (a still can spoil as much as a headline).
    """
    headline = defuse_mentions(item.title)
    summary = truncate(defuse_mentions(item.summary), SUMMARY_LIMIT) if item.summary else ""
    outlet = defuse_mentions(item.outlet or feed_title or "News")
    when = f"{discord_timestamp(item.published, 'f')} ({discord_timestamp(item.published, 'R')})"
    if spoiler_guard:
        title = truncate(f"New from {outlet} (spoiler guard: tap to reveal)", TITLE_LIMIT)
        parts = [spoiler(truncate(headline, TITLE_LIMIT))]
        if summary:
            parts.append(spoiler(summary))
    else:
        title = truncate(headline, TITLE_LIMIT)
        parts = [summary] if summary else []
    parts.append(f"Published {when}")  # the outlet is the card's author line
    footer = defuse_mentions(feed_title) if feed_title and feed_title != item.outlet else ""
    return Card(
        title=title,
        description="\n\n".join(parts),
        url=item.link or None,
        author=truncate(outlet, 256),
        footer=truncate(footer, 2048),
        image_url=None if spoiler_guard else item.image,
        timestamp=item.published,
        colour=NEWS_COLOUR,
    ).check()
