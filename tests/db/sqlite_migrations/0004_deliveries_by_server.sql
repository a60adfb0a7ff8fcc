-- /news and the server's recent posts read one server's sent deliveries, newest first. Without this index they
-- walked every sent delivery of every server (the outbox only grows), holding the database for all commands.
CREATE INDEX deliveries_by_server ON deliveries (guild_id, state, sent_at);
