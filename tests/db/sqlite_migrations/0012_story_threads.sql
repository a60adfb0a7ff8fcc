-- A thread per story (issue 16): a subscription posts plain messages, a message with its own discussion thread, or a
-- forum post per article (with an optional forum tag). A delivery records the thread it made, once Discord confirmed
-- it; a pending delivery with a message_id is a post whose thread is still owed. thread_refused remembers that the
-- channel was told once that its threads are refused, until a thread goes through again.
ALTER TABLE subscriptions ADD COLUMN post_style TEXT NOT NULL DEFAULT 'message'
    CHECK (post_style IN ('message', 'thread', 'forum'));
ALTER TABLE subscriptions ADD COLUMN forum_tag_id INTEGER;
ALTER TABLE subscriptions ADD COLUMN thread_refused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN thread_id INTEGER;
