"""Stories as fans see them in a channel: one post per article across feeds, links as the publisher wrote them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import db.feeds as store
from tests.helpers.feeds import rss
from tests.helpers.newsdesk import NewsDesk

POST_WAIT = 10.0  # several posts to one channel are paced 1.25 s apart


def feed(title: str, entries: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (guid, title, link) entries, newest first, an hour apart."""
    now = datetime.now(UTC)
    items = "".join(
        f'<item><title>{t}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>'
        f"<pubDate>{format_datetime(now - timedelta(hours=1 + n), usegmt=True)}</pubDate></item>"
        for n, (guid, t, link) in enumerate(entries)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://{title.lower().replace(' ', '')}.example/</link>{items}</channel></rss>"
    )


async def follow(desk: NewsDesk, path: str, title: str) -> None:
    """Follow a feed whose one old entry is not posted, so what comes later is news."""
    desk.fs.add(path, rss(title, [(f"An older note from {title}", f"https://{path.strip('/')}.example/old")]))
    await desk.add(path)


async def test_a_publishers_article_and_an_aggregators_copy_post_once(desk: NewsDesk) -> None:
    """The publisher's feed and an aggregator carrying its article (other utm_, retouched headline) post it once."""
    await follow(desk, "/publisher", "Dispatch")
    await follow(desk, "/aggregator", "Drama Digest")
    article = "https://dispatch.example/2026/12/aouad-s2-date/"
    desk.fs.add(
        "/publisher",
        feed(
            "Dispatch",
            [
                (
                    "https://dispatch.example/?p=2001",
                    "Netflix sets the All of Us Are Dead season 2 premiere",
                    f"{article}?utm_source=rss&amp;utm_medium=rss&amp;utm_campaign=s2",
                )
            ],
        ),
    )
    desk.fs.add(
        "/aggregator",
        feed(
            "Drama Digest",
            [
                (
                    "digest-88123",
                    "All of Us Are Dead season 2 gets its premiere date (Dispatch)",
                    f"{article}?utm_source=dramadigest&amp;utm_medium=aggregator&amp;fbclid=IwAR0",
                )
            ],
        ),
    )
    await desk.cog.poll_once(everything=True)
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    await desk.cog.poll_once(everything=True)
    await desk.settle()
    assert [m.embeds[0]["url"] for m in desk.posts(desk.channel)] == [article]
    assert "season 2" in post.embeds[0]["title"]
    assert await store.delivery_counts(desk.bot.db) == {"sent": 1}


async def test_a_recurring_headline_is_posted_again_with_its_own_link(desk: NewsDesk) -> None:
    """A subreddit's new "Episode 3 discussion" thread is posted though last week's had the same title."""
    await follow(desk, "/reddit", "KDRAMA")
    first = ("t3_1h8x0a", "All of Us Are Dead - Episode 3 discussion", "https://reddit.example/r/KDRAMA/1h8x0a")
    desk.fs.add("/reddit", feed("KDRAMA", [first]))
    await desk.cog.poll_once(everything=True)
    await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    again = ("t3_1k2z9c", "All of Us Are Dead - Episode 3 discussion", "https://reddit.example/r/KDRAMA/1k2z9c")
    desk.fs.add("/reddit", feed("KDRAMA", [again, first]))
    await desk.cog.poll_once(everything=True)
    posts = await desk.fd.wait_for_messages(desk.channel, 2, timeout=POST_WAIT)
    assert [m.embeds[0]["url"] for m in posts] == [first[2], again[2]]


async def test_the_posted_link_keeps_the_publishers_query_and_fragment(desk: NewsDesk) -> None:
    """A link with a bare ?c and a #fragment is posted as written, only its utm_ parameters gone."""
    await follow(desk, "/live", "Live Desk")
    link = "HTTP://live.example/blog?c&amp;utm_source=rss#update-3"
    desk.fs.add("/live", feed("Live Desk", [("live-3", "Live: the cast at the premiere", link)]))
    await desk.cog.poll_once(everything=True)
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    assert post.embeds[0]["url"] == "http://live.example/blog?c#update-3"


async def test_description_only_items_are_posted_and_empty_ones_are_not(desk: NewsDesk) -> None:
    """An item that is only a description is posted headlined by its first sentence; one with only a date is not."""
    await follow(desk, "/notes", "Fan Notes")
    when = format_datetime(datetime.now(UTC) - timedelta(minutes=30), usegmt=True)
    desk.fs.add(
        "/notes",
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Fan Notes</title>'
        "<link>https://fannotes.example/</link>"
        f"<item><pubDate>{when}</pubDate></item>"
        f"<item><title> </title><description>&lt;br/&gt;</description><pubDate>{when}</pubDate></item>"
        "<item><description>Cast photos leaked from the set today. More soon.</description>"
        f"<pubDate>{when}</pubDate></item></channel></rss>",
    )
    await desk.cog.poll_once(everything=True)
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)
    await desk.settle()
    assert len(desk.posts(desk.channel)) == 1
    assert post.embeds[0]["title"] == "Cast photos leaked from the set today."
    assert "url" not in post.embeds[0] or not post.embeds[0]["url"]
    assert "More soon." in post.embeds[0]["description"]
