"""The news post: what a channel sees for one article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.cards import TITLE_LIMIT
from bot.feeds.post import SUMMARY_LIMIT, defuse_mentions, news_card, spoiler_guard_active
from tests.helpers.feeds import news_item, sample_feed

PUBLISHED = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def test_the_card_links_the_headline_and_shows_outlet_time_and_image() -> None:
    """Readers see the headline linking to the article, the outlet, a Discord timestamp and the image."""
    item = sample_feed("kdrama-dispatch-wordpress.xml").items[0]
    card = news_card(item)
    assert card.title == item.title
    assert card.url == "https://kdramadispatch.example/2026/11/aouad-season-2-wraps/"
    assert card.author == "K-Drama Dispatch"
    unix = int(PUBLISHED.timestamp())
    assert f"<t:{unix}:f>" in card.description
    assert f"<t:{unix}:R>" in card.description
    assert card.image_url == item.image
    assert card.timestamp == PUBLISHED


def test_long_headlines_and_summaries_are_cut_to_discords_limits() -> None:
    """A 400-character headline and a 2,000-character summary still produce a valid embed."""
    card = news_card(news_item(title="Headline " * 50, summary="Long summary sentence. " * 100))
    assert len(card.title) <= TITLE_LIMIT
    summary = card.description.split("\n\n")[0]
    assert len(summary) <= SUMMARY_LIMIT
    assert summary.endswith("…")


def test_feed_text_never_pings() -> None:
    """@everyone, @here and user or role mentions in a feed are defused."""
    card = news_card(news_item(title="@everyone look <@123456> <@&987>", summary="@here read this <@!42> <#7>"))
    for text in (card.title, card.description, card.author):
        assert "@everyone" not in text
        assert "@here" not in text
        assert "<@1" not in text
        assert "<@&9" not in text
        assert "<@!4" not in text
    assert defuse_mentions("plain @ sign and a@b.example") == "plain @ sign and a@b.example"


def test_the_spoiler_guard_hides_headline_summary_and_image() -> None:
    """With the guard on, headline and summary are in spoiler tags and the image is left out."""
    item = news_item(
        title="Who survives the finale", summary="Big reveal in episode 8.", image="https://a.example/i.jpg"
    )
    card = news_card(item, spoiler_guard=True)
    assert "Who survives" not in card.title
    assert "||Who survives the finale||" in card.description
    assert "||Big reveal in episode 8.||" in card.description
    assert card.image_url is None
    assert card.url == item.link


def test_an_item_without_summary_or_image_still_makes_a_card() -> None:
    """Google News items (no summary, no image) produce a clean card with just outlet and time."""
    item = sample_feed("google-news-search.xml").items[1]
    card = news_card(item, feed_title="Google News search")
    assert card.author == "Seoul Screen Report"
    assert card.description.startswith("Published <t:")
    assert card.image_url is None
    assert card.footer == "Google News search"


def test_the_spoiler_guard_window_runs_from_premiere_for_n_days() -> None:
    """The guard is on from the premiere until N days after it, and off without a premiere date."""
    premiere = datetime(2027, 1, 29, 8, 0, tzinfo=UTC)
    assert not spoiler_guard_active(premiere, 7, premiere - timedelta(minutes=1))
    assert spoiler_guard_active(premiere, 7, premiere)
    assert spoiler_guard_active(premiere, 7, premiere + timedelta(days=6, hours=23))
    assert not spoiler_guard_active(premiere, 7, premiere + timedelta(days=7))
    assert not spoiler_guard_active(None, 7, premiere)
    assert not spoiler_guard_active(premiere, 0, premiere)
