"""How Discord's client reads message and embed text, for tests that assert what a person would see.

A suspicious reader on purpose: it finds masked links and spoilers with the patterns Discord's parser uses, which
look for ``](`` and ``||`` before they honour any backslash, so an escape that only works on paper still shows up
here as live markup. Also the hostile strings feed tests put through every builder.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"

# Each is (what a stranger's feed or server sent, what a person must read).
HOSTILE: list[tuple[str, str]] = [
    ("[Watch free](https://pirate.example/aouad)", "[Watch free](https://pirate.example/aouad)"),
    ("Finale ](https://phish.example/x) [leak", "Finale ](https://phish.example/x) [leak"),
    ("Season 2 date ||| revealed", "Season 2 date ||| revealed"),
    ("||Nam-ra survives|| the finale", "||Nam-ra survives|| the finale"),
    ("Ends with a pipe |", "Ends with a pipe |"),
    ("Ends with a backslash \\", "Ends with a backslash \\"),
    ("@everyone season 2 is here", "@everyone season 2 is here"),
    ("Cast list for exe.\u202egpj", "Cast list for exe.gpj"),
    ("\u2067isolated\u2069 \u200ftext\u200e and \u061cmark", "isolated text and mark"),
    ("zom\u200dbie school", "zombie school"),
    ("# Huge headline", "# Huge headline"),
    ("> quoted from the studio", "> quoted from the studio"),
    ("- not a list", "- not a list"),
    ("-# not subtext", "-# not subtext"),
    ("1. not numbered", "1. not numbered"),
    ("```py\nprint('code fence')\n```", "```py\nprint('code fence')\n```"),
    ("*bold* __under__ _it_ ~~gone~~ `code`", "*bold* __under__ _it_ ~~gone~~ `code`"),
    ("<t:0:R> and </feeds add:1> and <:aouad:12>", "<t:0:R> and </feeds add:1> and <:aouad:12>"),
]

_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")
# simple-markdown's link rule, which Discord's client builds on: the link text may hold a "]" followed later by
# another "]", and nothing in it looks at backslashes.
_MASKED_LINK = re.compile(
    r"\[((?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*)\]\(\s*<?((?:\([^)]*\)|[^\s\\]|\\.)*?)>?(?:\s+['\"][\s\S]*?['\"])?\s*\)"
)
_SPOILER = re.compile(r"\|\|([\s\S]+?)\|\|")
_UNESCAPED = r"(?<!\\)(?:\\\\)*"
_LIVE = (
    ("emphasis, code or spoiler", re.compile(_UNESCAPED + r"[*_~`|]")),
    ("heading, list or quote", re.compile(r"^[ \t]*(?:#{1,3}[ \t]|-#[ \t]|[-+*][ \t]|>[ \t]|>>>|\d+\.[ \t])", re.M)),
    ("Discord tag", re.compile(_UNESCAPED + r"<(?:t:|/|:|a:|@|#)")),
    ("mention", re.compile(r"@(?:everyone|here)")),
)


def shown(text: str) -> str:
    """The characters a person reads: escaping backslashes gone, the zero-width spaces that defuse mentions too."""
    return _ESCAPE.sub(r"\1", text).replace(ZWSP, "")


def masked_links(text: str) -> list[tuple[str, str]]:
    """Every ``[text](address)`` that would render as a link: (link text as written, address)."""
    return [(found.group(1), found.group(2)) for found in _MASKED_LINK.finditer(text)]


def spoilers(text: str) -> list[str]:
    """The text inside each spoiler, as Discord pairs the ``||`` markers."""
    return _SPOILER.findall(text)


def live_markup(text: str) -> list[str]:
    """What in ``text`` would render as something other than its own characters (links and spoilers included)."""
    found = [f"masked link {link}" for link in masked_links(text)]
    found += [f"spoiler {inner!r}" for inner in spoilers(text)]
    for what, pattern in _LIVE:
        found += [f"{what} at {m.start()}: {text[m.start() : m.end() + 8]!r}" for m in pattern.finditer(text)]
    return found
