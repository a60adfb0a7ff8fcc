"""De-duplication keys: an article is posted once per channel, however it reaches the bot."""

from __future__ import annotations

import pytest

from bot.feeds.dedup import (
    NONCE_LENGTH,
    delivery_nonce,
    identity_keys,
    item_key,
    normalise_title,
    story_key,
    story_keys,
)
from tests.helpers.feeds import news_item, sample_feed


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Season 2 WRAPS filming!", "season 2 wraps filming"),
        ("“All of Us Are Dead” returns", '"All of Us Are Dead" returns'),
        ("Ｓｅａｓｏｎ　２", "season 2"),
        ("지금 우리 학교는, 시즌2!", "지금 우리 학교는 시즌2"),
    ],
)
def test_headlines_that_differ_only_in_case_punctuation_or_width_compare_equal(a: str, b: str) -> None:
    """Retyped or re-punctuated headlines are recognised as the same headline."""
    assert normalise_title(a) == normalise_title(b)


def test_the_guid_is_the_primary_key_then_link_then_title() -> None:
    """An item is stored under its guid when it has one, else its canonical link, else its title."""
    with_guid = news_item()
    no_guid = news_item(guid=None)
    title_only = news_item(guid=None, link="")
    assert item_key(with_guid).startswith("g:")
    assert item_key(no_guid).startswith("l:")
    assert item_key(title_only).startswith("t:")
    assert len(identity_keys(with_guid)) == 3


def test_a_re_published_item_with_new_tracking_parameters_keeps_its_keys() -> None:
    """A feed re-sending an article with a fresh utm_ link and a touched-up title is not posted again."""
    first = news_item(guid=None, link="https://site.example/a/?utm_source=rss")
    again = news_item(guid=None, link="https://site.example/a/?utm_source=newsletter&fbclid=1")
    assert item_key(first) == item_key(again)


def test_different_articles_get_different_keys() -> None:
    """Two distinct articles never share a key, or one would silently never be posted."""
    items = sample_feed("kdrama-dispatch-wordpress-newer.xml").items
    keys = [item_key(item) for item in items]
    assert len(set(keys)) == len(keys)


def test_the_same_story_through_google_news_and_the_site_feed_shares_a_story_key() -> None:
    """A site's article and the Google News entry pointing to it are one story (matched by headline)."""
    site = sample_feed("kdrama-dispatch-wordpress.xml").items[0]
    google = sample_feed("google-news-search.xml").items[0]
    assert set(story_keys(site)) & set(story_keys(google))
    other = sample_feed("google-news-search.xml").items[1]
    assert not set(story_keys(site)) & set(story_keys(other))
    assert story_key(site) == story_key(google)
    assert story_key(site) != story_key(other)


def test_generic_short_headlines_do_not_merge_stories() -> None:
    """Two feeds' posts titled just "Trailer" with different links stay separate stories."""
    a = news_item(title="Trailer", link="https://a.example/1")
    b = news_item(title="Trailer", link="https://b.example/2")
    assert not set(story_keys(a)) & set(story_keys(b))
    assert story_key(a) != story_key(b)


def test_delivery_nonces_are_deterministic_distinct_and_fit_discord() -> None:
    """Resending after a crash reuses the nonce; other channels or items get their own; ≤25 characters."""
    key = item_key(news_item())
    nonce = delivery_nonce(key, 1001)
    assert nonce == delivery_nonce(key, 1001)
    assert nonce != delivery_nonce(key, 1002)
    assert nonce != delivery_nonce(item_key(news_item(guid="other")), 1001)
    assert len(nonce) <= NONCE_LENGTH == 25
