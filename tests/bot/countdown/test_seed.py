"""Where a countdown starts (the show pack) and what one news item contributes to it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from bot.countdown.seed import PACK_OUTLET, read_item, seed_claim, show_names
from bot.feeds.normalise import NewsItem
from bot.release.claims import Precision, Status
from bot.show import load_show

SHOW = load_show("all-of-us-are-dead")


def item(title: str, summary: str = "", *, outlet: str | None = "Soompi") -> NewsItem:
    return NewsItem(
        guid=None,
        link="https://www.soompi.example/article/aouad-s2",
        title=title,
        summary=summary,
        published=datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
        author=None,
        image=None,
        outlet=outlet,
        outlet_url=None,
        categories=(),
    )


def test_show_names_include_korean_title_and_acronym() -> None:
    """Headlines say 'AOUAD' or the Korean title as often as the full English one."""
    assert show_names(SHOW) == ["All of Us Are Dead", "지금 우리 학교는", "AOUAD"]


def test_seed_is_the_packs_window_with_the_pack_as_source() -> None:
    """A new countdown starts from what the pack records, dated by the pack's as-of day."""
    seed = seed_claim(SHOW)
    assert seed is not None and SHOW.next_season is not None
    assert (seed.start, seed.end) == (SHOW.next_season.window_start, SHOW.next_season.window_end)
    assert seed.status == Status(SHOW.next_season.status) and seed.precision == Precision.YEAR
    assert seed.source.outlet == PACK_OUTLET and seed.source.published == SHOW.next_season.as_of


def test_pack_without_window_seeds_nothing() -> None:
    """When nobody has even guessed, the countdown starts empty instead of inventing a window."""
    assert SHOW.next_season is not None
    unknown = dataclasses.replace(SHOW.next_season, window_start=None, window_end=None)
    assert seed_claim(dataclasses.replace(SHOW, next_season=unknown)) is None


def test_pack_with_a_single_day_seeds_an_exact_claim() -> None:
    """A confirmed premiere in the pack starts the countdown as an exact date."""
    assert SHOW.next_season is not None
    day = dataclasses.replace(
        SHOW.next_season, status="confirmed", window_start=date(2027, 1, 29), window_end=date(2027, 1, 29)
    )
    seed = seed_claim(dataclasses.replace(SHOW, next_season=day))
    assert seed is not None and seed.precision == Precision.EXACT and seed.status == Status.CONFIRMED


def test_confirmed_article_becomes_one_claim_with_its_source() -> None:
    """Headline and summary are read together; the claim carries the article, outlet and UTC day."""
    found = read_item(
        item(
            "Netflix confirms All of Us Are Dead season 2 premiere date",
            "Netflix announced that the season premieres on December 4, 2026.",
        ),
        SHOW,
    )
    assert found is not None
    assert (found.start, found.end, found.status) == (date(2026, 12, 4), date(2026, 12, 4), Status.CONFIRMED)
    assert found.source.outlet == "Soompi" and found.source.published == date(2026, 11, 20)
    assert found.source.url == "https://www.soompi.example/article/aouad-s2"


def test_article_without_outlet_is_named_by_its_site() -> None:
    """Feeds that name no outlet still get a source readers can judge: the link's host."""
    found = read_item(item("AOUAD season 2 reportedly set for early December 2026", outlet=None), SHOW)
    assert found is not None and found.source.outlet == "soompi.example"


def test_article_about_filming_gives_no_claim() -> None:
    """A filming date is not a release date: no claim, so the countdown does not move."""
    assert read_item(item("All of Us Are Dead season 2 wraps filming in February 2026"), SHOW) is None


def test_spanish_article_naming_the_show_moves_the_countdown() -> None:
    """A Spanish article about the show ("Estamos muertos") confirming a day gives the countdown that day."""
    claim = read_item(item("Netflix confirmó que la segunda temporada de «Estamos muertos» se estrenará el "
                           "29 de enero de 2027"), SHOW)
    assert claim is not None
    assert (claim.start, claim.end, claim.status) == (date(2027, 1, 29), date(2027, 1, 29), Status.CONFIRMED)


def test_article_that_never_names_the_show_gives_no_claim() -> None:
    """A general K-drama feed's item that names no show is not taken to be about this one."""
    assert read_item(item("The second season arrives on January 29, 2027, Netflix confirmed."), SHOW) is None


def test_lower_bound_alone_does_not_move_the_countdown() -> None:
    """"Not before 2027" gives no day to count down to, so the countdown keeps what it has."""
    assert read_item(item("All of Us Are Dead season 2 will not arrive before 2027, reports say."), SHOW) is None
