-- Where Marquee was told it is no longer wanted: removed from a server (channel_id 0) or a channel with its setup
-- deleted. The setup is kept for a grace period (a server that re-invites Marquee loses nothing), then
-- housekeeping deletes it; meanwhile the channels are paused in channel_health so nothing is sent there.
CREATE TABLE departures (
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,  -- 0: the whole server
    departed_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX departures_by_age ON departures (departed_at);
