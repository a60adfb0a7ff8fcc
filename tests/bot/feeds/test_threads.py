"""What a forum post or a discussion thread is called: the headline within Discord's 100 characters."""

from __future__ import annotations

import pytest

from bot.feeds.threads import THREAD_NAME_MAX, thread_title

LONG = (
    "All of Us Are Dead season 2 premiere date confirmed by Netflix as the zombie drama heads back to Hyosan High "
    "for one final semester"
)


@pytest.mark.parametrize(
    ("headline", "fallback", "expected"),
    [
        ("Season 2 teaser is here", "", "Season 2 teaser is here"),
        ("  Season 2\n teaser\tis here ", "", "Season 2 teaser is here"),
        ("x" * 100, "", "x" * 100),
        ("", "K-Drama Dispatch", "K-Drama Dispatch"),
        ("\u200b\u202e ", "", "News"),
        ("Season\u200b 2 \u202eteaser", "", "Season 2 teaser"),
    ],
    ids=["as written", "one line", "exactly 100", "no headline: the feed", "nothing visible", "invisible stripped"],
)
def test_thread_title_keeps_a_short_headline(headline: str, fallback: str, expected: str) -> None:
    """A headline that fits is the title as a reader sees it, on one line; an empty one never gives an empty title."""
    assert thread_title(headline, fallback) == expected


def test_a_long_headline_is_cut_at_a_word_with_an_ellipsis() -> None:
    """A headline over 100 characters ends at a whole word with "…", within 100 characters."""
    title = thread_title(LONG)
    assert len(title) <= THREAD_NAME_MAX and title.endswith("…")
    assert LONG.startswith(title[:-1]) and LONG[len(title) - 1] == " "


def test_a_long_word_is_cut_within_the_limit() -> None:
    """A headline without spaces is still cut to 100 characters."""
    title = thread_title("A" * 300)
    assert len(title) == THREAD_NAME_MAX and title == "A" * 99 + "…"
