"""Feeds shaped like real publishers': each article keyed, linked and carded the way a fan would expect."""

from __future__ import annotations

import pytest

from bot.feeds.dedup import identity_keys, item_key, story_keys
from bot.feeds.normalise import NewsFeed, normalise_feed
from bot.feeds.parse import ParsedFeed, parse_document
from bot.feeds.post import news_card
from tests.helpers.feeds import FETCHED_AT

DATE = "Sun, 22 Nov 2026 09:00:00 +0000"
ISO = "2026-11-22T09:00:00+00:00"

WORDPRESS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>K-Drama Dispatch</title><link>https://dispatch.example</link>
<item><title>Season 2 wraps filming</title>
<link>https://dispatch.example/2026/11/wraps/?utm_source=rss&amp;utm_medium=rss&amp;utm_campaign=wraps</link>
<guid isPermaLink="false">https://dispatch.example/?p=1041</guid><pubDate>{DATE}</pubDate>
<description><![CDATA[Filming ended. [&#8230;]]]></description></item>
<item><title>Season 2 wraps filming</title><link>https://dispatch.example/2026/11/wraps-2/</link>
<guid isPermaLink="false">https://dispatch.example/?p=1042</guid><pubDate>{DATE}</pubDate></item>
</channel></rss>"""

BLOGGER = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Drama Notes</title>
<link rel="alternate" href="https://dramanotes.blogspot.example/"/>
<entry><id>tag:blogger.com,1999:blog-8812.post-4401</id><published>{ISO}</published><title>Episode 3 discussion</title>
<link rel="alternate" type="text/html" href="https://dramanotes.blogspot.example/2026/11/ep3.html"/>
<link rel="replies" type="text/html" href="https://dramanotes.blogspot.example/2026/11/ep3.html#comment-form"/>
<content type="html">&lt;p&gt;Thoughts?&lt;/p&gt;</content></entry>
<entry><id>tag:blogger.com,1999:blog-8812.post-4402</id><published>{ISO}</published><title>Episode 3 discussion</title>
<link rel="alternate" type="text/html" href="https://dramanotes.blogspot.example/2026/11/ep3-part-2.html"/></entry>
</feed>"""

REDDIT = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>KDRAMA</title><link href="https://www.reddit.com/r/KDRAMA/"/>
<entry><id>t3_1h8x0a</id><title>All of Us Are Dead S2 - Episode 3 discussion</title>
<link href="https://www.reddit.com/r/KDRAMA/comments/1h8x0a/ep3/"/><updated>{ISO}</updated>
<author><name>/u/fan</name></author>
<content type="html">&lt;!-- SC_OFF --&gt;&lt;div class="md"&gt;&lt;p&gt;Spoilers below.&lt;/p&gt;&lt;/div&gt;
&lt;!-- SC_ON --&gt;
 submitted by &lt;a href="https://www.reddit.com/user/fan"&gt; /u/fan &lt;/a&gt;</content></entry>
<entry><id>t3_1h9y1b</id><title>All of Us Are Dead S2 - Episode 3 discussion</title>
<link href="https://www.reddit.com/r/KDRAMA/comments/1h9y1b/ep3/"/><updated>{ISO}</updated></entry>
</feed>"""

YOUTUBE = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/"
 xmlns="http://www.w3.org/2005/Atom"><title>Netflix Korea</title>
<link rel="alternate" href="https://www.youtube.com/channel/UCabc"/>
<entry><id>yt:video:fxtrAOUAD01</id><yt:videoId>fxtrAOUAD01</yt:videoId><title>Official Teaser</title>
<link rel="alternate" href="https://www.youtube.com/watch?v=fxtrAOUAD01"/><published>{ISO}</published>
<media:group><media:title>Official Teaser</media:title>
<media:thumbnail url="https://i.ytimg.com/vi/fxtrAOUAD01/hqdefault.jpg" width="480" height="360"/>
<media:description>The wait is over.</media:description></media:group></entry>
</feed>"""

GOOGLE_NEWS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><generator>NFE/5.0</generator>
<title>"All of Us Are Dead" - Google News</title><link>https://news.google.com/search?q=aouad</link>
<item><title>Season 2 wraps filming - K-Drama Dispatch</title>
<link>https://news.google.com/rss/articles/CBMiWWh0dHBzOi8vZGlzcGF0Y2g?oc=5</link>
<guid isPermaLink="false">CBMiWWh0dHBzOi8vZGlzcGF0Y2g</guid><pubDate>{DATE}</pubDate>
<description>&lt;a href="https://news.google.com/rss/articles/CBMi?oc=5"&gt;Season 2 wraps filming&lt;/a&gt;
&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;K-Drama Dispatch&lt;/font&gt;</description>
<source url="https://dispatch.example">K-Drama Dispatch</source></item>
</channel></rss>"""

PODCAST = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>Zombie School Pod</title><link>https://pod.example/</link>
<item><title>Ep. 12: the finale</title><guid isPermaLink="false">pod-ep-12</guid><pubDate>{DATE}</pubDate>
<enclosure url="https://cdn.pod.example/ep12.mp3?utm_source=rss" length="1234" type="audio/mpeg"/>
<itunes:summary>We talk about the finale.</itunes:summary><description>We talk about the finale.</description></item>
<item><title>Ep. 11: the cliffhanger</title><guid isPermaLink="false">pod-ep-11</guid><pubDate>{DATE}</pubDate>
<link>https://pod.example/ep11?c</link><description>Part two.</description></item>
</channel></rss>"""

FEEDS = {
    "wordpress": WORDPRESS,
    "blogger": BLOGGER,
    "reddit": REDDIT,
    "youtube": YOUTUBE,
    "google news": GOOGLE_NEWS,
    "podcast": PODCAST,
}


def read(document: str) -> NewsFeed:
    parsed = parse_document(document.encode())
    assert isinstance(parsed, ParsedFeed), parsed
    return normalise_feed(parsed, fetched_at=FETCHED_AT)


@pytest.mark.parametrize("name", FEEDS)
def test_every_entry_is_its_own_item_under_its_guid(name: str) -> None:
    """Each article of a real publisher's feed is posted (no two share a key, recurring headlines included)."""
    items = read(FEEDS[name]).items
    assert items
    assert all(item_key(item).startswith("g:") for item in items)
    keys = [key for item in items for key in identity_keys(item)]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("name", FEEDS)
def test_every_card_fits_discord_and_links_without_tracking(name: str) -> None:
    """Every entry makes a card within Discord's limits whose link carries no utm_ parameter."""
    for item in read(FEEDS[name]).items:
        card = news_card(item)
        assert card.title
        assert "utm_" not in (card.url or "")


@pytest.mark.parametrize(
    ("name", "links"),
    [
        ("wordpress", ["https://dispatch.example/2026/11/wraps/", "https://dispatch.example/2026/11/wraps-2/"]),
        ("youtube", ["https://www.youtube.com/watch?v=fxtrAOUAD01"]),
        ("google news", ["https://news.google.com/rss/articles/CBMiWWh0dHBzOi8vZGlzcGF0Y2g"]),
        ("podcast", ["", "https://pod.example/ep11?c"]),
    ],
)
def test_links_are_posted_as_the_publisher_wrote_them(name: str, links: list[str]) -> None:
    """WordPress utm_ tags and Google's ?oc= go; YouTube's ?v= and a bare ?c stay."""
    assert [item.link for item in read(FEEDS[name]).items] == links


def test_the_publishers_article_and_its_google_news_entry_are_one_story() -> None:
    """The Google News entry and the site's own item share a story key, so a channel following both gets one post."""
    (google,) = read(GOOGLE_NEWS).items
    site = read(WORDPRESS).items[0]
    assert google.title == "Season 2 wraps filming"
    assert set(story_keys(google)) & set(story_keys(site))


def test_a_refetched_feed_with_fresh_tracking_keeps_every_key() -> None:
    """The next poll of a WordPress feed whose utm_campaign changed finds nothing new."""
    again = WORDPRESS.replace("utm_campaign=wraps", "utm_campaign=weekly")
    assert [item_key(i) for i in read(WORDPRESS).items] == [item_key(i) for i in read(again).items]


DESCRIPTION_ONLY = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fan Notes</title><link>https://fannotes.example/</link>
<item><description>&lt;p&gt;Netflix confirms season 2. Filming starts in spring.&lt;/p&gt;</description>
<link>https://fannotes.example/notes/12?c</link><pubDate>{DATE}</pubDate></item>
<item><description>Cast photos leaked from the set today. More soon.</description><pubDate>{DATE}</pubDate></item>
<item><pubDate>{DATE}</pubDate></item>
<item><title> </title><description>&lt;br/&gt;&amp;nbsp;</description><pubDate>{DATE}</pubDate></item>
</channel></rss>"""


def test_description_only_items_are_posted_and_date_only_items_are_not() -> None:
    """RSS 2.0 items that are only a description get a headline; an item with nothing but a date makes no card."""
    items = read(DESCRIPTION_ONLY).items
    assert [(item.title, item.link) for item in items] == [
        ("Netflix confirms season 2.", "https://fannotes.example/notes/12?c"),
        ("Cast photos leaked from the set today.", ""),
    ]
    cards = [news_card(item) for item in items]
    assert [card.url for card in cards] == ["https://fannotes.example/notes/12?c", None]
    assert len({item_key(item) for item in items}) == 2


SHOW_PAGE_PODCAST = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Zombie School Pod</title><link>https://pod.example/</link>
<item><title>Ep. 12: the finale</title><guid isPermaLink="false">pod-ep-12</guid><link>https://pod.example/</link>
<pubDate>{DATE}</pubDate></item>
<item><title>Ep. 11: the cliffhanger</title><guid isPermaLink="false">pod-ep-11</guid><link>https://pod.example/</link>
<pubDate>{DATE}</pubDate></item>
</channel></rss>"""


def test_episodes_that_all_link_to_the_show_page_are_each_posted() -> None:
    """A podcast whose every episode links to the show's page posts every episode, not just the first."""
    items = read(SHOW_PAGE_PODCAST).items
    assert [item.link for item in items] == ["https://pod.example/", "https://pod.example/"]
    assert not set(identity_keys(items[0])) & set(identity_keys(items[1]))
    assert not set(story_keys(items[0])) & set(story_keys(items[1]))
