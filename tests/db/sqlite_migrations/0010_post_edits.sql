-- Edited articles update their post (issue 16): an item remembers a digest of its normalised headline and summary
-- (text_key; NULL for items stored before, which get one at their next poll without an edit), so a material change
-- is told from a retouched comma. delivery_sources holds the other outlets that brought the same story to a
-- channel ("Also reported by"). post_edits is the outbox of message edits: recorded before the edit is sent,
-- marked sent only after Discord confirmed it; one pending edit per post at most (it draws the latest text when it
-- is sent, so later changes fold into it).
ALTER TABLE items ADD COLUMN text_key TEXT;

CREATE TABLE delivery_sources (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    outlet      TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (delivery_id, outlet)
) STRICT, WITHOUT ROWID;

CREATE TABLE post_edits (
    id              INTEGER PRIMARY KEY,
    delivery_id     INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    edited_at       TEXT,
    last_error      TEXT
) STRICT;
CREATE UNIQUE INDEX post_edits_one_pending ON post_edits (delivery_id) WHERE state = 'pending';
CREATE INDEX post_edits_due ON post_edits (next_attempt_at, id) WHERE state = 'pending';
-- Whole, not partial: deleting a delivery (pruning, a forgotten place) finds its edits through it.
CREATE INDEX post_edits_delivery ON post_edits (delivery_id, state, edited_at);
