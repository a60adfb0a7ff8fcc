-- The feed watcher: feeds (one row per URL, however many servers follow it), subscriptions (a feed into a
-- channel), items seen per feed, and the outbox of (item, channel) deliveries.
-- Times are ISO-8601 UTC text ("2026-11-23T18:00:00+00:00"), which sorts correctly as text.

CREATE TABLE feeds (
    id                   INTEGER PRIMARY KEY,
    url                  TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL DEFAULT '',
    etag                 TEXT,
    last_modified        TEXT,
    last_fetch_at        TEXT,
    last_status          INTEGER,
    last_error           TEXT,
    next_due_at          TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    not_found_streak     INTEGER NOT NULL DEFAULT 0,
    failing_since        TEXT,
    paused_reason        TEXT,
    pause_announced      INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL
) STRICT;

CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    feed_id       INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    include_words TEXT NOT NULL DEFAULT '',
    exclude_words TEXT NOT NULL DEFAULT '',
    created_by    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (feed_id, channel_id)
) STRICT;
CREATE INDEX subscriptions_guild ON subscriptions (guild_id);

CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    item_key     TEXT NOT NULL,
    story_key    TEXT NOT NULL,
    title        TEXT NOT NULL,
    link         TEXT,
    outlet       TEXT,
    summary      TEXT NOT NULL DEFAULT '',
    image_url    TEXT,
    published_at TEXT NOT NULL,
    seen_at      TEXT NOT NULL,
    UNIQUE (feed_id, item_key)
) STRICT;

-- Every identity key of an item (guid, canonical link, headline): a feed that re-publishes an item under a fresh
-- guid, or with only its link or title unchanged, is recognised as having sent it already.
CREATE TABLE item_keys (
    feed_id  INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (feed_id, key)
) STRICT, WITHOUT ROWID;

-- state: pending (queued or being retried), sent (Discord confirmed; message_id set), dropped (filtered by a
-- cross-feed duplicate, or given up on with a reason in last_error).
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    story_key       TEXT NOT NULL,
    nonce           TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    message_id      INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (item_id, channel_id)
) STRICT;
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at, id);
CREATE INDEX deliveries_story ON deliveries (channel_id, story_key, created_at);

-- A channel that keeps answering 403/404 is paused rather than retried forever.
CREATE TABLE channel_health (
    channel_id           INTEGER PRIMARY KEY,
    guild_id             INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_reason        TEXT,
    updated_at           TEXT NOT NULL
) STRICT;

-- Per-server feed settings: extra blocked domains/title patterns (JSON arrays), the spoiler guard, and when
-- /feeds refresh was last used (it is allowed once a minute).
CREATE TABLE guild_feed_settings (
    guild_id          INTEGER PRIMARY KEY,
    blocked_domains   TEXT NOT NULL DEFAULT '[]',
    blocked_patterns  TEXT NOT NULL DEFAULT '[]',
    spoiler_days      INTEGER NOT NULL DEFAULT 0,
    premiere_date     TEXT,
    last_refresh_at   TEXT
) STRICT;
