-- Items are the watcher's memory of what a feed has had, so they were kept for good. An item is now forgotten
-- once it has been missing from the feed's latest document for the retention period: last_seen_at is when a
-- fetched document last held it, and the index finds each feed's newest document and its long-gone items.
ALTER TABLE items ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
UPDATE items SET last_seen_at = seen_at;
CREATE INDEX items_last_seen ON items (feed_id, last_seen_at);

-- What remains of a forgotten item: its identity keys, so a months-old article the feed shows again is
-- recognised as seen and not posted a second time.
CREATE TABLE forgotten_item_keys (
    feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    forgotten_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, key)
) STRICT, WITHOUT ROWID;
