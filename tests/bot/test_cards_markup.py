"""Strangers' text on a card: it reads as written, and nothing in it renders as Discord markup."""

from __future__ import annotations

import pytest

from bot.cards import link_url, masked_link, plain, spoiler, strip_invisible
from tests.helpers.markup import HOSTILE, live_markup, masked_links, shown, spoilers

SITE = "https://news.example/aouad-s2"


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_plain_text_reads_as_written_and_nothing_renders(raw: str, read: str) -> None:
    """A headline full of markdown, tags, mentions and invisible controls shows its characters, nothing more."""
    text = plain(raw)
    assert shown(text) == read
    assert live_markup(text) == []


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_a_masked_link_keeps_its_own_address_whatever_its_text(raw: str, read: str) -> None:
    """A headline as link text makes exactly one link, to the article, and reads as written (a lone bracket as
    its full-width look-alike)."""
    line = masked_link(raw, SITE)
    ((text, address),) = masked_links(line)
    assert address == SITE
    assert shown(text).replace("\uff3b", "[").replace("\uff3d", "]") == read


def test_link_text_with_paired_brackets_reads_exactly_as_written() -> None:
    """"[EXCLUSIVE] Season 2 [Netflix]" keeps its own brackets inside the link."""
    line = masked_link("[EXCLUSIVE] Season 2 [Netflix]", SITE)
    assert line == f"[\\[EXCLUSIVE\\] Season 2 \\[Netflix\\]]({SITE})"
    assert [(shown(text), address) for text, address in masked_links(line)] == [
        ("[EXCLUSIVE] Season 2 [Netflix]", SITE)
    ]


def test_link_text_with_a_lone_bracket_shows_a_look_alike() -> None:
    """Brackets that would end the link text early show as "［" and "］", and the link still goes to the article."""
    line = masked_link("Finale ](https://phish.example/x) [leak", SITE)
    assert [(shown(text), address) for text, address in masked_links(line)] == [
        ("Finale \uff3d(https://phish.example/x) \uff3bleak", SITE)
    ]


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_a_spoiler_holds_any_text_to_its_end(raw: str, read: str) -> None:
    """|||, ||x||, a trailing pipe or backslash cannot close a spoiler early: one spoiler hides all of it."""
    wrapped = spoiler(plain(raw))
    (inner,) = spoilers(wrapped)
    assert wrapped == f"||{inner}||"
    assert shown(inner).removesuffix(" ") == read
    assert live_markup(inner) == []


@pytest.mark.parametrize(
    ("raw", "inner"),
    [
        ("|||", "\\|\\|\\| "),
        ("||x||", "\\|\\|x\\|\\| "),
        ("trailing |", "trailing \\| "),
        ("trailing \\", "trailing \\\\"),
        ("already \\| escaped", "already \\| escaped"),
        ("Ep. 4: **bold** stays", "Ep. 4: **bold** stays"),
    ],
)
def test_spoiler_escapes_only_what_could_close_it(raw: str, inner: str) -> None:
    """Show-pack text keeps its own bold; only pipes and a last backslash are escaped, and only once."""
    assert spoiler(raw) == f"||{inner}||"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://news.example/a) [x](https://phish.example)", "https://news.example/a%29%20%5Bx%5D%28https://phish.example%29"),
        ("https://news.example/<b>", "https://news.example/%3Cb%3E"),
        ("https://news.example/\u202egpj.exe", "https://news.example/%E2%80%AEgpj.exe"),
        ('https://news.example/"q"|`', "https://news.example/%22q%22%7C%60"),
        ("https://news.example/a_b~c*d?x=1&y=%20#top", "https://news.example/a_b~c*d?x=1&y=%20#top"),
        ("https://news.example/지금-우리-학교는", "https://news.example/지금-우리-학교는"),
    ],
)
def test_addresses_cannot_break_out_of_a_link(url: str, safe: str) -> None:
    """Brackets, parentheses, spaces and invisible controls are percent-encoded; ordinary addresses are unchanged."""
    assert link_url(url) == safe


def test_an_address_with_a_parenthesis_does_not_inject_a_second_link() -> None:
    """A ")" in an article's address ends neither the link nor starts another one."""
    line = masked_link("Season 2 news", "https://news.example/a) [free](https://phish.example")
    assert [address for _, address in masked_links(line)] == [
        "https://news.example/a%29%20%5Bfree%5D%28https://phish.example"
    ]


def test_only_web_addresses_become_links() -> None:
    """A javascript: or empty address leaves the headline as plain text."""
    assert masked_link("[x](y)", "javascript:alert(1)") == "\\[x\\]\\(y)"
    assert masked_link("Headline", None) == "Headline"


def test_a_web_address_in_the_text_stays_a_working_address() -> None:
    """An address inside a summary keeps its underscores, while a "](" smuggled into it is encoded."""
    text = plain("see https://news.example/a_b_c and https://x.example/y](https://phish.example) now")
    assert "https://news.example/a_b_c " in text
    assert "https://x.example/y%5D%28https://phish.example) now" in text
    assert masked_links(f"[{text}]({SITE})") == [(text, SITE)]


def test_a_limit_cuts_the_text_not_an_escape() -> None:
    """A long headline full of markdown fits the limit once escaped, with no backslash left dangling."""
    raw = "[x](y) *|* " * 60
    text = plain(raw, 256)
    assert len(text) <= 256
    assert text.endswith("…")
    assert raw.startswith(shown(text).removesuffix("…"))
    assert live_markup(text) == []


def test_invisible_controls_are_removed_and_visible_text_kept() -> None:
    """Bidi overrides, isolates, marks and zero-width characters go; Hangul and emoji stay."""
    assert strip_invisible("지금\u200b 우리\u202e 학교는 \u2066🧟\u2069\ufeff") == "지금 우리 학교는 🧟"
