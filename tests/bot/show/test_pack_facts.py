"""What fans read from the bundled pack agrees with itself and with the checked facts (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.cards import Card
from bot.countdown import seed_claim
from bot.release.claims import Precision, Status, window_in_words
from bot.show import (
    Character,
    Person,
    Show,
    cast_card,
    cast_pages,
    load_show,
    recap_character,
    recap_episode,
    recap_overview,
)
from tests.helpers.cards import card_text


@pytest.fixture(scope="module")
def show() -> Show:
    return load_show("all-of-us-are-dead")


def text_of(cards: Card | list[Card]) -> str:
    """The cards' text with its line breaks and spacing folded, so a phrase is found across a wrap."""
    return " ".join(card_text(cards).split())



def episode(show: Show, number: int) -> str:
    """An episode's recap as the asker reads it privately, spoilers shown."""
    return text_of(recap_episode(show, 1, number, spoilers_hidden=False))


def arc(show: Show, character_id: str) -> str:
    character = show.character(character_id)
    assert character is not None
    return text_of(recap_character(show, character, None, False, season=1))


def everything_a_fan_can_read(show: Show) -> str:
    parts = [text_of(recap_overview(show, s.number, spoilers_hidden=False)) for s in show.seasons]
    parts += [episode(show, e.number) for e in show.seasons[0].episodes]
    parts += [arc(show, a.character) for a in show.arcs]
    entries: list[Person | Character] = [*show.people, *show.characters]
    parts += [text_of(cast_card(show, entry)) for entry in entries]
    parts += [text_of(cast_pages(show, s.number)) for s in show.seasons]
    return "\n".join(parts)


def test_episodes_4_and_9_agree_that_the_laptop_stays_in_the_lab(show: Show) -> None:
    """Episode 4 and episode 9 tell the same story: Jae-ik learns of the laptop, which is still in the science lab."""
    four, nine = episode(show, 4), episode(show, 9)
    assert "points him to the laptop holding his research, still in the school's science lab" in four
    assert "Byeong-chan's research laptop in the school's science lab; a special team is sent to fetch it" in nine
    for text in (four, arc(show, "lee-byeong-chan"), arc(show, "song-jae-ik")):
        assert "gives Jae-ik" not in text and "Receives" not in text and "handing over" not in text
    assert "Learns from Byeong-chan about the laptop" in arc(show, "song-jae-ik")


def test_uncertain_facts_are_told_as_uncertain(show: Show) -> None:
    """Ms. Park's fate, the timing of Nam-ra's craving, Na-yeon's episode and the lab animal are not overstated."""
    park = text_of(cast_card(show, show.character("park-sun-hwa")))  # type: ignore[arg-type]
    assert "not seen alive again" not in park
    assert "Her fate is not confirmed" in park and "in episode 3 or 4" in park
    assert "(at the end of this episode or early in the next)" in episode(show, 6)
    assert "by the end of this episode or early in the next" in arc(show, "choi-nam-ra")
    assert "the exact episode is uncertain" in arc(show, "lee-na-yeon")
    assert "a hamster according to some recaps, a rat or a mouse according to others" in episode(show, 1)
    assert "most accounts" not in everything_a_fan_can_read(show)
    five = episode(show, 5)
    assert "blade" not in five and "Cheong-san stabs Gwi-nam in the eye" in five


def test_research_notes_stay_out_of_fan_text(show: Show) -> None:
    """No answer talks about the research behind it ("the recaps consulted", "a best fit")."""
    text = everything_a_fan_can_read(show).lower()
    for phrase in ("available recaps", "do not say exactly", "best fit", "consulted", "the pack", "were not used"):
        assert phrase not in text, phrase


def test_a_weak_season_two_report_is_shown_as_weak(show: Show) -> None:
    """Gwi-nam's and Na-yeon's season-2 lines say one weak, unconfirmed report is all there is."""
    for person_id, character_id in (("yoo-in-soo", "yoon-gwi-nam"), ("lee-yoo-mi", "lee-na-yeon")):
        card = cast_card(show, show.character(character_id))  # type: ignore[arg-type]
        season_two = next(f.value for f in card.fields if f.name == "Season 2")
        assert season_two.startswith("Returning, reported by one weak source, not confirmed (ARY News, 2025-06-27)")
        assert "Netflix has not confirmed it" in season_two
        person = show.person(person_id)
        assert person is not None
        line = next(line for line in season_two_lines(show) if person.name in line)
        assert line.endswith("· returning · *reported by one weak source, not confirmed* (ARY News, 2025-06-27)")
    seo = next(line for line in season_two_lines(show) if "Seo Ji-hoon" in line)
    assert "*reported, not confirmed*" in seo and "weak" not in seo


def season_two_lines(show: Show) -> list[str]:
    return [line for page in cast_pages(show, 2) for line in page.description.splitlines()]


def test_the_countdown_seed_spans_late_2026_to_early_2027(show: Show) -> None:
    """A new server's countdown starts at "late 2026 or early 2027", reported, with a year's precision."""
    claim = seed_claim(show)
    assert claim is not None
    assert (claim.start, claim.end) == (date(2026, 9, 1), date(2027, 4, 30))
    assert (claim.precision, claim.status) == (Precision.YEAR, Status.REPORTED)
    assert window_in_words(claim) == "late 2026 or early 2027"
