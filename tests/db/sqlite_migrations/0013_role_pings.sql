-- Role pings on news: a subscription may name a role to ping and the words that must match for the ping
-- (empty: every post of the feed may ping). A delivery carries the role it may ping, set only when it was queued
-- fresh (a poll on time, never a subscription's backfill nor a poll catching up after an outage or a pause), and
-- pinged_at once the sender chose to ping with it (before the send, so a retry or a recovery never decides twice).
ALTER TABLE subscriptions ADD COLUMN ping_role_id INTEGER;
ALTER TABLE subscriptions ADD COLUMN ping_words TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN ping_role_id INTEGER;
ALTER TABLE deliveries ADD COLUMN pinged_at TEXT;
-- At most one ping per role per channel per window: the sender looks up the channel's latest ping of the role.
CREATE INDEX deliveries_pinged ON deliveries (channel_id, ping_role_id, pinged_at) WHERE pinged_at IS NOT NULL;
