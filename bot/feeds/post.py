"""The news post a channel sees for one article, as a Discord-free ``Card``.

Feed text is written by strangers, so it is treated as hostile: its markdown is escaped (a masked link, a
heading or a spoiler in a headline shows as the characters it is), and anything that could ping
(``@everyone``, ``@here``, ``<@id>``, ``<@&id>``) is defused here even though the sender also disables
mentions, because a card may end up in message content some day and the escape costs nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.cards import (
    AUTHOR_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    Card,
    CardField,
    defuse_mentions,
    link_url,
    plain,
    spoiler,
    strip_invisible,
    truncate,
)
from bot.feeds.normalise import NewsItem, headline_from

log = logging.getLogger(__name__)

SUMMARY_LIMIT = 300
NEWS_COLOUR = 0xC0392B
# Room the spoiler guard's title leaves for the outlet's name.
GUARDED_OUTLET_LIMIT = 150
# Other outlets named on one post ("Also reported by"): a story every site carries must not grow the card, or be
# edited again for each of them.
MAX_SOURCES = 5
SOURCE_NAME_LIMIT = 80


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


def also_reported_by(outlets: Sequence[str]) -> tuple[CardField, ...]:
    """The field naming the other outlets that brought the same story: each once (case aside), at most
    ``MAX_SOURCES``, escaped like all feed text; none without outlets."""
    firsts: dict[str, str] = {}
    for outlet in outlets:
        name = " ".join(outlet.split())
        if name:
            firsts.setdefault(name.casefold(), name)
    names = list(firsts.values())
    if not names:
        return ()
    value = ", ".join(plain(name, SOURCE_NAME_LIMIT) for name in names[:MAX_SOURCES])
    return (CardField("Also reported by", truncate(value, FIELD_VALUE_LIMIT)),)


def news_card(
    item: NewsItem,
    *,
    spoiler_guard: bool = False,
    feed_title: str | None = None,
    sources: Sequence[str] = (),
) -> Card:
    """The embed for one article: headline (linked when the item has a link), outlet, time, short summary, image.

    Under the spoiler guard the headline moves into the description inside spoiler tags (Discord does not
    hide spoilers in embed titles), the title only says which outlet published something, and the image
    is left out (a still can spoil as much as a headline). ``sources`` are other outlets with the same story.
    """
    summary = plain(item.summary, SUMMARY_LIMIT) if item.summary else ""
    # Cleaning gives every usable item a headline; one stored before that rule may lack it, and a card must never
    # be a bare date, so its description (or link) stands in.
    headline = item.title or headline_from(item.summary) or item.link
    outlet = item.outlet or feed_title or "News"
    when = f"{discord_timestamp(item.published, 'f')} ({discord_timestamp(item.published, 'R')})"
    if spoiler_guard:
        title = f"New from {plain(outlet, GUARDED_OUTLET_LIMIT)} (spoiler guard: tap to reveal)"
        parts = [spoiler(plain(headline, TITLE_LIMIT))]
        if summary:
            parts.append(spoiler(summary))
    else:
        title = plain(headline, TITLE_LIMIT)
        parts = [summary] if summary else []
    parts.append(f"Published {when}")  # the outlet is the card's author line
    footer = feed_title if feed_title and feed_title != item.outlet else ""
    return Card(
        title=title,
        description="\n\n".join(parts),
        url=link_url(item.link) if item.link else None,
        # Discord shows the author line and the footer as typed, never as markdown: escaping them would put
        # backslashes on screen, so they only lose what is invisible or could ping.
        author=truncate(defuse_mentions(strip_invisible(outlet)), AUTHOR_LIMIT),
        footer=truncate(defuse_mentions(strip_invisible(footer)), FOOTER_LIMIT),
        image_url=None if spoiler_guard else item.image,
        fields=also_reported_by(sources),
        timestamp=item.published,
        colour=NEWS_COLOUR,
    ).check()
