-- Every story key of an item (its canonical link and its headline when distinctive), where items kept one: the same
-- article through a publisher's feed and an aggregator's (other tracking parameters, a retouched headline) shares
-- only one of them, and a channel that follows both must get it once. The primary key finds a key's items.
CREATE TABLE item_story_keys (
    story_key TEXT NOT NULL,
    item_id   INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (story_key, item_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX item_story_keys_item ON item_story_keys (item_id);
INSERT INTO item_story_keys (story_key, item_id) SELECT story_key, id FROM items;
