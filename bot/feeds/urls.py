"""Which feed addresses Marquee will fetch, and the canonical form of an article link.

A server admin can type any URL into ``/feeds add``; without these checks the bot would happily fetch its
own host's metadata service or a router's admin page on their behalf.

An article link has two forms. ``posted_link`` is what a channel sees: the link as the publisher wrote it, only
known tracking parameters removed (a ``?c`` stays ``?c``, a ``#fragment`` stays, since both can be what the link
points at). ``canonical_link`` is only ever a key: case, default port, tracking and parameter spelling ironed out,
so the same article shared with different tracking parameters is still one article.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from bot.errors import UserFacingError
from bot.i18n import Text

log = logging.getLogger(__name__)

MAX_URL_LENGTH = 2048
ALLOWED_SCHEMES = frozenset({"http", "https"})

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "oc",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "ito",
        "_hsenc",
        "_hsmi",
        "spm",
        "smid",
        "s_cid",
        "ncid",
        "feature",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
# Fragments that only count clicks: AT Internet's "#xtor=RSS-3" (French publishers), AddThis's "#.YmQ0…",
# and Google Analytics parameters some sites put after the "#".
_TRACKING_FRAGMENT = re.compile(r"^(?:xtor=|\.[A-Za-z0-9_-]{8,}$|(?:utm_|fbclid=|gclid=))")

_NAT64 = ipaddress.ip_network("64:ff9b::/96")

# Ranges that are not on the public internet but that Python's ``ipaddress`` (3.11) calls neither private nor
# reserved; some of its tables also changed between patch releases, so these are named here, version-proof.
_NOT_PUBLIC_NETWORKS = tuple(
    (ipaddress.ip_network(network), why)
    for network, why in (
        ("100.64.0.0/10", "a carrier-grade NAT address"),  # RFC 6598: shared by an ISP's customers
        ("192.88.99.0/24", "a deprecated 6to4 relay address"),  # RFC 7526: anycast, whoever is nearest answers
        ("fec0::/10", "a site-local address"),  # RFC 3879: deprecated, still routed inside some networks
        ("2001::/32", "a Teredo tunnel address"),  # RFC 4380: a tunnel endpoint, not a web server
        ("3fff::/20", "a documentation address"),  # RFC 9637, newer than Python's tables
    )
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]


class FeedURLError(UserFacingError):
    """The address itself is unusable as a feed URL."""


class PrivateAddressError(FeedURLError):
    """The address points into a private, loopback or otherwise non-public network."""


def validate_feed_url(url: str) -> str:
    """Return ``url`` stripped of surrounding space, or raise ``FeedURLError`` saying what is wrong."""
    url = url.strip()
    if not url:
        raise FeedURLError("Give the address of an RSS or Atom feed, starting with https://.")
    if len(url) > MAX_URL_LENGTH:
        raise FeedURLError(
            "That address is {length} characters long; feeds must be under {limit}.",
            length=len(url),
            limit=MAX_URL_LENGTH,
        )
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise FeedURLError("That address contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FeedURLError("That address could not be read ({problem}).", problem=exc) from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        shown = parts.scheme or Text("no scheme")
        raise FeedURLError("Only http:// and https:// feeds are supported, not {scheme}.", scheme=shown)
    if not parts.hostname:
        raise FeedURLError("That address has no host name.")
    if parts.username is not None or parts.password is not None:
        raise FeedURLError("Feed addresses must not contain a user name or password.")
    if port == 0:
        raise FeedURLError("That address uses port 0, which cannot be fetched.")
    return url


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def is_web_link(url: str | None) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host; the scheme in any case (``HTTP://``)."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.netloc)


def _tracking_fragment(fragment: str) -> bool:
    return bool(_TRACKING_FRAGMENT.match(fragment))


def posted_link(url: str) -> str:
    """The link to post: as the publisher wrote it, minus known tracking parameters and tracking fragments.

    Everything else is kept character for character (parameter order and spelling, ``?c`` without ``=``,
    percent-escapes, the ``#fragment``); only the scheme is lower-cased (``HTTP://`` names the same address).
    A link that cannot be parsed is returned stripped.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme:
        return url
    kept = [
        piece for piece in parts.query.split("&") if piece and not _is_tracking(unquote_plus(piece.split("=", 1)[0]))
    ]
    link = f"{parts.scheme.lower()}://{parts.netloc}{parts.path}"
    if kept:
        link += "?" + "&".join(kept)
    if parts.fragment and not _tracking_fragment(parts.fragment):
        link += "#" + parts.fragment
    return link


def canonical_link(url: str, *, keep_fragment: bool = False) -> str:
    """The link without tracking parameters, fragment, default port or host case, for comparing articles.

    Only ever a key, never posted. Meaningful query parameters (``?p=123``, ``?v=abc``) are kept in their original
    order. ``keep_fragment`` keeps a fragment that is not tracking: item identity needs it (a live blog's entries
    are one page with a ``#fragment`` each). A link that cannot be parsed is returned stripped, so a bad link never
    stops an item from being handled.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    if not parts.scheme or not parts.hostname:
        return url
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port is None or port == default_port else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = parts.path or "/"
    fragment = parts.fragment if keep_fragment and not _tracking_fragment(parts.fragment) else ""
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), fragment))


def host_of(url: str) -> str:
    """The lower-cased host of ``url`` without a trailing dot or ``www.``; empty when there is none."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` is not on the public internet, or ``None`` when it is.

    The one answer to "may Marquee connect here", used both before a fetch (``check_public``) and at connect
    time (``bot.feeds.fetch.PublicOnlyResolver``). An IPv4 address carried inside IPv6 (mapped, 6to4, NAT64)
    is judged by the IPv4 address, so ``::ffff:127.0.0.1`` is as refused as ``127.0.0.1``.
    """
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            inner = refusal_reason(mapped)
            return f"{inner} (inside an IPv6 address)" if inner else None
        if address in _NAT64:
            return refusal_reason(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address (this machine)"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        *((address in network, why) for network, why in _NOT_PUBLIC_NETWORKS),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private-network address"),
        (not address.is_global, "a non-public address"),
    )
    for refused, why in checks:
        if refused:
            return why
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the event loop's non-blocking ``getaddrinfo``."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def check_public(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> None:
    """Raise ``PrivateAddressError`` unless every address ``url``'s host resolves to is public.

    With ``allow_private`` (the ``FEEDS_ALLOW_PRIVATE_NETWORKS`` setting, for self-hosted feeds and tests)
    nothing is refused. Every address must pass, not just one: a host that answers with both a public and
    a private address could be connected to either.
    """
    validate_feed_url(url)
    if allow_private:
        return
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = list(await (resolver or system_resolver)(host, port))
        except (OSError, UnicodeError) as exc:
            raise FeedURLError("The host {host} could not be found ({problem}).", host=host, problem=exc) from exc
        if not addresses:
            raise FeedURLError("The host {host} could not be found.", host=host)
    for text in addresses:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError as exc:
            raise PrivateAddressError(
                "{host} resolves to {address!r}, which is not an IP address.", host=host, address=text
            ) from exc
        why = refusal_reason(address)
        if why is not None:
            log.info("refused feed host %s: %s is %s", host, address, why)
            raise PrivateAddressError(
                "{host} points to {why}; Marquee only fetches feeds on the public internet.", host=host, why=why
            )
