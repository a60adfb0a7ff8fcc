"""The translator behind command names and replies: English keys, Korean tables, English whenever in doubt."""

from __future__ import annotations

import pytest
from discord import app_commands

import bot.i18n
from bot.countdown.keeper import missing_sentence
from bot.errors import UserFacingError
from bot.feeds.filters import FilterError, normalise_domain
from bot.feeds.service import FeedService
from bot.i18n import Text, TranslatableError, locale_file, lookup, translate
from bot.show.errors import SeasonNotFound, UnknownEntry
from bot.tree import describe_check_failure


def test_english_and_unknown_languages_get_the_english_template_filled_in() -> None:
    """An English client, or a language Marquee has no table for, reads the English with its values."""
    template = "Season {season} has episodes 1–{count}; there is no episode {episode}."
    expected = "Season 1 has episodes 1–12; there is no episode 13."
    for locale in (None, "", "en-US", "en-GB", "fr", "zh-TW"):
        assert translate(template, locale, season=1, count=12, episode=13) == expected


def test_korean_gets_the_korean_text_with_the_same_values() -> None:
    """A Korean client reads the Korean template with the same values filled in."""
    template = "Season {season} has episodes 1–{count}; there is no episode {episode}."
    assert translate(template, "ko", season=1, count=12, episode=13) == "시즌 1에는 1–12화가 있어요. 13화는 없어요."


def test_a_text_without_a_translation_falls_back_to_english() -> None:
    """A reply nobody translated yet still answers, in English."""
    assert translate("Nobody translated {what} yet.", "ko", what="this") == "Nobody translated this yet."


def test_only_locales_with_a_file_have_a_table() -> None:
    """Korean (by full code or language) has a table; other locales have none."""
    assert locale_file("ko") == "ko.toml"
    assert locale_file("en-US") is None
    assert locale_file(None) is None


def test_a_translation_that_does_not_fit_its_values_answers_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """A slip in a locale file (a renamed placeholder) costs the Korean text, never the reply."""
    monkeypatch.setattr(bot.i18n, "lookup", lambda text, locale: "{renamed}번 시즌은 없어요.")
    assert translate("No season {season}.", "ko", season=7) == "No season 7."


def test_text_values_are_translated_into_the_same_language() -> None:
    """A part made further down (the "or" between suggestions) follows the reader's language too."""
    error = UnknownEntry("Hyun Bin", ("Cho Yi-hyun", "Yoon Chan-young"))
    assert str(error) == "I don't know anyone called “Hyun Bin”. Did you mean **Cho Yi-hyun** or **Yoon Chan-young**?"
    assert error.translated("ko") == (
        "“Hyun Bin”(이)라는 사람은 모르겠어요. 혹시 **Cho Yi-hyun** 또는 **Yoon Chan-young**을(를) 찾으셨나요?"
    )
    assert Text("{names} or {last}", names="A, B", last="C").render("ko") == "A, B 또는 C"


def test_an_error_stays_english_for_logs_and_speaks_korean_to_a_korean_user() -> None:
    """An error's str() stays English for the logs; the Korean user reads Korean."""
    error = SeasonNotFound(7, (1, 2))
    assert str(error) == "There is no season 7 here. Seasons I know: 1, 2."
    assert error.translated("ko") == "시즌 7은(는) 없어요. 알고 있는 시즌: 1, 2."
    assert error.translated("en-US") == str(error)
    assert SeasonNotFound(3, ()).translated("ko") == "시즌 3은(는) 없어요. 알고 있는 시즌: 없음."


def test_an_error_takes_a_template_with_values_or_a_text_made_elsewhere() -> None:
    """An error accepts a template with values or a ready Text, and translates either."""
    made = Text("A keyword cannot be empty.")
    assert UserFacingError(made).text is made
    with pytest.raises(TypeError):
        UserFacingError(made, extra=1)
    assert isinstance(UserFacingError("x"), TranslatableError)


def test_a_filter_error_is_still_a_value_error_and_its_reason_travels_on() -> None:
    """A bad keyword still raises a ValueError, and its reason reaches the user translated."""
    with pytest.raises(FilterError) as caught:
        normalise_domain("not a domain")
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "'not a domain' is not a domain name."
    assert UserFacingError(caught.value.text).translated("ko") == "'not a domain'은(는) 도메인 이름이 아니에요."


def test_a_keyword_problem_names_the_option_as_the_users_client_shows_it() -> None:
    """A keyword problem names the option (include/exclude) as the user's client shows it."""
    with pytest.raises(UserFacingError) as caught:
        FeedService.keywords("x" * 61, None)
    assert str(caught.value) == "The include keywords cannot be used: Keywords are limited to 60 characters."
    assert caught.value.translated("ko") == "포함 키워드를 쓸 수 없어요: 키워드는 60자까지만 쓸 수 있어요."


def test_the_missing_permissions_sentence_keeps_its_english_and_has_korean() -> None:
    """The countdown's missing-permission sentence keeps its English wording and has a Korean one."""
    one = missing_sentence("<#1>", ["Pin Messages"])
    assert str(one).startswith("I can't keep the countdown in <#1>: I am missing the Pin Messages permission there.")
    assert "grant it in" in str(one)
    several = missing_sentence("<#1>", ["Send Messages", "Embed Links", "Pin Messages"])
    assert "missing the Send Messages, Embed Links and Pin Messages permissions there" in str(several)
    assert "grant them in" in str(several)
    assert "Send Messages, Embed Links, Pin Messages 권한이 없어요" in several.render("ko")


def test_check_failures_are_english_by_default_and_korean_on_request() -> None:
    """Check failures (missing Manage Server) are English by default and Korean for a Korean client."""
    error = app_commands.MissingPermissions(["manage_guild"])
    assert describe_check_failure(error) == "You need the Manage Server permission to use this command."
    assert describe_check_failure(error, "ko") == "이 명령어를 쓰려면 Manage Server 권한이 필요해요."
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60.0), 41.6)
    assert describe_check_failure(cooldown, "ko") == "조금만 천천히요: 42초 뒤에 다시 해 보세요."


def test_command_names_come_from_the_same_table() -> None:
    """One file per language serves both: what ``MarqueeTranslator`` gives Discord is what ``lookup`` finds."""
    assert lookup("feeds", "ko") == "피드"
    assert lookup("Feed status", "ko") == "피드 상태"
    assert lookup("feeds", "en-US") is None
