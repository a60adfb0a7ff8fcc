"""A hostile feed's words, end to end: the post, /news, /feeds status, /feeds refresh and the pause notice show
them as written, and nothing in them renders as a link, spoiler, heading, code or ping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from fakediscord.server import Reply
from tests.helpers.markup import live_markup, masked_links, shown, spoilers
from tests.helpers.newsdesk import NewsDesk
from tests.helpers.reasons import Answer, answering

POST_WAIT = 10.0

FEED_TITLE = "Hyosan ||Daily|| [News](https://phish.example/feed) *zine*\u2067"
FEED_READ = "Hyosan ||Daily|| [News](https://phish.example/feed) *zine*"
TITLE = "[Trailer](https://phish.example/aouad) ||Nam-ra dies||| @everyone # zom\u200dbie \u202eexe.jpg"
TITLE_READ = "[Trailer](https://phish.example/aouad) ||Nam-ra dies||| @everyone # zombie exe.jpg"
SUMMARY = "# Finale leak\n> quoted ```code``` ~~gone~~ ]( [x](https://phish.example/a) and a trailing pipe |"
SUMMARY_READ = "# Finale leak > quoted ```code``` ~~gone~~ ]( [x](https://phish.example/a) and a trailing pipe |"
LINK = "https://news.example/s2?q=a)[free](https://phish.example"
REASON = "Unavailable [here](https://phish.example/r) ||x|| *now*"


def rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed titled FEED_TITLE with (title, summary, link) items, newest first, an hour apart."""
    now = datetime.now(UTC)
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(hours=n + 1), usegmt=True)}</pubDate>"
        f"<description>{escape(summary)}</description></item>"
        for n, (title, summary, link) in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(FEED_TITLE)}</title>'
        f"<link>https://hyosan.example/</link>{entries}</channel></rss>"
    )


OLD_ITEM = ("An older note", "Nothing to see.", "https://hyosan.example/old")


async def follow(desk: NewsDesk, url: str) -> Reply:
    handle = await desk.fd.invoke("feeds add", user=desk.mod, in_channel=desk.channel, options={"url": url})
    return await handle.response()


def without_lookalikes(text: str) -> str:
    return text.replace("\uff3b", "[").replace("\uff3d", "]")


async def test_a_hostile_article_reads_as_written_in_the_post_news_and_status(desk: NewsDesk) -> None:
    """A feed's masked links, spoilers, headings, mentions and bidi override show as plain text everywhere."""
    desk.fs.add("/hostile-text", rss([OLD_ITEM]))
    assert "now follows" in (await desk.add("/hostile-text")).content
    desk.fs.add("/hostile-text", rss([(TITLE, SUMMARY, LINK), OLD_ITEM]))
    await desk.cog.poll_once(everything=True)
    (post,) = await desk.fd.wait_for_messages(desk.channel, 1, timeout=POST_WAIT)

    embed = post.embeds[0]
    summary = embed["description"].split("\n\n")[0]
    assert (shown(embed["title"]), shown(summary)) == (TITLE_READ, SUMMARY_READ)
    assert live_markup(embed["title"]) == [] and live_markup(summary) == []
    assert embed["author"]["name"] == FEED_READ  # Discord shows the author line verbatim: no backslashes
    assert embed["url"].startswith("https://news.example/s2?q=a")
    assert not set("()[] <>") & set(embed["url"])
    assert not desk.fd.pings(post)

    await desk.settle()  # the post is recorded as sent, not only seen by Discord
    news = await (await desk.fd.invoke("news", user=desk.fan, in_channel=desk.channel)).response()
    line = news.embeds[0]["description"]
    ((text, address),) = masked_links(line)
    assert (without_lookalikes(shown(text)), address) == (TITLE_READ, embed["url"])
    outlet = line.split(f"({address}) · ", 1)[1].rsplit(" · ", 1)[0]
    assert shown(outlet) == FEED_READ and live_markup(outlet) == []
    assert spoilers(line) == []

    status = await desk.run("feeds status")
    (field,) = status.embeds[0]["fields"]
    subscription, name = field["name"].split(" · ", 1)
    assert subscription.isdigit()
    assert shown(name) == FEED_READ and live_markup(name) == []


async def test_a_hostile_reason_phrase_and_pause_notice_carry_no_markup(desk: NewsDesk) -> None:
    """A server's HTTP reason phrase in /feeds refresh and /feeds status, and the feed's name in the channel's
    pause notice, read as written with no live link or spoiler."""
    answer = Answer(body=rss([OLD_ITEM]))
    async with answering(answer) as url:
        assert "now follows" in (await follow(desk, url)).content
        answer.status, answer.reason, answer.body = 503, REASON, "down"
        refreshed = await desk.run("feeds refresh")
        said = refreshed.content.split(">: ", 1)[1]
        assert shown(said) == f"HTTP 503 {REASON}"
        assert live_markup(said) == []

        status = await desk.run("feeds status")
        (field,) = status.embeds[0]["fields"]
        last_error = field["value"].split("last error: ", 1)[1].split("\n", 1)[0]
        assert shown(last_error) == f"HTTP 503 {REASON}"
        assert live_markup(last_error) == []

        answer.status, answer.reason = 410, "Gone [for good](https://phish.example/g) ||x||"
        await desk.cog.poll_once(everything=True)
        (notice,) = [m for m in desk.fd.messages(desk.channel) if m.content.startswith("I stopped checking")]
    name = notice.content.removeprefix("I stopped checking **").split("**: ", 1)[0]
    assert shown(name) == FEED_READ
    assert live_markup(name) == []
    assert masked_links(notice.content) == [] and spoilers(notice.content) == []


async def test_a_hostile_feed_title_reads_as_written_in_the_moderators_replies(desk: NewsDesk) -> None:
    """/feeds test, add, list and remove name a feed whose title holds markup exactly as the feed wrote it."""
    desk.fs.add("/hostile-name", rss([OLD_ITEM]))
    tested = await desk.run("feeds test", url=desk.url("/hostile-name"))
    added = await desk.add("/hostile-name")
    listed = await desk.run("feeds list")
    (sub,) = await desk.cog.service.subscriptions(desk.guild.id)
    removed = await desk.run("feeds remove", subscription=sub.id)
    for reply in (tested, added, listed, removed):
        assert FEED_READ in shown(reply.content), reply.content
        assert masked_links(reply.content) == [] and spoilers(reply.content) == []
