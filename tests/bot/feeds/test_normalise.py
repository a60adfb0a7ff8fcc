"""Normalising: what readers see of an item is clean text, the right outlet, a clean link, a UTC time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.feeds.normalise import (
    clean_text,
    first_image,
    normalise_feed,
    normalise_item,
    split_outlet,
    strip_reddit_boilerplate,
    strip_wordpress_tails,
    to_utc,
)
from bot.feeds.parse import ParsedFeed, ParsedItem
from tests.helpers.feeds import FETCHED_AT, sample_feed


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("&#8220;All of Us Are Dead&#8221; returns", "“All of Us Are Dead” returns"),
        ("<p>One</p><p>Two&nbsp;&amp; three</p>", "One Two & three"),
        ("Line one<br/>line   two\n\n\tthree", "Line one line two three"),
        ("<script>alert('x')</script><style>p{}</style>Visible", "Visible"),
        ("<!-- SC_OFF --><div class='md'>Body</div><!-- SC_ON -->", "Body"),
        ("&amp;#8220;double&amp;#8221; escaped", "“double” escaped"),
        ("&lt;b&gt;escaped markup&lt;/b&gt;", "escaped markup"),
        ("zero\u200bwidth", "zerowidth"),
        ("zom\u200dbie \u2060joined\ufeff", "zombie joined"),
        ("Cast list exe.\u202egpj", "Cast list exe.gpj"),
        ("\u202aembedded\u202c \u202bright\u202c \u202doverride\u202c", "embedded right override"),
        ("\u2066isolate\u2069 \u2067r\u2069 \u2068fs\u2069", "isolate r fs"),
        ("marks\u200e\u200f and \u061carabic", "marks and arabic"),
        ("지금 우리 학교는 &lt;시즌2&gt;", "지금 우리 학교는 <시즌2>"),  # angle-bracketed titles are not tags
        ("", ""),
        (None, ""),
    ],
)
def test_text_is_decoded_stripped_and_collapsed(raw: str | None, clean: str) -> None:
    """Entities become characters, markup disappears and whitespace runs become one space."""
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("title", "source", "guess", "expected"),
    [
        (
            "Season 2 wraps filming - Seoul Screen Report",
            "Seoul Screen Report",
            False,
            ("Season 2 wraps filming", "Seoul Screen Report"),
        ),
        ("Cast - and crew - celebrate - Daily", "Daily", False, ("Cast - and crew - celebrate", "Daily")),
        ("A headline - With a dash", "Other Outlet", False, ("A headline - With a dash", "Other Outlet")),
        ("'지금 우리 학교는' 시즌2 - 한류데일리", "한류데일리", False, ("'지금 우리 학교는' 시즌2", "한류데일리")),
        ("Headline without source - Some Outlet", None, True, ("Headline without source", "Some Outlet")),
        ("Headline without source - Some Outlet", None, False, ("Headline without source - Some Outlet", None)),
    ],
)
def test_google_news_titles_are_split_from_their_outlet(
    title: str, source: str | None, guess: bool, expected: tuple[str, str | None]
) -> None:
    """ " - Outlet" suffixes are removed using the <source> text, never cutting a dash inside a headline."""
    assert split_outlet(title, source, guess=guess) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Post body here. submitted by /u/hyosan_survivor [link] [comments]", "Post body here."),
        ("submitted by /u/rooftop-sketches [link] [comments]", ""),
        ("Body submitted by /u/x to r/KDRAMA [link] [comments]", "Body"),
        ("I was submitted by my school for a prize", "I was submitted by my school for a prize"),
    ],
)
def test_reddit_boilerplate_is_removed(text: str, expected: str) -> None:
    """Reddit's "submitted by /u/… [link] [comments]" tail never reaches a post; ordinary prose stays."""
    assert strip_reddit_boilerplate(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Filming has ended and VFX begins […]", "Filming has ended and VFX begins…"),
        ("Filming has ended. Continue reading →", "Filming has ended."),
        (
            "Filming has ended. The post Season 2 wraps appeared first on K-Drama Dispatch.",
            "Filming has ended.",
        ),
        ("The cast read more scripts this week", "The cast read more scripts this week"),
    ],
)
def test_wordpress_excerpt_tails_are_removed(text: str, expected: str) -> None:
    """Excerpt markers and "appeared first on" footers do not eat into the 300-character summary."""
    assert strip_wordpress_tails(text) == expected


def test_first_image_takes_the_first_http_image() -> None:
    """The WordPress image fallback skips data: URIs and decodes the address."""
    markup = '<img src="data:image/gif;base64,R0l"><p><img class="x" src="https://a.example/i.jpg?w=1&amp;h=2"></p>'
    assert first_image(markup) == "https://a.example/i.jpg?w=1&h=2"
    assert first_image("<p>no image</p>") is None


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (None, FETCHED_AT),
        (datetime(2026, 11, 20, 18, 0, tzinfo=timezone(timedelta(hours=9))), datetime(2026, 11, 20, 9, 0, tzinfo=UTC)),
        (datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 9, 0, tzinfo=UTC)),  # noqa: DTZ001 - a naive input
        (FETCHED_AT + timedelta(days=30), FETCHED_AT),
    ],
)
def test_published_times_become_aware_utc(when: datetime | None, expected: datetime) -> None:
    """Missing or future-dated items get the fetch time; others are converted to UTC."""
    result = to_utc(when, FETCHED_AT)
    assert result == expected
    assert result.tzinfo is UTC


def test_google_news_items_carry_the_true_outlet_and_no_echoed_summary() -> None:
    """A Google News item shows its publisher from <source>, a bare headline and no duplicate summary."""
    items = {item.guid: item for item in sample_feed("google-news-search.xml").items}
    wrap = items["CBMiFixtureWrapDispatch0001"]
    assert wrap.title == "Production wraps on “All of Us Are Dead” season 2 after seven months of filming"
    assert wrap.outlet == "K-Drama Dispatch"
    assert wrap.outlet_url == "https://kdramadispatch.example"
    assert wrap.summary == ""
    assert wrap.link == "https://news.google.com/rss/articles/CBMiFixtureWrapDispatch0001"
    korean = items["CBMiFixtureKorean0004"]
    assert korean.title == "'지금 우리 학교는' 시즌2, 7개월 촬영 마치고 후반 작업 돌입"
    assert korean.outlet == "한류데일리"


def test_wordpress_items_get_decoded_titles_clean_links_and_an_image() -> None:
    """WordPress entities are decoded, utm_* parameters dropped and the first content image used."""
    first = sample_feed("kdrama-dispatch-wordpress.xml").items[0]
    assert first.title.startswith("Production wraps on “All of Us Are Dead”")
    assert first.link == "https://kdramadispatch.example/2026/11/aouad-season-2-wraps/"
    assert first.image == "https://kdramadispatch.example/wp-content/uploads/2026/11/aouad-s2-wrap.jpg"
    assert first.outlet == "K-Drama Dispatch"
    assert first.author == "Min-seo Park"
    assert first.published == datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def test_reddit_posts_lose_their_boilerplate() -> None:
    """A subreddit post's summary is the post text alone."""
    items = sample_feed("reddit-allofusaredead.xml").items
    megathread = items[0]
    assert megathread.summary.startswith("Filming is done")
    assert "submitted by" not in megathread.summary
    assert "[comments]" not in megathread.summary
    assert all("submitted by" not in item.summary for item in items)
    assert items[2].image == "https://b.thumbs.redditmedia.com/fixture-rooftop.jpg"


def test_youtube_entries_use_the_media_group_description_and_thumbnail() -> None:
    """A video's card shows its description and thumbnail from media:group."""
    video = sample_feed("youtube-channel.xml").items[0]
    assert video.summary.startswith("We go through the returning four")
    assert video.image == "https://i2.ytimg.com/vi/fxtrAOUAD01/hqdefault.jpg"
    assert video.link == "https://www.youtube.com/watch?v=fxtrAOUAD01"


def test_an_item_without_a_title_falls_back_to_its_summary() -> None:
    """Untitled items still get a readable headline rather than an empty embed title."""
    feed = ParsedFeed("rss20", "Feed", None, None, ())
    raw = ParsedItem(
        guid=None,
        link="https://a.example/x",
        title=None,
        summary="<p>Short note about the teaser</p>",
        content_html=None,
        published=None,
        author=None,
        image="javascript:alert(1)",
        source_title=None,
        source_url=None,
        categories=(),
    )
    item = normalise_item(raw, feed=feed, fetched_at=FETCHED_AT)
    assert item.title == "Short note about the teaser"
    assert item.image is None
    assert item.published == FETCHED_AT


def test_reddit_link_posts_remember_where_they_point() -> None:
    """A Reddit link post keeps its off-site target (for the blocklist); self posts and images do not."""
    items = sample_feed("reddit-allofusaredead.xml").items
    assert items[0].external_link is None
    assert items[1].external_link == "https://free-premium-accounts.example/netflix"
    assert items[2].external_link is None


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("/2026/11/teaser/?utm_source=rss", "https://site.example/2026/11/teaser/"),
        ("javascript:alert(1)", ""),
        ("mailto:news@site.example", ""),
        ("https://other.example/a#top", "https://other.example/a#top"),
    ],
)
def test_item_links_are_absolute_web_addresses_or_nothing(link: str, expected: str) -> None:
    """Relative links are resolved against the site; script and mail links never reach an embed."""
    feed = ParsedFeed("rss20", "Site", "https://site.example/", None, ())
    raw = ParsedItem(
        guid="1",
        link=link,
        title="Teaser",
        summary=None,
        content_html=None,
        published=None,
        author=None,
        image=None,
        source_title=None,
        source_url=None,
        categories=(),
    )
    assert normalise_item(raw, feed=feed, fetched_at=FETCHED_AT).link == expected


def test_bidi_and_zero_width_characters_never_reach_an_item() -> None:
    """A right-to-left override or a zero-width joiner in any feed text is gone from title, summary and outlet."""
    feed = ParsedFeed("rss20", "Hyosan\u202e News", "https://hyosan.example/", None, ())
    raw = ParsedItem(
        guid=None,
        link="https://hyosan.example/x",
        title="Season 2 \u202etrailer\u202c is out",
        summary="<p>Watch the zom\u200dbie \u2067teaser\u2069</p>",
        content_html=None,
        published=None,
        author="Min\u200bseo",
        image=None,
        source_title=None,
        source_url=None,
        categories=("AOUAD\u200e",),
    )
    item = normalise_item(raw, feed=feed, fetched_at=FETCHED_AT)
    assert (item.title, item.summary, item.outlet, item.author, item.categories) == (
        "Season 2 trailer is out",
        "Watch the zombie teaser",
        "Hyosan News",
        "Minseo",
        ("AOUAD",),
    )


def _entry(**changes: object) -> ParsedItem:
    values: dict[str, object] = {
        "guid": None,
        "link": None,
        "title": None,
        "summary": None,
        "content_html": None,
        "published": FETCHED_AT - timedelta(hours=2),
        "author": None,
        "image": None,
        "source_title": None,
        "source_url": None,
        "categories": (),
    }
    values.update(changes)
    return ParsedItem(**values)  # type: ignore[arg-type]


_SITE = ParsedFeed("rss20", "Site", "https://site.example/", None, ())


@pytest.mark.parametrize(
    ("description", "headline"),
    [
        (
            "<p>Netflix confirms season 2 of All of Us Are Dead. Filming starts in spring.</p>",
            "Netflix confirms season 2 of All of Us Are Dead.",
        ),
        ("Is season 2 coming in 2027? We asked the cast.", "Is season 2 coming in 2027?"),
        ("지금 우리 학교는 시즌2 확정。 촬영은 봄에 시작", "지금 우리 학교는 시즌2 확정。"),
        ("Version 3.5 of the teaser is out", "Version 3.5 of the teaser is out"),
    ],
)
def test_an_entry_without_a_title_is_headlined_by_its_first_sentence(description: str, headline: str) -> None:
    """A description-only RSS item gets its first sentence as its headline, not an empty title."""
    item = normalise_item(_entry(summary=description), feed=_SITE, fetched_at=FETCHED_AT)
    assert item.title == headline


def test_a_long_first_sentence_is_cut_at_a_word_within_discords_title_limit() -> None:
    """A 600-character opening sentence becomes a headline of at most 256 characters ending on a whole word."""
    words = " ".join(f"word{n}" for n in range(100))
    item = normalise_item(_entry(summary=words + "."), feed=_SITE, fetched_at=FETCHED_AT)
    assert len(item.title) <= 256
    assert item.title.endswith("…")
    assert item.title[:-1].split()[-1] in words.split()


def test_a_description_only_entry_without_a_link_is_kept_without_one() -> None:
    """A title-less, link-less item is still news: it keeps its description and has no link."""
    parsed = ParsedFeed("rss20", "Site", "https://site.example/", None, (_entry(summary="Filming has wrapped."),))
    (item,) = normalise_feed(parsed, fetched_at=FETCHED_AT).items
    assert item.link == ""
    assert item.title == "Filming has wrapped."
    assert item.summary == ""  # the headline already says all of it


@pytest.mark.parametrize(
    "entry",
    [
        _entry(title="<br/>", link="javascript:void(0)", summary="<p> </p>"),
        _entry(title="&nbsp;", summary="<script>track()</script>"),
        _entry(title="\u200b", link="mailto:news@site.example"),
        _entry(),
    ],
)
def test_an_entry_empty_once_cleaned_is_never_posted(entry: ParsedItem) -> None:
    """An entry whose card would show nothing but a date is left out, after its fields are cleaned."""
    parsed = ParsedFeed("rss20", "Site", "https://site.example/", None, (entry, _entry(title="Real news")))
    assert [item.title for item in normalise_feed(parsed, fetched_at=FETCHED_AT).items] == ["Real news"]


def test_links_are_posted_as_written_minus_tracking() -> None:
    """The posted link keeps ?c and #fragment, loses utm_ and fbclid, and HTTP:// is accepted."""
    cases = {
        "https://site.example/a?c&utm_source=rss#frag": "https://site.example/a?c#frag",
        "HTTP://site.example/b?fbclid=1&id=7": "http://site.example/b?id=7",
        "/2026/12/story?utm_medium=feed": "https://site.example/2026/12/story",
    }
    for link, posted in cases.items():
        assert normalise_item(_entry(title="T", link=link), feed=_SITE, fetched_at=FETCHED_AT).link == posted


def test_a_guid_every_entry_shares_is_not_taken_as_identity() -> None:
    """A generator that gives every entry the same guid does not make its articles one article."""
    entries = tuple(
        _entry(guid="https://site.example/feed", title=f"Story {n}", link=f"https://site.example/{n}") for n in range(3)
    )
    parsed = ParsedFeed("rss20", "Site", "https://site.example/", None, (*entries, _entry(guid="own", title="Own")))
    assert [item.guid for item in normalise_feed(parsed, fetched_at=FETCHED_AT).items] == [None, None, None, "own"]


def test_an_undated_entry_is_marked_so() -> None:
    """An entry without a date gets the fetch time, which is then known not to be the article's own."""
    assert not normalise_item(_entry(title="T", published=None), feed=_SITE, fetched_at=FETCHED_AT).dated
    assert normalise_item(_entry(title="T"), feed=_SITE, fetched_at=FETCHED_AT).dated
