"""What the pinned card, the announcement and the history say, for every kind of claim."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.countdown.render import HistoryLine, announcement, countdown_card, history_line, source_line
from bot.release.claims import Precision, ReleaseClaim, Status
from tests.helpers.claims import claim
from tests.helpers.markup import HOSTILE, live_markup, masked_links, shown

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
CHANGED = datetime(2026, 11, 19, 15, tzinfo=UTC)
OUT = int(datetime(2026, 12, 4, 8, tzinfo=UTC).timestamp())


def body(card_claim: ReleaseClaim | None = None, *, now: datetime = NOW, locked: bool = False) -> str:
    card = countdown_card(
        card_claim,
        show_title="All of Us Are Dead",
        season=2,
        changed_at=CHANGED,
        locked=locked,
        now=now,
    )
    fields = "\n".join(f"{f.name}: {f.value}" for f in card.fields)
    return f"{card.title}\n{card.description}\n{fields}\n{card.footer}"


def test_confirmed_day_uses_discord_timestamps() -> None:
    """An exact confirmed date is a <t:…:D> date and a live <t:…:R> countdown, with a green badge."""
    text = body(claim(date(2026, 12, 4), status=Status.CONFIRMED, outlet="Netflix"))
    assert f"**Confirmed: <t:{OUT}:D>** (<t:{OUT}:R>)" in text
    assert "Status: ✅ Confirmed" in text
    assert "Netflix, 2026-11-20" in text
    assert f"Last changed: <t:{int(CHANGED.timestamp())}:D>" in text


@pytest.mark.parametrize(
    ("start", "end", "precision", "words"),
    [
        (date(2026, 12, 1), date(2026, 12, 10), Precision.PART_OF_MONTH, "Reported: early December 2026"),
        (date(2026, 12, 1), date(2026, 12, 31), Precision.MONTH, "Reported: December 2026"),
        (date(2026, 9, 1), date(2027, 4, 30), Precision.YEAR, "Reported: late 2026 or early 2027"),
        (date(2027, 1, 1), date(2027, 6, 30), Precision.HALF, "Reported: first half of 2027"),
    ],
)
def test_window_in_words_without_countdown(start: date, end: date, precision: Precision, words: str) -> None:
    """A window is said in words and never shown as a countdown to a day."""
    text = body(claim(start, end, precision=precision))
    assert f"**{words}**" in text
    assert "<t:" not in text.split("Last changed")[0]


def test_milestone_lines() -> None:
    """A week out, a day out and release day each read differently; release day says Out now."""
    dec_4 = claim(date(2026, 12, 4), status=Status.CONFIRMED)
    assert "Less than a week to go." in body(dec_4, now=datetime(2026, 11, 28, tzinfo=UTC))
    assert "Less than a day to go!" in body(dec_4, now=datetime(2026, 12, 3, 12, tzinfo=UTC))
    out = body(dec_4, now=datetime(2026, 12, 4, 8, tzinfo=UTC))
    assert out.splitlines()[1].startswith("**Out now**")


def test_unconfirmed_day_that_passed_is_not_out_now() -> None:
    """A rumoured day going by does not make the season 'Out now'."""
    text = body(claim(date(2026, 12, 4), status=Status.RUMOURED), now=datetime(2026, 12, 5, tzinfo=UTC))
    assert "Out now" not in text and "without a confirmation" in text


def test_nothing_known_and_locked() -> None:
    """With no claim the card says so; a locked countdown says news does not move it."""
    text = body(None, locked=True)
    assert "Nothing is known yet about when season 2 arrives." in text
    assert "Locked by a moderator" in text


def test_source_title_cannot_break_the_link() -> None:
    """Brackets and markdown in a headline are escaped so the source link stays one link."""
    line = source_line(claim(date(2026, 12, 4), title="[EXCLUSIVE] *AOUAD* s2 date"))
    assert line.startswith(r"[\[EXCLUSIVE\] \*AOUAD\* s2 date](https://www.soompi.example/article/aouad-s2)")


def test_source_without_web_address_is_plain_text() -> None:
    """A source with no http(s) link (the show pack) is named, not linked."""
    line = source_line(claim(date(2026, 12, 4), url="", outlet="Marquee show pack", title="Summary"))
    assert line == "Summary — Marquee show pack, 2026-11-20"


def test_announcement_says_what_changed_and_why() -> None:
    """The change post reads 'before → after — outlet, date (reason)' and links the article."""
    before = claim(date(2026, 12, 1), date(2026, 12, 10), precision=Precision.PART_OF_MONTH)
    after = claim(date(2026, 12, 4), status=Status.CONFIRMED, outlet="Netflix")
    text = announcement(before, after, "stronger", show_title="All of Us Are Dead", role_mention="<@&42>")
    assert text.startswith("<@&42> **All of Us Are Dead countdown:** ")
    assert "reported early December 2026 → confirmed December 4, 2026 — Netflix, 2026-11-20" in text
    assert "(surer than what was known)" in text
    assert text.endswith("<https://www.soompi.example/article/aouad-s2>")


def test_history_line_marks_rejections_with_reason() -> None:
    """A kept-out claim shows ✗ and the reason; an accepted one ✅."""
    rumour = claim(date(2027, 3, 1), date(2027, 3, 31), status=Status.RUMOURED, outlet="Rumour Mill")
    at = datetime(2026, 11, 21, 9, tzinfo=UTC)
    kept_out = history_line(HistoryLine(rumour, accepted=False, reason="confirmed_holds", at=at))
    assert kept_out == (
        "2026-11-21 ✗ rumoured March 2027 — Rumour Mill (kept out: a confirmed date changes only with a newer "
        "confirmation)"
    )
    locked = history_line(HistoryLine(rumour, accepted=False, reason="locked", at=at))
    assert "locked by a moderator" in locked
    assert history_line(HistoryLine(rumour, accepted=True, reason="newer", at=at)).startswith("2026-11-21 ✅")


HOSTILE_URL = "https://news.example/a) [free](https://phish.example"
SAFE_URL = "https://news.example/a%29%20%5Bfree%5D%28https://phish.example"


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_the_source_field_links_only_the_article_and_reads_as_written(raw: str, read: str) -> None:
    """A hostile headline, outlet and address still give one link, to the article, in the pinned Source field."""
    line = source_line(claim(date(2026, 12, 4), title=raw, outlet=f"{raw} outlet", url=HOSTILE_URL))
    ((text, address),) = masked_links(line)
    assert address == SAFE_URL
    assert shown(text).replace("\uff3b", "[").replace("\uff3d", "]") == read
    outlet = line[line.rindex(" — ") + 3 :]
    assert shown(outlet) == f"{read} outlet, 2026-11-20"
    assert live_markup(outlet) == []
    field = body(claim(date(2026, 12, 4), title=raw, url=HOSTILE_URL)).split("Source: ", 1)[1]
    assert [address for _, address in masked_links(field)] == [SAFE_URL]


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_the_announcement_shows_the_outlet_as_written_and_a_safe_address(raw: str, read: str) -> None:
    """The change post names a hostile outlet as written, with no markup, and its address cannot break out."""
    before = claim(date(2026, 12, 1), date(2026, 12, 10), precision=Precision.PART_OF_MONTH)
    after = claim(date(2026, 12, 4), status=Status.CONFIRMED, outlet=raw, url=HOSTILE_URL)
    text = announcement(before, after, "stronger", show_title="All of Us Are Dead", role_mention=None)
    said, address = text.rsplit("\n", 1)
    who = said.split("December 4, 2026 — ", 1)[1].split(", 2026-11-20")[0]
    assert shown(who) == read
    assert live_markup(who) == []
    assert address == f"<{SAFE_URL}>"
    assert masked_links(text) == []
