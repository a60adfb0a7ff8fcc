"""De-duplication keys: an article is posted once per channel, however it reaches the bot."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.feeds.dedup import (
    NONCE_LENGTH,
    delivery_nonce,
    identity_keys,
    item_key,
    normalise_title,
    story_key,
    story_keys,
    text_key,
)
from tests.helpers.feeds import FETCHED_AT, news_item, sample_feed


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
    """An item is stored under its guid (its link as a second key) when it has one, else its link, else its title."""
    with_guid = news_item()
    no_guid = news_item(guid=None)
    title_only = news_item(guid=None, link="")
    assert item_key(with_guid).startswith("g:")
    assert item_key(no_guid).startswith("l:")
    assert item_key(title_only).startswith("t:")
    assert len(identity_keys(with_guid)) == 2  # the headline is no key of an item with a guid or a link


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


def _shares(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return bool(set(a) & set(b))


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # a guid the feed reissued for the same link (a CMS migration): the same item
        ({"guid": "https://s.example/?p=1"}, {"guid": "tag:s.example,2026:post-1"}, True),
        # the same guid with a fresh tracking parameter on the link: the same item
        ({"link": "https://s.example/a?utm_source=rss"}, {"link": "https://s.example/a?utm_source=mail"}, True),
        # a recurring headline with a new guid and link: new
        (
            {"guid": "t3_1a", "link": "https://r.example/1a", "title": "Episode 3 discussion"},
            {"guid": "t3_2b", "link": "https://r.example/2b", "title": "Episode 3 discussion"},
            False,
        ),
        # a recurring headline without guids, with a new link: new
        (
            {"guid": None, "link": "https://s.example/w1", "title": "Weekly open thread"},
            {"guid": None, "link": "https://s.example/w2", "title": "Weekly open thread"},
            False,
        ),
        # different guids, links that differ only by fragment (a live blog's updates): different items
        (
            {"guid": "live-1", "link": "https://s.example/live#u1", "title": "Cast confirmed"},
            {"guid": "live-2", "link": "https://s.example/live#u2", "title": "Filming starts"},
            False,
        ),
        # neither guid nor link: the headline plus its date
        ({"guid": None, "link": "", "title": "Teaser out"}, {"guid": None, "link": "", "title": "Teaser out"}, True),
        (
            {"guid": None, "link": "", "title": "Teaser out"},
            {"guid": None, "link": "", "title": "Teaser out", "published": FETCHED_AT + timedelta(days=7)},
            False,
        ),
    ],
)
def test_identity_follows_the_documented_rules(first: dict[str, object], second: dict[str, object], same: bool) -> None:
    """A reissued guid or a re-tagged link is not posted twice; a recurring headline or a #fragment entry is news."""
    assert _shares(identity_keys(news_item(**first)), identity_keys(news_item(**second))) is same


def test_an_undated_title_only_entry_keeps_its_key_from_poll_to_poll() -> None:
    """An entry with only a headline and no date is not posted again at each poll (its time is the fetch time)."""
    one = news_item(guid=None, link="", dated=False, published=FETCHED_AT)
    two = news_item(guid=None, link="", dated=False, published=FETCHED_AT + timedelta(minutes=15))
    assert item_key(one) == item_key(two)


def test_story_keys_are_the_canonical_link_and_a_distinctive_headline() -> None:
    """An aggregator's copy matches the publisher's by link (other utm_) or by headline, whichever survives."""
    publisher = news_item(link="https://pub.example/a?utm_source=rss", title="Season 2 wraps filming in Seoul")
    by_link = news_item(link="https://pub.example/a?utm_source=agg", title="Season two has wrapped, sources say")
    by_title = news_item(link="https://news.google.com/rss/articles/CBM1", title="Season 2 wraps filming in Seoul!")
    assert len(story_keys(publisher)) == 2
    assert _shares(story_keys(publisher), story_keys(by_link))
    assert _shares(story_keys(publisher), story_keys(by_title))


@pytest.mark.parametrize(
    ("changes", "material"),
    [
        ({"title": "Netflix sets  the season 2 DATE!"}, False),
        ({"summary": " The streamer confirmed it, on Monday. "}, False),
        ({"title": "Netflix confirms season 2 for January 30"}, True),
        ({"summary": "The streamer confirmed January 30 on Monday."}, True),
        ({"link": "https://dispatch.example/moved", "image": "https://img.example/new.jpg"}, False),
    ],
)
def test_only_a_new_headline_or_summary_changes_the_text_key(changes: dict[str, str], material: bool) -> None:
    """A retouched comma, case or spacing keeps an article's text key; new words in headline or summary change it."""
    before = news_item(title="Netflix sets the season 2 date", summary="The streamer confirmed it on Monday.")
    after = news_item(**{"title": before.title, "summary": before.summary, **changes})
    assert (text_key(after) != text_key(before)) is material
