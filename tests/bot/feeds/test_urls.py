"""URL safety and canonical links: what ``/feeds add`` accepts and how articles are compared."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.errors import UserFacingError
from bot.feeds.fetch import PublicOnlyResolver
from bot.feeds.urls import (
    FeedURLError,
    PrivateAddressError,
    Resolver,
    canonical_link,
    check_public,
    host_of,
    is_web_link,
    posted_link,
    refusal_reason,
    validate_feed_url,
)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("", "Give the address"),
        ("ftp://example.org/feed", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("javascript:alert(1)", "Only http:// and https://"),
        ("https:///feed", "no host"),
        ("https://user:secret@example.org/feed", "user name or password"),
        ("https://example.org/" + "a" * 2100, "characters long"),
        ("https://exa mple.org/feed", "spaces"),
        ("https://example.org:99999/feed", "could not be read"),
    ],
)
def test_unusable_feed_urls_are_refused_with_a_reason(url: str, fragment: str) -> None:
    """A moderator typing a bad address is told what is wrong with it."""
    with pytest.raises(FeedURLError, match=fragment) as caught:
        validate_feed_url(url)
    assert isinstance(caught.value, UserFacingError)


def test_a_normal_feed_url_is_accepted_as_typed() -> None:
    """A plain https feed address passes unchanged apart from surrounding spaces."""
    assert validate_feed_url("  https://www.soompi.com/feed  ") == "https://www.soompi.com/feed"


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        (
            "https://site.example/a/?utm_source=rss&utm_medium=rss&utm_campaign=x",
            "https://site.example/a/",
        ),
        ("https://news.google.com/rss/articles/CBMiabc?oc=5", "https://news.google.com/rss/articles/CBMiabc"),
        ("https://site.example/a?fbclid=IwAR0&id=7#comments", "https://site.example/a?id=7"),
        ("HTTPS://Site.EXAMPLE:443/Path?gclid=1&mc_cid=2&ref=tw", "https://site.example/Path"),
        ("http://site.example:80/p?p=1041", "http://site.example/p?p=1041"),
        ("https://www.youtube.com/watch?v=fxtrAOUAD01&feature=share", "https://www.youtube.com/watch?v=fxtrAOUAD01"),
        ("https://site.example", "https://site.example/"),
        ("https://site.example:8443/x", "https://site.example:8443/x"),
        ("not a url", "not a url"),
    ],
)
def test_canonical_links_drop_tracking_but_keep_meaning(link: str, canonical: str) -> None:
    """The same article shared with different tracking parameters compares equal; real parameters stay."""
    assert canonical_link(link) == canonical


@pytest.mark.parametrize(
    ("url", "host"),
    [("https://www.Soompi.com/feed", "soompi.com"), ("https://m.site.example./x", "m.site.example"), ("::", "")],
)
def test_host_of_reduces_an_address_to_its_host(url: str, host: str) -> None:
    """Blocklists compare hosts without case, trailing dot or ``www.``."""
    assert host_of(url) == host


# Each row: an address, and a word of the reason it is refused (None: public, fetched). Several rows are
# ranges where Python's ``ipaddress`` says ``is_private == False`` (and often ``is_global == True``).
ADDRESSES: list[tuple[str, str | None]] = [
    ("127.0.0.1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("192.88.99.1", "6to4 relay"),
    ("192.88.99.255", "6to4 relay"),
    ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, nothing binds to it
    ("0.1.2.3", "private"),
    ("198.18.0.1", "private"),
    ("203.0.113.1", "private"),
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fec0::1", "site-local"),
    ("feff:ffff::1", "site-local"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("ff02::1", "multicast"),
    ("2001:db8::1", "private"),
    ("3fff::1", "documentation"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:100.64.0.1", "carrier-grade NAT"),
    ("::ffff:169.254.169.254", "link-local"),
    ("::127.0.0.1", "reserved"),
    ("::ffff:0:127.0.0.1", "reserved"),
    ("2002:7f00:1::", "loopback"),
    ("2002:c0a8:101::1", "private"),
    ("2002:c058:6301::1", "6to4 relay"),
    ("64:ff9b::a9fe:a9fe", "link-local"),
    ("64:ff9b::7f00:1", "loopback"),
    ("64:ff9b::a00:1", "private"),
    ("64:ff9b::6440:1", "carrier-grade NAT"),
    ("64:ff9b:1::a00:1", "reserved"),
    ("93.184.215.14", None),
    ("192.88.98.1", None),
    ("192.88.100.1", None),
    ("100.128.0.1", None),
    ("::ffff:93.184.215.14", None),
    ("64:ff9b::5db8:d70e", None),
    ("2002:5db8:d70e::1", None),
    ("2606:4700:4700::1111", None),
    ("fe00::1", "reserved"),
]


@pytest.mark.parametrize(("address", "refused"), ADDRESSES)
def test_non_public_addresses_are_recognised(address: str, refused: str | None) -> None:
    """Every non-public range, and a private IPv4 address carried inside IPv6, is refused; public ones pass."""
    reason = refusal_reason(ipaddress.ip_address(address))
    if refused is None:
        assert reason is None
    else:
        assert reason is not None
        assert refused in reason


class _AnswersWith(AbstractResolver):
    """DNS that answers every name with one fixed address."""

    def __init__(self, address: str) -> None:
        self.address = address

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        kind = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        return [{"hostname": host, "host": self.address, "port": port, "family": kind, "proto": 0, "flags": 0}]

    async def close(self) -> None:
        return None


def literal_url(address: str) -> str:
    return f"https://[{address}]/feed" if ":" in address else f"https://{address}/feed"


@pytest.mark.parametrize(("address", "refused"), ADDRESSES)
async def test_the_connect_time_resolver_agrees_with_the_check(address: str, refused: str | None) -> None:
    """What /feeds add refuses, the feed session also refuses to connect to, even if DNS changed in between."""
    resolver = PublicOnlyResolver(_AnswersWith(address))
    if refused is None:
        assert [a["host"] for a in await resolver.resolve("feeds.example", 443)] == [address]
        await check_public(literal_url(address), allow_private=False)
    else:
        with pytest.raises(OSError, match="non-public"):
            await resolver.resolve("feeds.example", 443)
        with pytest.raises(PrivateAddressError, match=refused):
            await check_public(literal_url(address), allow_private=False)


def resolver_for(table: dict[str, Sequence[str]]) -> Resolver:
    async def resolve(host: str, port: int) -> Sequence[str]:
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


async def test_a_host_resolving_to_a_private_address_is_refused() -> None:
    """A public-looking name that points at the internal network is refused, naming the problem."""
    resolve = resolver_for({"intranet.example": ["10.0.0.7"]})
    with pytest.raises(PrivateAddressError, match="private-network"):
        await check_public("https://intranet.example/feed", allow_private=False, resolver=resolve)


async def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    """A host answering with both a public and a loopback address is refused (either could be used)."""
    resolve = resolver_for({"mixed.example": ["93.184.215.14", "127.0.0.1"]})
    with pytest.raises(PrivateAddressError):
        await check_public("https://mixed.example/feed", allow_private=False, resolver=resolve)


async def test_literal_loopback_addresses_are_refused_without_dns() -> None:
    """An IP literal is checked as written, so no resolver trick can make 127.0.0.1 pass."""
    resolve = resolver_for({"127.0.0.1": ["93.184.215.14"]})
    with pytest.raises(PrivateAddressError, match="loopback"):
        await check_public("http://127.0.0.1:8080/feed", allow_private=False, resolver=resolve)
    with pytest.raises(PrivateAddressError, match="loopback"):
        await check_public("http://[::ffff:127.0.0.1]/feed", allow_private=False, resolver=resolve)


async def test_a_public_host_passes_and_private_hosts_pass_when_allowed() -> None:
    """Public feeds are fetched; FEEDS_ALLOW_PRIVATE_NETWORKS lets self-hosted feeds through."""
    resolve = resolver_for({"news.example": ["93.184.215.14"], "nas.local": ["192.168.1.20"]})
    await check_public("https://news.example/feed", allow_private=False, resolver=resolve)
    await check_public("http://nas.local/feed", allow_private=True, resolver=resolve)


async def test_an_unknown_host_is_reported_as_not_found() -> None:
    """A typo in the host name gives a clear message rather than a crash."""
    with pytest.raises(FeedURLError, match="could not be found"):
        await check_public("https://no-such-host.example/feed", allow_private=False, resolver=resolver_for({}))


@pytest.mark.parametrize(
    ("link", "posted"),
    [
        ("https://site.example/a?c", "https://site.example/a?c"),
        ("https://site.example/live#update-3", "https://site.example/live#update-3"),
        ("https://site.example/a?utm_source=rss&c&utm_medium=feed#frag", "https://site.example/a?c#frag"),
        ("https://site.example/a?b=2&a=1&fbclid=IwAR0&gclid=x", "https://site.example/a?b=2&a=1"),
        ("https://site.example/a?mc_cid=1&mc_eid=2&igshid=3", "https://site.example/a"),
        ("https://Site.example/Path%20x?q=%2F", "https://Site.example/Path%20x?q=%2F"),
        ("HTTP://site.example/a", "http://site.example/a"),
        ("https://www.lemonde.example/article.html#xtor=RSS-3208", "https://www.lemonde.example/article.html"),
        ("https://site.example/?p=1041", "https://site.example/?p=1041"),
    ],
)
def test_the_posted_link_is_the_publishers_minus_tracking(link: str, posted: str) -> None:
    """A fan clicking a post lands where the publisher pointed: query and #fragment kept, only tracking gone."""
    assert posted_link(link) == posted


@pytest.mark.parametrize(
    ("link", "web"),
    [
        ("HTTP://site.example/a", True),
        ("Https://site.example/a", True),
        ("https://site.example", True),
        ("/2026/12/story", False),
        ("javascript:alert(1)", False),
        ("mailto:news@site.example", False),
        ("https:///nohost", False),
        ("", False),
        (None, False),
    ],
)
def test_web_links_are_recognised_in_any_scheme_case(link: str | None, web: bool) -> None:
    """An article linked as HTTP:// is posted like any http:// one; script and mail links never are."""
    assert is_web_link(link) is web


def test_keys_keep_a_fragment_only_when_asked_and_never_a_tracking_one() -> None:
    """Identity tells a live blog's #entries apart; a #xtor= click counter never makes an article new."""
    assert canonical_link("https://s.example/live#e1", keep_fragment=True) == "https://s.example/live#e1"
    assert canonical_link("https://s.example/live#e1") == "https://s.example/live"
    assert canonical_link("https://s.example/a#xtor=RSS-3", keep_fragment=True) == "https://s.example/a"
