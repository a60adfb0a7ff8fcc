"""Role pings: which posts may ping, which roles a moderator may pick, and what counts as news caught up late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import db.feeds as store
from bot.feeds.pings import FRESH_FOR, PingRole, catching_up, ping_refusal, still_fresh, wants_ping
from tests.helpers.feeds import news_item

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WORDS = "release date, trailer, teaser"


@pytest.mark.parametrize(
    ("title", "summary", "words", "pings"),
    [
        ("Netflix sets the RELEASE DATE", "", WORDS, True),
        ("Season 2 news", "The first teaser arrives Friday.", WORDS, True),
        ("Trailers of the week", "", WORDS, False),  # a whole word, not a part of one
        ("The release of the date-night special", "", WORDS, False),  # a phrase, not its words apart
        ("Makeup team interview", "Nothing about the premiere.", WORDS, False),
        ("Makeup team interview", "", "", True),  # no words: every post may ping
        ("티저 공개", "", "티저", True),
    ],
)
def test_ping_words_match_whole_words(title: str, summary: str, words: str, pings: bool) -> None:
    """A post pings only when one of the words or phrases appears, in any case, as a whole word."""
    assert wants_ping(news_item(title=title, summary=summary), words) is pings


def role(name: str = "Season 2 news", *, everyone: bool = False, mentionable: bool = True) -> PingRole:
    return PingRole(42, name, everyone=everyone, mentionable=mentionable)


@pytest.mark.parametrize(
    ("chosen", "mention_everyone", "refused"),
    [
        (role(), False, None),
        (role(mentionable=False), True, None),
        (role(mentionable=False), False, "not mentionable"),
        (role("@everyone", everyone=True), True, "never pings"),
        (role("Everyone"), True, "never pings"),
        (role(" @here "), True, "never pings"),
    ],
)
def test_which_roles_news_may_ping(chosen: PingRole, mention_everyone: bool, refused: str | None) -> None:
    """A mentionable role, or any role with Mention Everyone, is accepted; @everyone and look-alikes never are."""
    refusal = ping_refusal(chosen, can_mention_everyone=mention_everyone, channel="#news")
    if refused is None:
        assert refusal is None
    else:
        assert refusal is not None and refused in str(refusal)


def feed(*, due: timedelta, error: str | None = None, failing: timedelta | None = None) -> store.Feed:
    return store.Feed(
        id=1,
        url="https://quiet.example/feed",
        title="Quiet",
        etag=None,
        last_modified=None,
        last_fetch_at=None,
        last_status=200,
        last_error=error,
        next_due_at=NOW - due,
        consecutive_failures=1 if failing is not None else 0,
        failing_since=None if failing is None else NOW - failing,
        paused_reason=None,
        pause_announced=False,
    )


@pytest.mark.parametrize(
    ("polled", "late"),
    [
        (feed(due=timedelta(seconds=5)), False),
        (feed(due=FRESH_FOR + timedelta(seconds=1)), True),  # Marquee was down
        (feed(due=timedelta(0), error="HTTP 503", failing=timedelta(minutes=1)), False),  # one hiccup
        (feed(due=timedelta(0), error="HTTP 503", failing=timedelta(hours=2)), True),  # the site was down
        (feed(due=timedelta(0), error="paused after 404s"), True),  # just resumed after a pause
    ],
)
def test_a_poll_after_an_outage_or_a_pause_is_catching_up(polled: store.Feed, late: bool) -> None:
    """News a late poll, a long-failing feed or a resumed feed brings back is not fresh enough to ping."""
    assert catching_up(polled, NOW) is late


def test_a_post_held_back_in_the_outbox_no_longer_pings() -> None:
    """A post waiting longer than FRESH_FOR (a paused channel, Discord down) goes out quietly."""
    assert still_fresh(NOW - FRESH_FOR, NOW)
    assert not still_fresh(NOW - FRESH_FOR - timedelta(seconds=1), NOW)
    assert not still_fresh(None, NOW)
