"""The news post: what a channel sees for one article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cards import TITLE_LIMIT, defuse_mentions, strip_invisible
from bot.feeds.normalise import NewsItem, normalise_item
from bot.feeds.parse import ParsedFeed, ParsedItem
from bot.feeds.post import MAX_SOURCES, SUMMARY_LIMIT, news_card, spoiler_guard_active
from tests.helpers.feeds import news_item, sample_feed
from tests.helpers.markup import HOSTILE, ZWSP, live_markup, masked_links, shown, spoilers

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


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_hostile_feed_text_reads_as_written_on_the_card(raw: str, read: str) -> None:
    """Headline and summary show their own characters: no link, spoiler, heading, code or ping comes alive."""
    card = news_card(news_item(title=raw, summary=f"Summary: {raw}"))
    summary, published = card.description.split("\n\n")
    for text, expected in ((card.title, read), (summary, f"Summary: {read}")):
        assert shown(text) == expected
        assert live_markup(text) == []
    assert published.startswith("Published <t:")


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_the_spoiler_guard_hides_hostile_headlines_whole(raw: str, read: str) -> None:
    """Under the guard, a headline holding |||, ||x|| or a trailing pipe stays hidden to its last character."""
    card = news_card(news_item(title=f"Finale: {raw}", summary=f"{raw} more"), spoiler_guard=True)
    assert [shown(inner).removesuffix(" ") for inner in spoilers(card.description)] == [
        f"Finale: {read}",
        f"{read} more",
    ]
    hidden, summary, published = card.description.split("\n\n")
    assert hidden.startswith("||") and hidden.endswith("||")
    assert summary.startswith("||") and summary.endswith("||")
    assert published.startswith("Published ")


@pytest.mark.parametrize(("raw", "read"), HOSTILE)
def test_outlet_and_feed_title_show_as_typed_without_invisible_controls(raw: str, read: str) -> None:
    """Discord shows the author line and footer verbatim: no backslashes added, no bidi override, no ping."""
    card = news_card(news_item(outlet=raw), feed_title=f"{raw} feed")
    assert card.author.replace(ZWSP, "") == strip_invisible(raw)
    assert card.footer.replace(ZWSP, "") == f"{strip_invisible(raw)} feed"
    for text in (card.author, card.footer):
        assert "@everyone" not in text
        assert "\u202e" not in text and "\u200d" not in text
    guarded = news_card(news_item(outlet=raw), spoiler_guard=True)
    assert shown(guarded.title) == f"New from {read} (spoiler guard: tap to reveal)"
    assert live_markup(guarded.title) == []


def test_a_link_with_brackets_and_spaces_is_made_safe() -> None:
    """An article address holding ")", brackets or spaces is percent-encoded, so it stays one working link."""
    card = news_card(news_item(link="https://news.example/a) [free](https://phish.example"))
    assert card.url == "https://news.example/a%29%20%5Bfree%5D%28https://phish.example"


def test_an_escaped_headline_still_fits_the_title_limit() -> None:
    """A 256-character headline of markdown characters is cut so that, escaped, it fits Discord's title limit."""
    card = news_card(news_item(title="*_|" * 100, summary="[x](y) " * 100))
    assert len(card.title) <= TITLE_LIMIT
    assert live_markup(card.title) == []
    assert len(card.description.split("\n\n")[0]) <= SUMMARY_LIMIT
    assert masked_links(card.description) == []


def _description_only(link: str | None) -> NewsItem:
    feed = ParsedFeed("rss20", "Site", "https://site.example/", None, ())
    entry = ParsedItem(
        guid=None,
        link=link,
        title=None,
        summary="<p>Netflix confirms season 2. Filming starts in the spring in Seoul.</p>",
        content_html=None,
        published=datetime(2026, 11, 22, 9, tzinfo=UTC),
        author=None,
        image=None,
        source_title=None,
        source_url=None,
        categories=(),
    )
    return normalise_item(entry, feed=feed, fetched_at=datetime(2026, 11, 23, 8, tzinfo=UTC))


def test_a_description_only_item_is_headlined_by_its_first_sentence() -> None:
    """An RSS item with only a description is posted with its first sentence as the headline, linked."""
    card = news_card(_description_only("https://site.example/s2?c#cast"))
    assert card.title == "Netflix confirms season 2."
    assert card.url == "https://site.example/s2?c#cast"
    assert "Filming starts in the spring" in card.description


def test_an_item_without_title_or_link_is_posted_without_a_link() -> None:
    """A title-less, link-less description is still a readable card, just not a link."""
    card = news_card(_description_only(None))
    assert card.title == "Netflix confirms season 2."
    assert card.url is None
    assert card.description.split("\n\n")[0].startswith("Netflix confirms season 2.")


def test_a_stored_item_without_a_headline_still_shows_more_than_a_date() -> None:
    """An item kept from before headlines were drawn from descriptions is carded with its description's start."""
    card = news_card(news_item(title="", summary="Teaser drops Friday. More soon."))
    assert card.title == "Teaser drops Friday."


def test_other_outlets_are_named_once_each_capped_and_escaped() -> None:
    """The "Also reported by" field names each other outlet once (case aside), at most five, markup and pings inert."""
    outlets = ["Drama Digest", "drama  digest", "**Bold** News", "@everyone Daily", *[f"Site {n}" for n in range(9)]]
    card = news_card(news_item(), sources=outlets)
    (field,) = card.fields
    assert field.name == "Also reported by"
    names = field.value.split(", ")
    assert len(names) == MAX_SOURCES
    assert names[0] == "Drama Digest"
    assert names[1] == "\\*\\*Bold\\*\\* News"
    assert "@everyone" not in field.value
    assert news_card(news_item()).fields == ()
