"""What fans see from /cast and /recap: spoiler tags, no leaks past ``up_to``, and cards Discord accepts."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.show import (
    Character,
    Credit,
    EpisodeOutOfRange,
    Fate,
    NotInSeason,
    Person,
    SeasonNotFound,
    Show,
    Source,
    cast_card,
    cast_pages,
    did_you_mean,
    load_show,
    recap_character,
    recap_episode,
    recap_overview,
    strip_spoilers,
)
from tests.helpers.cards import card_text

SPOILER = re.compile(r"\|\|.*?\|\|", re.DOTALL)


@pytest.fixture(scope="module")
def show() -> Show:
    return load_show("all-of-us-are-dead")





def visible(text: str) -> str:
    """What a fan reads without clicking any spoiler."""
    return SPOILER.sub("[spoiler]", text)


def test_public_cast_card_hides_the_fate(show: Show) -> None:
    """/cast Yoon Chan-young shows both scripts and season-2 status, with Cheong-san's fate behind a spoiler."""
    person = show.person("yoon-chan-young")
    assert person is not None
    text = card_text(cast_card(show, person))
    assert "Yoon Chan-young (윤찬영)" in text
    assert "Lee Cheong-san (이청산)" in text
    assert "Returning, confirmed" in text
    assert "2025-07-23" in text and "UPI" in text
    assert "presumed dead" in text
    assert "presumed dead" not in visible(text)


@pytest.mark.parametrize("kind", ["person", "character"])
def test_no_fate_is_readable_without_clicking_a_spoiler(show: Show, kind: str) -> None:
    """For every person and character, each end-of-season fate appears only inside spoiler tags."""
    entries: tuple[Person | Character, ...] = show.people if kind == "person" else show.characters
    for entry in entries:
        text = card_text(cast_card(show, entry))
        characters = (
            [show.character(c.character) for c in show.credits_for(person=entry.id) if c.character]
            if isinstance(entry, Person)
            else [entry]
        )
        for character in characters:
            assert character is not None
            for fate in character.fates:
                assert f"||{fate.text}||" in text, (entry.id, fate.text)
                assert fate.text not in visible(text), entry.id


def test_a_character_card_names_the_actor_in_both_scripts(show: Show) -> None:
    """/cast Nam-ra shows Choi Nam-ra (최남라), played by Cho Yi-hyun (조이현), in seasons 1 and 2."""
    character = show.character("choi-nam-ra")
    assert character is not None
    card = cast_card(show, character)
    assert card.title == "Choi Nam-ra (최남라)"
    assert "Cho Yi-hyun (조이현), seasons 1, 2" in card_text(card)


def test_reported_casting_is_marked_as_unconfirmed(show: Show) -> None:
    """A name only reported by the press says so, with the outlet and date."""
    person = show.person("ahn-dong-goo")
    assert person is not None
    text = card_text(cast_card(show, person))
    assert "reported, not confirmed" in text
    assert "Sportskeeda" in text and "2025-06-28" in text
    assert "Role not reported" in text


def test_someone_absent_from_season_two_is_told_so(show: Show) -> None:
    """A season-1-only actor's card says they are not in the announced season-2 cast."""
    person = show.person("kim-bo-yoon")
    assert person is not None
    assert "Not in the season-2 cast announced so far." in card_text(cast_card(show, person))
    with pytest.raises(NotInSeason, match="season 2"):
        cast_card(show, person, season=2)


def test_an_actor_with_two_roles_shows_both(show: Show) -> None:
    """If a person plays two characters, the card has a section for each."""
    extra = Credit(
        season=2,
        person="lomon",
        character="han-du-seok",
        billing="supporting",
        kind="new",
        status="reported",
        sources=(Source("Example Outlet", None),),
    )
    doubled = dataclasses.replace(show, credits=(*show.credits, extra))
    person = doubled.person("lomon")
    assert person is not None
    card = cast_card(doubled, person)
    names = [f.name for f in card.fields]
    assert "As Lee Su-hyeok (이수혁)" in names
    assert "As Han Du-seok (한두석)" in names


def test_season_two_cast_pages_mark_new_returning_and_reported(show: Show) -> None:
    """The season-2 list says who returns, who is new and which names are only reported."""
    pages = cast_pages(show, 2, per_page=5)
    assert len(pages) == 3
    lines = [line for page in pages for line in page.description.splitlines()]
    assert len(lines) == len(show.credits_for(season=2))
    assert lines[0].startswith("**Park Ji-hu** (박지후) as **Nam On-jo** (남온조) · returning")
    assert any(line.startswith("**Lee Min-jae** (이민재) as **Yong Ma-ru** (용마루) · new") for line in lines)
    seo = next(line for line in lines if "Seo Ji-hoon" in line)
    assert "*reported, not confirmed*" in seo
    onjo = lines[0]
    assert "reported" not in onjo
    assert pages[0].footer.startswith("Page 1/3")


def test_season_one_cast_pages_list_everyone_within_limits(show: Show) -> None:
    """The season-1 list pages through all 20 credits in billing order, every page a valid embed."""
    pages = cast_pages(show, 1, per_page=8)
    assert [len(p.description.splitlines()) for p in pages] == [8, 8, 4]
    assert "returning" not in card_text(pages) and "· new" not in card_text(pages)
    for page in pages:
        page.check()


def test_unknown_season_is_a_clear_error(show: Show) -> None:
    """Asking for season 5 names the seasons that exist."""
    with pytest.raises(SeasonNotFound, match="Seasons I know: 1, 2"):
        cast_pages(show, 5)


@pytest.mark.parametrize(
    ("episode", "secret"),
    [
        (2, "I-sak is bitten"),
        (3, "he turns and ends up outside"),
        (4, "dies at his hands"),
        (10, "Ji-min, stranded outside by herself, calls for her mother and turns"),
        (11, "bites Cheong-san"),
        (12, "Nam-ra kills him"),
    ],
)
def test_public_episode_recaps_hide_deaths(show: Show, episode: int, secret: str) -> None:
    """A public episode recap keeps deaths and turns inside spoiler tags."""
    text = card_text(recap_episode(show, 1, episode))
    assert secret in text
    assert secret not in visible(text)


def test_private_recaps_have_no_spoiler_tags(show: Show) -> None:
    """A private answer is for the asker alone, so it drops the spoiler tags."""
    for number in range(1, 13):
        assert "||" not in card_text(recap_episode(show, 1, number, spoilers_hidden=False))
    character = show.character("lee-cheong-san")
    assert character is not None
    assert "||" not in card_text(recap_character(show, character, spoilers_hidden=False))


@pytest.mark.parametrize("number", [0, 13, 99])
def test_episode_out_of_range_gives_the_valid_range(show: Show, number: int) -> None:
    """/recap episode:13 says season 1 has episodes 1–12."""
    with pytest.raises(EpisodeOutOfRange, match="Season 1 has episodes 1–12"):
        recap_episode(show, 1, number)


def test_a_season_without_episodes_says_so(show: Show) -> None:
    """Season 2 has nothing to recap yet, and the error says that rather than a range."""
    with pytest.raises(EpisodeOutOfRange, match="no episodes out yet"):
        recap_episode(show, 2, 1)


def test_up_to_never_shows_later_beats_or_the_fate(show: Show) -> None:
    """For every arc and every up_to, nothing from a later episode (nor the season's fate) appears."""
    for arc in show.arcs:
        character = show.character(arc.character)
        assert character is not None
        fate = character.fate(arc.season)
        for up_to in range(1, 12):
            text = card_text(recap_character(show, character, up_to=up_to, spoilers_hidden=False))
            shown = [strip_spoilers(b.text) for b in arc.beats if b.episode <= up_to]
            for beat in arc.beats:
                later = strip_spoilers(beat.text)
                if beat.episode > up_to and later not in shown:
                    assert later not in text, (arc.character, up_to, beat.episode)
            if fate is not None:
                assert fate.text not in text, (arc.character, up_to)


def test_up_to_keeps_earlier_beats(show: Show) -> None:
    """Nam-ra up to episode 6 tells of the PA plan and her bite, but not of what she does in episode 8."""
    character = show.character("choi-nam-ra")
    assert character is not None
    cards = recap_character(show, character, up_to=6)
    text = card_text(cards)
    assert "PA-noise plan" in text
    assert "||Bitten by Gwi-nam while defending Su-hyeok" in text
    assert "stairwell" not in text
    assert cards[0].title == "Choi Nam-ra (최남라): season 1, up to episode 6"


def test_public_arcs_hide_every_death_turn_and_fate(show: Show) -> None:
    """In a public full-season arc, each death/turn/fate beat and the final fate sit inside spoiler tags."""
    for arc in show.arcs:
        character = show.character(arc.character)
        assert character is not None
        text = card_text(recap_character(show, character))
        for beat in arc.beats:
            if beat.spoiler:
                assert f"||{beat.text}||" in text
                assert beat.text not in visible(text)
        fate = character.fate(arc.season)
        if fate is not None:
            assert f"||{fate.text}||" in text


def test_up_to_out_of_range_is_an_error(show: Show) -> None:
    """up_to:13 in a 12-episode season is refused with the valid range."""
    character = show.character("nam-on-jo")
    assert character is not None
    with pytest.raises(EpisodeOutOfRange, match="episodes 1–12"):
        recap_character(show, character, up_to=13)


def test_overview_hides_the_ending_and_notes_disagreements(show: Show) -> None:
    """The season-1 overview keeps who survives behind a spoiler and lists where sources disagree."""
    text = card_text(recap_overview(show, 1))
    assert "Six students walk out alive" in text
    assert "Six students walk out alive" not in visible(text)
    assert "Where sources disagree" in text
    assert "8 episodes" in text


def test_season_two_overview_gives_the_release_status(show: Show) -> None:
    """The season-2 overview says no date is announced and that reports split between 2026 and 2027."""
    text = card_text(recap_overview(show, 2))
    assert "Netflix has given no release date" in text
    assert "late 2026 or early 2027" in text


def test_long_text_is_split_into_valid_cards_without_losing_a_sentence(show: Show) -> None:
    """An overview too long for one embed comes back as several numbered cards holding every sentence."""
    season = show.season(1)
    assert season is not None
    sentences = [f"Sentence {i} of a very long community overview." for i in range(300)]
    long = dataclasses.replace(season, overview=" ".join(sentences), notes=())
    long_show = dataclasses.replace(show, seasons=(long, *show.seasons[1:]))
    cards = recap_overview(long_show, 1)
    assert len(cards) > 1
    assert cards[0].title.endswith(f"(1/{len(cards)})")
    for card in cards:
        card.check()
    joined = card_text(cards)
    for sentence in sentences:
        assert sentence in joined


def test_did_you_mean_lists_the_suggestions() -> None:
    """The unknown-name reply offers the closest names in bold."""
    assert did_you_mean(["Choi Nam-ra", "Nam On-jo"]) == (
        "I couldn't find that name. Did you mean **Choi Nam-ra** or **Nam On-jo**?"
    )


def test_an_overlong_fate_is_shortened_without_leaking_out_of_its_spoiler(show: Show) -> None:
    """A community pack's very long fate is cut to fit the field, and the cut text stays inside spoiler tags."""
    character = show.character("nam-on-jo")
    assert character is not None
    long_fate = Fate(season=1, text="She survives the outbreak and the bombing. " * 40)
    changed = dataclasses.replace(character, fates=(long_fate,))
    long_show = dataclasses.replace(
        show, characters=tuple(changed if c.id == changed.id else c for c in show.characters)
    )
    card = cast_card(long_show, changed)
    fate_field = next(f for f in card.fields if f.name == "End of season 1")
    assert len(fate_field.value) <= 1024
    assert fate_field.value.startswith("||") and fate_field.value.endswith("||")
    assert "survives" not in visible(fate_field.value)
