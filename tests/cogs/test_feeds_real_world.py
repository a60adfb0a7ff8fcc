"""/feeds add and /feeds test on feeds served the way real sites serve them, end to end through fakediscord."""

from __future__ import annotations

import db.feeds as store
from fakediscord.feeds import SAMPLE_GOOGLE_NEWS, sample_bytes
from tests.helpers.newsdesk import NewsDesk

PHP_FATAL = (
    b"<br />\n<b>Fatal error</b>:  Uncaught Error: Call to undefined function wp_feed()"
    b" in <b>/var/www/html/wp-includes/feed-rss2.php</b> on line <b>12</b><br />\n"
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
    b"<channel><tit"
)


def podcast(links: tuple[str, ...]) -> bytes:
    """A podcast feed (iTunes namespace, audio enclosures) whose episodes link relatively."""
    items = "".join(
        f"<item><title>Episode {n}: the rooftop scene</title><link>{link}</link><guid>ep-{n}</guid>"
        f'<enclosure url="/audio/ep-{n}.mp3" length="1000" type="audio/mpeg"/>'
        f"<itunes:duration>42:00</itunes:duration><description>We talk about episode {n}.</description></item>"
        for n, link in enumerate(links, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Hyosan High Podcast</title>'
        f"{items}</channel></rss>"
    ).encode()


async def test_adding_a_php_fatal_error_is_refused_with_the_error_in_words(desk: NewsDesk) -> None:
    """A site whose feed script crashed gets "not a usable feed" with PHP's error, and nothing is subscribed."""
    desk.fs.add("/wp-feed", PHP_FATAL, content_type="application/rss+xml; charset=UTF-8")
    reply = await desk.add("/wp-feed")
    assert reply.ephemeral
    assert "That address is not a usable feed: the site printed an error instead of the feed" in reply.content
    assert "Call to undefined function wp_feed()" in reply.content
    assert "Untitled feed" not in reply.content
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_the_refusal_reads_in_korean_for_a_korean_moderator(desk: NewsDesk) -> None:
    """A Korean client reads the whole refusal in Korean, PHP's own message left as it was."""
    desk.fs.add("/wp-feed", PHP_FATAL, content_type="application/rss+xml")
    handle = await desk.fd.invoke(
        "feeds add", user=desk.mod, in_channel=desk.channel, locale="ko", options={"url": desk.url("/wp-feed")}
    )
    reply = await handle.response()
    assert "그 주소는 쓸 수 있는 피드가 아니에요: 사이트가 피드 대신 오류를 출력했어요: Fatal error" in reply.content
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_a_korean_feed_as_text_xml_without_a_charset_is_previewed_in_korean(desk: NewsDesk) -> None:
    """Google News with a Korean outlet, served as plain text/xml (no charset), previews instead of refusing."""
    desk.fs.add("/gnews", sample_bytes(SAMPLE_GOOGLE_NEWS), content_type="text/xml")
    reply = await desk.run("feeds test", url=desk.url("/gnews"))
    assert "is a usable feed" in reply.content, reply.content
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_an_euc_kr_feed_is_added_with_its_korean_title(desk: NewsDesk) -> None:
    """A Korean portal's EUC-KR feed (declared in the document only) is subscribed under its real title."""
    body = (
        '<?xml version="1.0" encoding="EUC-KR"?><rss version="2.0"><channel><title>한류 소식</title>'
        "<link>https://hallyu.example/</link><item><title>지금 우리 학교는 시즌2 촬영 종료</title>"
        "<link>https://hallyu.example/1</link><guid>1</guid></item></channel></rss>"
    ).encode("euc-kr")
    desk.fs.add("/hallyu", body, content_type="text/xml")
    reply = await desk.add("/hallyu")
    assert "한류 소식" in reply.content, reply.content
    assert reply.embeds[0]["title"] == "지금 우리 학교는 시즌2 촬영 종료"


async def test_relative_episode_links_through_a_redirect_point_at_the_final_site(desk: NewsDesk) -> None:
    """A podcast moved behind a redirect, linking its episodes relatively, previews absolute episode links."""
    desk.fs.add("/podcast/feed.xml", podcast(("/podcast/episode-1", "episode-2")), content_type="application/rss+xml")
    desk.fs.add_redirect("/feed", "/podcast/feed.xml", status=302)
    reply = await desk.run("feeds test", url=desk.url("/feed"))
    assert reply.embeds[0]["url"] in (desk.url("/podcast/episode-1"), desk.url("/podcast/episode-2"))


async def test_relative_links_resolve_against_content_location(desk: NewsDesk) -> None:
    """A feed whose server names its own address in Content-Location resolves its links there."""
    desk.fs.add(
        "/feed",
        podcast(("episode-1",)),
        content_type="application/rss+xml",
        headers={"Content-Location": "/shows/hyosan/feed.xml"},
    )
    reply = await desk.run("feeds test", url=desk.url("/feed"))
    assert reply.embeds[0]["url"] == desk.url("/shows/hyosan/episode-1")


async def test_a_feed_labelled_gzip_but_sent_plain_is_added(desk: NewsDesk) -> None:
    """A WordPress cache plug-in that labels its plain XML as gzip does not stop the subscription."""
    desk.fs.add_sample("/dispatch", "kdrama-dispatch-wordpress.xml", headers={"Content-Encoding": "gzip"})
    reply = await desk.add("/dispatch")
    assert "K-Drama Dispatch" in reply.content, reply.content
    assert len(await store.guild_subscriptions(desk.bot.db, desk.guild.id)) == 1


async def test_an_empty_feed_with_no_title_or_site_is_not_subscribed(desk: NewsDesk) -> None:
    """Well-formed RSS with nothing in its channel is refused in words, not added as an empty "Untitled feed"."""
    desk.fs.add("/empty", b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    reply = await desk.add("/empty")
    assert "That address is not a usable feed: it has no items, no title and no site link" in reply.content
    assert await store.guild_subscriptions(desk.bot.db, desk.guild.id) == []


async def test_a_new_feed_with_a_title_but_no_items_yet_is_still_added(desk: NewsDesk) -> None:
    """A site that just started its feed is followed; its first articles will come when they appear."""
    desk.fs.add("/new", b'<?xml version="1.0"?><rss version="2.0"><channel><title>New Site</title></channel></rss>')
    reply = await desk.add("/new")
    assert "New Site" in reply.content, reply.content
    assert len(await store.guild_subscriptions(desk.bot.db, desk.guild.id)) == 1
