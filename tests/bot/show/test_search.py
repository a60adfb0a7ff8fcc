"""Finding people and characters by the spellings fans type, and the autocomplete built on it."""

from __future__ import annotations

import pytest

from bot.show import ShowIndex, UnknownEntry, load_show, normalise


@pytest.fixture(scope="module")
def index() -> ShowIndex:
    return ShowIndex(load_show("all-of-us-are-dead"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nam-ra", "character:choi-nam-ra"),
        ("namra", "character:choi-nam-ra"),
        ("Choi Nam Ra", "character:choi-nam-ra"),
        ("최남라", "character:choi-nam-ra"),
        ("CHOI NAMRA", "character:choi-nam-ra"),
        ("Cho Yi-hyun", "person:cho-yi-hyun"),
        ("Cho Yi Hyun", "person:cho-yi-hyun"),
        ("choyihyun", "person:cho-yi-hyun"),
        ("조이현", "person:cho-yi-hyun"),
        ("Lomon", "person:lomon"),
        ("Park Solomon", "person:lomon"),
        ("박솔로몬", "person:lomon"),
        ("cheongsan", "character:lee-cheong-san"),
        ("Lee Cheong-san", "character:lee-cheong-san"),
        ("On-jo", "character:nam-on-jo"),
        ("Su-hyeok", "character:lee-su-hyeok"),
        ("Soo-hyuk", "character:lee-su-hyeok"),
        ("Park Ji-hoo", "person:park-ji-hu"),
        ("Kim Ju-a", "person:kim-joo-ah"),
        ("Doo-seok", "character:han-du-seok"),
        ("Ms. Park", "character:park-sun-hwa"),
        # typos
        ("Cheongsna", "character:lee-cheong-san"),
        ("Su-hyuk", "character:lee-su-hyeok"),
        ("Cho Yi Hyn", "person:cho-yi-hyun"),
        ("Gwi-nma", "character:yoon-gwi-nam"),
        ("Yoon Chan-yong", "person:yoon-chan-young"),
        ("Lomn", "person:lomon"),
        ("Lee Su-hyuk", "character:lee-su-hyeok"),
        ("Kim Joo-a", "person:kim-joo-ah"),
        ("Yoo In-su", "person:yoo-in-soo"),
        ("Lee Soo-hyeok", "character:lee-su-hyeok"),
        # half-typed, as autocomplete sees it
        ("Park Ji", "person:park-ji-hu"),
        ("Lee Min-g", "person:lee-min-goo"),
    ],
)
def test_fan_spellings_find_the_right_entry(index: ShowIndex, query: str, expected: str) -> None:
    """Every spelling fans use (case, hyphens, spaces, Hangul, aliases, small typos) ranks the right entry first."""
    matches = index.search(query)
    assert matches, query
    assert matches[0].value == expected
    assert not matches[0].low_confidence


@pytest.mark.parametrize(
    "query",
    [
        "Gandalf",
        "Walter White",
        "xq",
        "Squid Game",
        "zzzzzz",
        # famous actors who are not in the show but share a surname with someone who is
        "Park Seo-joon",
        "Lee Min-ho",
        "Lee Jung-jae",
        "Lee Jong-suk",
        "Kim Go-eun",
        "Kim Ji-won",
        "Kim Hye-yoon",
    ],
)
def test_nonsense_is_flagged_as_a_guess(index: ShowIndex, query: str) -> None:
    """A name nobody in the show has comes back as low-confidence suggestions, so the bot can say "did you mean"."""
    matches = index.search(query, limit=3)
    assert 0 < len(matches) <= 3
    assert all(m.low_confidence for m in matches)


def test_results_are_ranked_best_first(index: ShowIndex) -> None:
    """Scores never increase down the list, and a partial name lists every Nam before anyone else."""
    matches = index.search("nam", limit=5)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert {m.value for m in matches[:3]} == {
        "character:choi-nam-ra",
        "character:nam-on-jo",
        "character:nam-so-ju",
    }


def test_a_character_match_says_who_plays_them(index: ShowIndex) -> None:
    """Searching a character leads to the actor credited in each season."""
    match = index.search("Cheongsan")[0]
    assert match.kind == "character"
    assert {(c.season, c.person) for c in match.credits} == {(1, "yoon-chan-young"), (2, "yoon-chan-young")}


def test_a_person_match_lists_their_credits(index: ShowIndex) -> None:
    """Searching an actor leads to their roles, confirmed and reported."""
    match = index.search("Yoo In-soo")[0]
    assert match.kind == "person"
    assert [(c.season, c.character, c.status) for c in match.credits] == [
        (1, "yoon-gwi-nam", "confirmed"),
        (2, "yoon-gwi-nam", "reported"),
    ]


@pytest.mark.parametrize("query", ["", "   ", "-", "a", "lee", "park", "kim", "nam", "ㅊ", "x" * 300])
def test_autocomplete_fits_discord(index: ShowIndex, query: str) -> None:
    """At most 25 choices, each with a non-empty name and value of at most 100 characters."""
    choices = index.autocomplete(query)
    assert len(choices) <= 25
    for name, value in choices:
        assert 0 < len(name) <= 100
        assert 0 < len(value) <= 100


def test_empty_autocomplete_is_the_main_cast_in_billing_order(index: ShowIndex) -> None:
    """Opening the name option shows the leads first, in Netflix's billing order."""
    values = [value for _, value in index.autocomplete("")]
    assert values[:4] == ["person:park-ji-hu", "person:yoon-chan-young", "person:cho-yi-hyun", "person:lomon"]
    assert len(values) == 25
    assert len(set(values)) == len(values)


def test_autocomplete_shows_both_scripts_and_the_role(index: ShowIndex) -> None:
    """A choice reads like "Cho Yi-hyun (조이현) as Choi Nam-ra"."""
    name, value = index.autocomplete("cho yi")[0]
    assert value == "person:cho-yi-hyun"
    assert name == "Cho Yi-hyun (조이현) as Choi Nam-ra"


def test_autocomplete_respects_a_smaller_limit(index: ShowIndex) -> None:
    """The cog can ask for fewer choices and never gets more."""
    assert len(index.autocomplete("", limit=5)) == 5
    assert len(index.autocomplete("lee", limit=3)) <= 3


def test_every_autocomplete_value_resolves_back(index: ShowIndex) -> None:
    """Whatever autocomplete offers, resolve() turns back into that same entry."""
    for query in ("", "lee", "kim", "park", "nam"):
        for _, value in index.autocomplete(query):
            assert index.resolve(value).value == value


def test_resolve_accepts_a_typed_name(index: ShowIndex) -> None:
    """A fan who types a name without picking a suggestion still gets the right person."""
    assert index.resolve("namra").entry.id == "choi-nam-ra"


def test_resolve_does_not_guess_from_a_single_letter(index: ShowIndex) -> None:
    """Typing just "a" and pressing enter asks which one, instead of opening a random card."""
    with pytest.raises(UnknownEntry):
        index.resolve("a")


def test_resolve_unknown_name_suggests_the_closest(index: ShowIndex) -> None:
    """An unknown name raises a user-facing error that offers the closest names."""
    with pytest.raises(UnknownEntry) as caught:
        index.resolve("Gandalf")
    assert caught.value.suggestions
    assert "Gandalf" in str(caught.value)
    assert "Did you mean" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("Choi Nam-ra", "choinamra"), ("  NAM_RA! ", "namra"), ("최남라", "최남라"), ("Ｌｏｍｏｎ", "lomon")],
)
def test_normalise_ignores_case_spacing_and_punctuation(raw: str, normal: str) -> None:
    """Case, spaces, hyphens, punctuation and full-width letters don't matter; Hangul is kept as is."""
    assert normalise(raw) == normal


def test_character_choices_offer_roles_for_an_actor_name() -> None:
    """Typing an actor's name in /recap character offers the character they play, never a person."""
    from bot.show import load_show
    from bot.show.search import ShowIndex

    index = ShowIndex(load_show("all-of-us-are-dead"))
    choices = index.character_choices("Cho Yi-hyun")
    assert choices and all(value.startswith("character:") for _, value in choices)
    assert "Nam-ra" in choices[0][0]
    default = index.character_choices("")
    assert 0 < len(default) <= 25
    assert all(value.startswith("character:") for _, value in default)
