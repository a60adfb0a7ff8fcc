"""Feeds as real servers send them: charsets by RFC 7303, relative links resolved, broken documents refused."""

from __future__ import annotations

import pytest

from bot.feeds.parse import ParsedFeed, Refusal, parse_document
from fakediscord.feeds import SAMPLE_GOOGLE_NEWS, sample_bytes

KOREAN_HEADLINE = "지금 우리 학교는 시즌2 촬영 종료"
PHP_FATAL = (
    b"<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)"
    b" in <b>/var/www/html/wp-includes/class-wp-feed.php</b> on line <b>88</b><br />\n"
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><tit'
)


def yonhap_like(encoding: str | None, headline: str = KOREAN_HEADLINE) -> str:
    """A Korean news agency's RSS 2.0 feed, declaring ``encoding`` (or nothing) in its XML declaration."""
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else '<?xml version="1.0"?>'
    return (
        f'{declaration}<rss version="2.0"><channel><title>연합뉴스 연예</title><link>https://www.yna.example/</link>'
        f"<item><title>{headline}</title><link>https://www.yna.example/view/AKR2026</link>"
        f"<guid>AKR2026</guid><description>넷플릭스 시리즈 소식</description></item></channel></rss>"
    )


def wordpress_like(encoding: str, links: tuple[str, ...], *, feed_link: str = "https://dispatch.example") -> str:
    """A WordPress RSS feed (guid ?p=…, dc:creator, content:encoded) whose items link as ``links`` say."""
    items = "".join(
        f"<item><title>Café news “{n}”</title><link>{link}</link>"
        f'<guid isPermaLink="false">https://dispatch.example/?p={n}</guid><dc:creator>Min-seo</dc:creator>'
        f"<description><![CDATA[Excerpt {n}]]></description>"
        f"<content:encoded><![CDATA[<p>Body {n}</p>]]></content:encoded></item>"
        for n, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>K-Drama Dispatch</title><link>{feed_link}</link>{items}</channel></rss>"
    )


def read(body: bytes, content_type: str | None = None, *, base_url: str | None = None) -> ParsedFeed:
    outcome = parse_document(body, content_type, base_url=base_url)
    assert isinstance(outcome, ParsedFeed), outcome
    return outcome


# -- character sets (RFC 7303) ------------------------------------------------------------------------------


def test_google_news_served_as_text_xml_without_a_charset_keeps_its_korean_outlet() -> None:
    """A UTF-8 feed sent as plain text/xml (no charset) is read by its declaration, not refused as US-ASCII."""
    feed = read(sample_bytes(SAMPLE_GOOGLE_NEWS), "text/xml")
    assert "한류데일리" in [item.source_title for item in feed.items]
    assert feed.warning is None


@pytest.mark.parametrize("encoding", ["UTF-8", "EUC-KR", None])
def test_a_korean_feed_as_text_xml_reads_in_its_declared_charset(encoding: str | None) -> None:
    """Korean headlines read correctly whether the feed declares UTF-8, EUC-KR or (UTF-8) nothing."""
    body = yonhap_like(encoding).encode(encoding or "utf-8")
    feed = read(body, "text/xml")
    assert feed.title == "연합뉴스 연예"
    assert [item.title for item in feed.items] == [KOREAN_HEADLINE]


def test_a_windows_1252_wordpress_feed_keeps_its_accents_and_curly_quotes() -> None:
    """An old WordPress install declaring windows-1252 shows "Café news “0”", not mojibake."""
    body = wordpress_like("windows-1252", ("https://dispatch.example/a",)).encode("cp1252")
    feed = read(body, "text/xml")
    assert [item.title for item in feed.items] == ["Café news “0”"]


def test_a_byte_order_mark_decides_the_charset() -> None:
    """A UTF-8 BOM (and a UTF-16 one) is honoured even when the header says nothing."""
    utf8 = b"\xef\xbb\xbf" + yonhap_like(None).encode("utf-8")
    utf16 = yonhap_like("UTF-16").encode("utf-16")
    for body in (utf8, utf16):
        assert [item.title for item in read(body, "text/xml").items] == [KOREAN_HEADLINE]


@pytest.mark.parametrize(("declared", "codec"), [("UTF-16BE", "utf-16-be"), ("UTF-16", "utf-16-le")])
def test_utf_16_without_a_bom_is_read_by_the_width_it_shows(declared: str, codec: str) -> None:
    """A UTF-16 feed whose BOM was stripped still reads, its Korean intact."""
    feed = read(yonhap_like(declared).encode(codec), "text/xml")
    assert [item.title for item in feed.items] == [KOREAN_HEADLINE]


def test_an_ebcdic_feed_is_read_by_the_code_page_it_declares() -> None:
    """A mainframe's EBCDIC feed (code page 500, where brackets differ from 037) reads with brackets intact."""
    body = yonhap_like("cp500", headline="[Café] news").encode("cp500", "replace")  # its Korean becomes "?"
    feed = read(body)
    assert [item.title for item in feed.items] == ["[Café] news"]


def test_a_lying_header_charset_that_still_decodes_is_a_warning_not_a_refusal() -> None:
    """A header saying euc-kr on a UTF-8 document, or Apache's ISO-8859-1 default, reads as UTF-8 with a note."""
    body = yonhap_like("UTF-8").encode("utf-8")
    for header in ("application/rss+xml; charset=euc-kr", "text/xml; charset=ISO-8859-1"):
        feed = read(body, header)
        assert [item.title for item in feed.items] == [KOREAN_HEADLINE]
        assert feed.warning is not None and "reads as utf-8" in feed.warning


def test_a_document_no_declared_charset_reads_is_refused() -> None:
    """EUC-KR bytes declared as UTF-8 would be mojibake, so the feed is refused naming the declared charset."""
    outcome = parse_document(yonhap_like("UTF-8").encode("euc-kr"), "application/rss+xml")
    assert isinstance(outcome, Refusal)
    assert outcome.why == "its text is not in the character set it declares (utf-8)"


def test_an_undeclared_legacy_feed_is_read_as_windows_1252() -> None:
    """A feed declaring nothing whose bytes are not UTF-8 is read the way every feed reader guesses."""
    body = wordpress_like("UTF-8", ("https://dispatch.example/a",)).replace(' encoding="UTF-8"', "")
    feed = read(body.encode("cp1252"))
    assert [item.title for item in feed.items] == ["Café news “0”"]
    assert feed.warning is not None


# -- relative links -----------------------------------------------------------------------------------------


def test_relative_wordpress_links_resolve_against_the_address_the_feed_came_from() -> None:
    """Links like /2026/12/story and story-2 become absolute on the feed's own site."""
    body = wordpress_like("UTF-8", ("/2026/12/story", "story-2"), feed_link="/").encode()
    feed = read(body, "application/rss+xml", base_url="https://dispatch.example/blog/feed/")
    assert [item.link for item in feed.items] == [
        "https://dispatch.example/2026/12/story",
        "https://dispatch.example/blog/feed/story-2",
    ]
    assert feed.link == "https://dispatch.example/"


def test_blogger_atom_links_resolve_against_xml_base_first() -> None:
    """An Atom feed's xml:base (per feed and per entry) wins over the address it was fetched from."""
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        b'xml:base="https://kdrama-notes.blogspot.example/"><title>K-Drama Notes</title>'
        b"<entry><id>tag:blogger.com,1999:post-1</id><title>Season 2 wraps</title>"
        b'<link rel="alternate" href="2026/12/season-2-wraps.html"/></entry>'
        b'<entry xml:base="https://kdrama-notes.blogspot.example/archive/"><id>tag:blogger.com,1999:post-2</id>'
        b'<title>Casting</title><link rel="alternate" href="casting.html"/></entry></feed>'
    )
    feed = read(body, "application/atom+xml", base_url="https://feeds.example/notes")
    assert [item.link for item in feed.items] == [
        "https://kdrama-notes.blogspot.example/2026/12/season-2-wraps.html",
        "https://kdrama-notes.blogspot.example/archive/casting.html",
    ]


def test_links_with_an_upper_case_scheme_are_handed_on_in_lower_case() -> None:
    """HTTP://Example.com/X is the same address; it and a podcast's HTTPS:// artwork leave the parser lower-cased."""
    body = wordpress_like("UTF-8", ("HTTP://Example.com/X",)).replace(
        "</dc:creator>", '</dc:creator><enclosure url="HTTPS://cdn.example/Art.jpg" type="image/jpeg" length="1"/>'
    )
    feed = read(body.encode())
    assert [(item.link, item.image) for item in feed.items] == [("http://Example.com/X", "https://cdn.example/Art.jpg")]


# -- documents that are not usable feeds ---------------------------------------------------------------------


def test_a_php_fatal_error_before_truncated_xml_is_refused_with_the_error() -> None:
    """What the site printed instead of its feed is the reason, in English and in Korean."""
    outcome = parse_document(PHP_FATAL, "application/rss+xml; charset=UTF-8")
    assert isinstance(outcome, Refusal)
    assert outcome.why.startswith("the site printed an error instead of the feed: Fatal error: Allowed memory size")
    assert "<b>" not in outcome.why
    assert outcome.reason.render("ko").startswith("사이트가 피드 대신 오류를 출력했어요: Fatal error")


def test_truncated_xml_with_nothing_to_read_is_refused() -> None:
    """A feed cut off before its title or any item is not subscribed as an empty "Untitled feed"."""
    outcome = parse_document(b'<?xml version="1.0"?><rss version="2.0"><channel><ite', "text/xml")
    assert isinstance(outcome, Refusal)
    assert outcome.why.startswith("the XML is broken and no item or feed title could be read from it")


def test_a_php_notice_before_a_whole_feed_is_still_read() -> None:
    """A deprecation notice printed before an intact feed does not cost the moderator the feed."""
    body = b"<br />\n<b>Deprecated</b>:  Function create_function() is deprecated<br />\n" + yonhap_like(None).replace(
        '<?xml version="1.0"?>', ""
    ).encode("utf-8")
    feed = read(body, "text/xml")
    assert [item.title for item in feed.items] == [KOREAN_HEADLINE]
