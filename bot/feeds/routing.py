"""Which channels get which new items: the rules as plain data, decided in a parser worker, applied on the loop.

A poll decides, for every item of a document and every server following the feed, whether that server's blocklist
drops it, and for every subscription's keywords whether they do. With 200 blocked domains and phrases per server
and thousands of items this was seconds of CPU on the event loop (bench/loop_lag.py); now ``decide`` runs in the
parser worker in the same trip as the parse (``watcher.read_feed``), taking the rules as plain data, and the loop
only looks the answers up (``Router.route``) inside the database transaction.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import db.feeds as store
from bot.feeds.dedup import delivery_nonce, item_key
from bot.feeds.filters import (
    DEFAULT_BLOCKLIST,
    Blocklist,
    FilterError,
    Keyword,
    keyword_reason,
    parse_keywords,
    server_blocklist,
)
from bot.feeds.normalise import NewsItem
from bot.feeds.pings import wants_ping
from db import Database

log = logging.getLogger(__name__)

Entries = tuple[tuple[str, ...], tuple[str, ...]]  # a server's own (blocked domains, blocked phrases)


@dataclass(frozen=True, slots=True)
class Rules:
    """What routing needs of a feed's followers, as plain picklable data for a parser worker.

    Servers with the same entries (most have none: the built-in list alone) share one blocklist, and
    subscriptions with the same keywords share one decision, so the work grows with what differs, not with
    the number of followers.
    """

    blocklists: tuple[Entries, ...] = (((), ()),)  # distinct lists; the built-in list alone when nobody follows
    list_of: Mapping[int, int] = field(default_factory=dict)  # guild id → index in ``blocklists``
    keywords: tuple[tuple[str, str], ...] = ()  # distinct (include, exclude) lists, as the subscriptions store them

    @classmethod
    def of(cls, subscriptions: Sequence[store.Subscription], settings: Mapping[int, store.GuildFeedSettings]) -> Rules:
        lists: dict[Entries, int] = {}
        list_of: dict[int, int] = {}
        for sub in subscriptions:
            own = settings.get(sub.guild_id)
            entries: Entries = (own.blocked_domains, own.blocked_patterns) if own else ((), ())
            list_of[sub.guild_id] = lists.setdefault(entries, len(lists))
        keywords = tuple(dict.fromkeys((s.include_words, s.exclude_words) for s in subscriptions))
        return cls(tuple(lists) or (((), ()),), list_of, keywords)


@dataclass(frozen=True, slots=True)
class Decisions:
    """A worker's answers for one document, sparse: most items pass every list and every keyword filter.

    ``blocked``: item key → each blocklist's reason (``None`` where that list lets it through), for items some
    list drops. ``dropped``: item key → index in ``Rules.keywords`` → reason, for items some keywords drop.
    ``unusable``: blocklist index → why its stored entries no longer validate (the built-in list stands in).
    """

    blocked: dict[str, tuple[str | None, ...]] = field(default_factory=dict)
    dropped: dict[str, dict[int, str]] = field(default_factory=dict)
    unusable: dict[int, str] = field(default_factory=dict)


def _blocklist(entries: Entries) -> tuple[Blocklist, str | None]:
    domains, phrases = entries
    if not domains and not phrases:
        return DEFAULT_BLOCKLIST, None
    try:
        return server_blocklist(domains, phrases), None
    except FilterError as exc:  # a stored entry that no longer validates must not stop the feed
        return DEFAULT_BLOCKLIST, str(exc)


@functools.lru_cache(maxsize=256)
def _keywords(include: str, exclude: str) -> tuple[tuple[Keyword, ...], tuple[Keyword, ...]]:
    try:
        return parse_keywords(include), parse_keywords(exclude)
    except FilterError:
        return (), ()


def decide(items: Sequence[NewsItem], keys: Sequence[str], rules: Rules) -> Decisions:
    """Every (item, blocklist) and (item, keywords) decision for a document; run in a parser worker."""
    built = [_blocklist(entries) for entries in rules.blocklists]
    lists = [blocklist for blocklist, _ in built]
    filters = [_keywords(include, exclude) for include, exclude in rules.keywords]
    decisions = Decisions(unusable={n: why for n, (_, why) in enumerate(built) if why})
    for item, key in zip(items, keys, strict=True):
        decisions.blocked.pop(key, None)  # a key met twice: the last item decides, as in the database
        decisions.dropped.pop(key, None)
        reasons = tuple(blocklist.reason(item) for blocklist in lists)
        if any(reasons):
            decisions.blocked[key] = reasons
        drops = {n: why for n, (inc, exc) in enumerate(filters) if (why := keyword_reason(item, inc, exc))}
        if drops:
            decisions.dropped[key] = drops
    return decisions


def delivery_nonce_for(subscription: store.Subscription, new: store.NewItem) -> str:
    """The outbox nonce of (item, channel): the feed is part of the key because item keys are per feed."""
    return delivery_nonce(f"{subscription.feed_id}:{new.item_key}", subscription.channel_id)


def _own_blocklist(settings: store.GuildFeedSettings) -> Blocklist:
    list_, why = _blocklist((settings.blocked_domains, settings.blocked_patterns))
    if why:
        log.warning("guild %s has an unusable blocklist entry (%s); using the default list", settings.guild_id, why)
    return list_


class Router:
    """Decides per (new item, subscription) whether to post, applying keywords and the server's blocklist.

    ``route`` is synchronous because the database calls it inside its transaction; everything it needs is
    loaded beforehand. Given a worker's ``decisions`` for ``rules`` it only looks answers up; a subscription
    the rules did not know (added since they were read) is decided here, as are routers built without them
    (``/feeds add``, which routes one preview).
    """

    def __init__(
        self,
        items: Sequence[NewsItem],
        blocklists: dict[int, Blocklist],
        keys: Sequence[str] | None = None,
        *,
        rules: Rules | None = None,
        decisions: Decisions | None = None,
    ) -> None:
        keys = [item_key(item) for item in items] if keys is None else keys
        self._by_key = dict(zip(keys, items, strict=True))
        self._key_of = {id(item): key for item, key in zip(items, keys, strict=True)}
        self._blocklists = blocklists
        self._rules = rules if decisions is not None else None
        self._decisions = decisions or Decisions()
        self._keyword_index = {pair: n for n, pair in enumerate(self._rules.keywords)} if self._rules else {}
        self.dropped: list[tuple[str, int, str]] = []  # (title, channel id, reason), for logs
        if rules is not None:
            for n, why in self._decisions.unusable.items():
                guilds = sorted(g for g, index in rules.list_of.items() if index == n)
                log.warning("guild(s) %s have an unusable blocklist entry (%s); using the default list", guilds, why)

    @classmethod
    async def load(
        cls,
        database: Database,
        items: Sequence[NewsItem],
        subscriptions: Sequence[store.Subscription],
        keys: Sequence[str] | None = None,
    ) -> Router:
        """A router deciding on the loop; ``keys`` are the items' keys when already computed."""
        guilds = list(dict.fromkeys(s.guild_id for s in subscriptions))
        settings = await store.guilds_settings(database, guilds)
        own = {g: _own_blocklist(s) for g, s in settings.items()}
        return cls(items, {g: own.get(g, DEFAULT_BLOCKLIST) for g in guilds}, keys)

    def blocklist(self, guild_id: int) -> Blocklist:
        return self._blocklists.get(guild_id, DEFAULT_BLOCKLIST)

    def _reason(self, item: NewsItem, key: str, subscription: store.Subscription) -> str | None:
        rules, decided = self._rules, self._decisions
        guild, pair = subscription.guild_id, (subscription.include_words, subscription.exclude_words)
        if rules is not None and guild in rules.list_of:
            blocked = decided.blocked.get(key)
            reason = blocked[rules.list_of[guild]] if blocked else None
        else:
            reason = self.blocklist(guild).reason(item)
        if reason is not None:
            return reason
        if pair in self._keyword_index:
            return decided.dropped.get(key, {}).get(self._keyword_index[pair])
        return keyword_reason(item, *_keywords(*pair))

    def route(self, new: store.NewItem, subscription: store.Subscription) -> store.Target | None:
        item = self._by_key.get(new.item_key)
        if item is None:
            return None
        reason = self._reason(item, new.item_key, subscription)
        if reason is not None:
            self.dropped.append((item.title, subscription.channel_id, reason))
            log.info("not posting %r to channel %s: %s", item.title, subscription.channel_id, reason)
            return None
        role = subscription.ping_role_id
        return store.Target(
            subscription.id,
            subscription.guild_id,
            subscription.channel_id,
            delivery_nonce_for(subscription, new),
            ping_role_id=role if role is not None and wants_ping(item, subscription.ping_words) else None,
        )

    def unblocked(self, items: Sequence[NewsItem]) -> list[NewsItem]:
        """Items that at least one following server's blocklist lets through (the default list when none)."""
        if self._rules is not None:
            decided = self._decisions.blocked
            return [item for item in items if not all(decided.get(self._key_of.get(id(item), ""), (None,)))]
        lists = list({id(b): b for b in self._blocklists.values()}.values()) or [DEFAULT_BLOCKLIST]
        return [item for item in items if any(b.reason(item) is None for b in lists)]
