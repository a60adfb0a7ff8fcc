"""Loading show packs: the bundled All of Us Are Dead pack, and broken packs naming their mistake."""

from __future__ import annotations

import re
from datetime import date, time
from importlib import resources
from pathlib import Path

import pytest

from bot.show import ShowPackError, bundled_packs, load_show, word_count
from bot.show.model import ReleaseClock, Show

PACK = "all-of-us-are-dead"


@pytest.fixture(scope="module")
def show() -> Show:
    return load_show(PACK)


@pytest.fixture(scope="module")
def pack_text() -> str:
    return (resources.files("bot.show") / "packs" / f"{PACK}.toml").read_text(encoding="utf-8")


def test_bundled_pack_is_listed_and_loads(show: Show) -> None:
    """The SHOW setting's default name loads the shipped pack with both titles and the network."""
    assert PACK in bundled_packs()
    assert (show.title, show.title_ko, show.network) == ("All of Us Are Dead", "지금 우리 학교는", "Netflix")


def test_season_one_has_twelve_recaps_of_the_right_length(show: Show) -> None:
    """All 12 episodes came out on 28 January 2022 and each recap is 80–200 words."""
    season = show.season(1)
    assert season is not None
    assert [e.number for e in season.episodes] == list(range(1, 13))
    for episode in season.episodes:
        assert episode.release_date == date(2022, 1, 28)
        assert 80 <= word_count(episode.recap) <= 200, episode.number


def test_season_two_exists_without_episodes(show: Show) -> None:
    """Season 2 is announced but has no known episodes, and the pack still loads."""
    season = show.season(2)
    assert season is not None
    assert season.episodes == ()
    assert season.overview


def test_every_season_one_cast_member_is_credited(show: Show) -> None:
    """Every main and supporting actor from the fact sheet has a season-1 credit."""
    credited = {c.person for c in show.credits_for(season=1)}
    assert credited == {
        "park-ji-hu", "yoon-chan-young", "cho-yi-hyun", "lomon", "yoo-in-soo", "lee-yoo-mi",
        "kim-byung-chul", "lee-kyu-hyung", "jeon-bae-soo", "lim-jae-hyuk", "ha-seung-ri",
        "son-sang-yeon", "kim-bo-yoon", "lee-eun-saem", "ham-sung-min", "kim-jin-young",
        "kim-joo-ah", "lee-min-goo", "um-hyo-sup", "lee-sang-hee",
    }  # fmt: skip
    main = [c.person for c in show.credits_for(season=1) if c.billing == "main"]
    assert main[:4] == ["park-ji-hu", "yoon-chan-young", "cho-yi-hyun", "lomon"]


def test_season_two_cast_separates_netflix_from_reports(show: Show) -> None:
    """Netflix's announced cast is confirmed (returning or new); other names are only reported."""
    by_person = {c.person: c for c in show.credits_for(season=2)}
    for person in ("park-ji-hu", "yoon-chan-young", "cho-yi-hyun", "lomon"):
        assert (by_person[person].kind, by_person[person].status) == ("returning", "confirmed")
    assert by_person["roh-jae-won"].character == "han-du-seok"
    for person in ("lee-min-jae", "kim-si-eun", "yoon-ga-i", "roh-jae-won"):
        assert (by_person[person].kind, by_person[person].status) == ("new", "confirmed")
        assert by_person[person].sources[0].date == date(2025, 7, 23)
    for person in ("seo-ji-hoon", "ahn-dong-goo", "yoo-in-soo", "lee-yoo-mi"):
        assert by_person[person].status == "reported"
        assert by_person[person].sources[0].date is not None
        assert by_person[person].note


def test_release_status_is_reported_with_its_contradictions(show: Show) -> None:
    """Season 2 has no official date: the window is only reported, with sources and the disagreements noted."""
    release = show.next_season
    assert release is not None
    assert (release.season, release.status, release.precision) == (2, "reported", "year")
    assert (release.window_start, release.window_end) == (date(2026, 9, 1), date(2027, 4, 30))
    assert release.as_of == date(2026, 2, 23)
    assert any(r.source.outlet == "Telegraph India" for r in release.sources)
    assert any("December" in c and "2027" in c for c in release.contradictions)


def test_netflix_releases_at_midnight_pacific(show: Show) -> None:
    """The pack says when Netflix puts a season out, so the premiere event starts at 00:00 US Pacific."""
    assert show.release_clock == ReleaseClock(time=time(0, 0), timezone="America/Los_Angeles")


def test_a_community_pack_loads_from_a_path(tmp_path: Path, pack_text: str) -> None:
    """A community can point SHOW at its own copy of a pack file."""
    path = tmp_path / "our-show.toml"
    path.write_text(pack_text.replace('title = "All of Us Are Dead"', 'title = "Our Show"'), encoding="utf-8")
    assert load_show(str(path)).title == "Our Show"


def test_an_unknown_bundled_name_lists_the_available_packs() -> None:
    """A typo in SHOW says which packs exist."""
    with pytest.raises(ShowPackError, match=r"no bundled pack called 'all-of-us-are-ded'.*all-of-us-are-dead"):
        load_show("all-of-us-are-ded")


def test_a_missing_file_is_named() -> None:
    """A path that does not exist is reported with the path."""
    with pytest.raises(ShowPackError, match=r"nowhere/show\.toml: cannot read the file"):
        load_show("nowhere/show.toml")


RECAP_ONE = re.compile(r'recap = """\nOn a rainy night.*?"""', re.DOTALL)

BROKEN = [
    # (what the moderator got wrong, old text, new text, key path in the message, problem in the message)
    ("typo in a key", 'aliases = ["Onjo"]', 'alises = ["Onjo"]', "characters[0].alises", "unknown key"),
    ("a string where a list belongs", 'aliases = ["Onjo"]', 'aliases = "Onjo"', "characters[0].aliases",
     "expected an array, got a string"),
    ("a missing title", 'title_ko = "지금 우리 학교는"\n', "", "show.title_ko", "missing required key"),
    ("an impossible date", "release_date = 2022-01-28\noverview", 'release_date = "2022-13-45"\noverview',
     "seasons[0].release_date", "bad date '2022-13-45'"),
    ("a duplicate person id", 'id = "yoon-chan-young"', 'id = "park-ji-hu"', "people[1].id",
     "duplicate person id 'park-ji-hu'"),
    ("a credit for an unknown person", 'person = "lomon"', 'person = "lomonn"', "credits[3].person",
     "unknown person 'lomonn'"),
    ("a credit for an unknown character", 'character = "choi-nam-ra"\nbilling',
     'character = "choi-namra"\nbilling', "credits[2].character", "unknown character 'choi-namra'"),
    ("an arc beat in an episode that does not exist", "{ episode = 12, text = \"Seen among",
     "{ episode = 13, text = \"Seen among", "arcs[1].beats[9].episode", "season 1 has no episode 13"),
    ("a recap that is too short", None, 'recap = "Jin-su falls from a roof and lives."',
     "seasons[0].episodes[0].recap", "recap is 7 words; it must be 80–200"),
    ("an unclosed spoiler", "hurled through a window.||", "hurled through a window.", "seasons[0].episodes[1].recap",
     "unbalanced spoiler"),
    ("a made-up release status", 'status = "reported"\nwindow_start', 'status = "soon"\nwindow_start',
     "next_season.status", "must be one of confirmed, reported, rumoured"),
    ("a window that ends before it starts", "window_end = 2027-04-30", "window_end = 2026-01-01",
     "next_season.window_end", "before it starts"),
    ("a beat kind typo", 'kind = "death" }', 'kind = "died" }', "arcs[0].beats[2].kind",
     "must be one of event, death, turn, fate"),
    ("a gap in episode numbers", "number = 2\nrelease_date = 2022-01-28", "number = 3\nrelease_date = 2022-01-28",
     "seasons[0].episodes[1].number", "numbered 1, 2, 3"),
    ("an id with spaces", 'id = "lomon"', 'id = "Lo mon"', "people[3].id", "lowercase letters/digits"),
    ("romanisation in the Hangul field", 'hangul = "로몬"', 'hangul = "Lomon"', "people[3].hangul",
     "'Lomon' contains no Hangul"),
    ("a date-time instead of a date", "as_of = 2026-02-23", "as_of = 2026-02-23T10:00:00Z", "next_season.as_of",
     "got a date-time"),
    ("a weak flag that is not true or false", "weak = true", 'weak = "yes"', "credits[30].weak",
     "expected true or false"),
    ("a release time that is not a time", 'release_time = "00:00"', 'release_time = "midnight"',
     "show.release_time", "expected a time of day"),
    ("a release time out of range", 'release_time = "00:00"', 'release_time = "24:30"', "show.release_time",
     "bad time '24:30'"),
    ("a made-up release time zone", 'release_timezone = "America/Los_Angeles"',
     'release_timezone = "Pacific/Hollywood"', "show.release_timezone", "unknown time zone 'Pacific/Hollywood'"),
    ("a release time without its zone", 'release_timezone = "America/Los_Angeles"\n', "",
     "show.release_timezone", "give both release_time and release_timezone"),
    ("a confirmed credit marked weak", 'status = "reported"\nweak = true', 'status = "confirmed"\nweak = true',
     "credits[30].weak", "only a reported credit can rest on a weak source"),
]  # fmt: skip


@pytest.mark.parametrize(("mistake", "old", "new", "key", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_pack_names_file_key_and_problem(
    tmp_path: Path, pack_text: str, mistake: str, old: str | None, new: str, key: str, problem: str
) -> None:
    """Loading a pack with one mistake fails with one line: the file, the key path and what is wrong."""
    if old is None:
        broken, count = RECAP_ONE.subn(new, pack_text, count=1)
        assert count == 1
    else:
        assert old in pack_text, f"test setup: {old!r} not in the pack"
        broken = pack_text.replace(old, new, 1)
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ShowPackError) as caught:
        load_show(str(path))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {key}: "), message
    assert problem in message, message


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    """A syntax error is reported with the file and TOML's own line/column hint."""
    path = tmp_path / "bad.toml"
    path.write_text('[show]\nid = "x\n', encoding="utf-8")
    with pytest.raises(ShowPackError, match=r"bad\.toml: not valid TOML"):
        load_show(str(path))
