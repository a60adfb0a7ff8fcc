"""Other shows' titles the news mentions, so a date next to one of them is not taken for the server's show.

Titles such as "Bridgerton returns January 29" carry no season number or quotes to give them away, so the
reader keeps a list of the shows fan news writes about most (``titles.toml``, data beside the code). The
capitalisation rules in ``judging`` catch the rest.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


@cache
def _groups() -> tuple[tuple[str, ...], ...]:
    data = tomllib.loads(resources.files("bot.release").joinpath("titles.toml").read_text(encoding="utf-8"))
    return tuple(tuple(str(name) for name in group) for group in data["titles"])


def aliases(show: str) -> list[str]:
    """The other titles a listed show goes by ("All of Us Are Dead" → "지금 우리 학교는", …); [] if unlisted."""
    key = show.strip().casefold()
    for group in _groups():
        if any(name.casefold() == key for name in group):
            return [name for name in group if name.casefold() != key]
    return []


@cache
def known_titles() -> re.Pattern[str]:
    """One pattern matching any listed title as whole words; loaded once."""
    # Two-letter Korean titles ("지옥", hell) are everyday words: they count only as the server's own show.
    titles = [name for group in _groups() for name in group if len(name) > 2]
    alternatives = "|".join(re.escape(t) for t in sorted(set(titles), key=len, reverse=True))
    return re.compile(rf"(?<![\w'’]){'(?:' + alternatives + ')'}(?![\w'’])")
