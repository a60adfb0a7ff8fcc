"""The feed watcher's storage: feeds, subscriptions, seen items, the delivery outbox and per-server settings.

Callers use this package as one module (``import db.feeds as store``); the modules below it are cut by what they
store, and the names here are the whole interface.
"""

from db.feeds.items import item_keys
from db.feeds.outbox import (
    CROSS_FEED_WINDOW,
    channel_failed,
    delivery_counts,
    due_deliveries,
    give_up,
    mark_attempt,
    mark_sent,
    paused_channels,
    pending_count,
    prune_deliveries,
    recent_posts,
    resume_channel,
    retry_later,
)
from db.feeds.polling import (
    claim_refresh,
    due_feeds,
    make_all_due,
    mark_pause_announced,
    record_fetch,
    resume_feed,
    store_items,
    unannounced_pauses,
)
from db.feeds.records import Delivery, Feed, FeedStatus, GuildFeedSettings, NewItem, Post, Subscription, Target
from db.feeds.settings import guild_settings, guilds_settings, save_guild_settings
from db.feeds.subscriptions import (
    feed_subscriptions,
    get_feed,
    get_feed_by_url,
    guild_feeds,
    guild_status,
    guild_subscriptions,
    move_feed,
    subscribe,
    unsubscribe,
)

__all__ = [
    "CROSS_FEED_WINDOW",
    "Delivery",
    "Feed",
    "FeedStatus",
    "GuildFeedSettings",
    "NewItem",
    "Post",
    "Subscription",
    "Target",
    "channel_failed",
    "claim_refresh",
    "delivery_counts",
    "due_deliveries",
    "due_feeds",
    "feed_subscriptions",
    "get_feed",
    "get_feed_by_url",
    "give_up",
    "guild_feeds",
    "guild_settings",
    "guild_status",
    "guild_subscriptions",
    "guilds_settings",
    "item_keys",
    "make_all_due",
    "mark_attempt",
    "mark_pause_announced",
    "mark_sent",
    "move_feed",
    "paused_channels",
    "pending_count",
    "prune_deliveries",
    "recent_posts",
    "record_fetch",
    "resume_channel",
    "resume_feed",
    "retry_later",
    "save_guild_settings",
    "store_items",
    "subscribe",
    "unannounced_pauses",
    "unsubscribe",
]
