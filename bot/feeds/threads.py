"""A thread per story, the pure part: what a forum post or a discussion thread is called.

Discord names a thread with at most 100 characters and never with an empty name; a headline is cut at a word
boundary with an ellipsis, and the same headline always gives the same name, which is how a forum post made just
before a crash is recognised afterwards (Discord keeps no nonce on forum posts).
"""

from __future__ import annotations

from bot.cards import strip_invisible, truncate

THREAD_NAME_MAX = 100
UNTITLED = "News"


def thread_title(headline: str, fallback: str = "") -> str:
    """The thread name for ``headline``: one line, within 100 characters, never empty (``fallback``, then "News")."""
    for text in (headline, fallback):
        name = " ".join(strip_invisible(text).split())
        if name:
            return truncate(name, THREAD_NAME_MAX)
    return UNTITLED
