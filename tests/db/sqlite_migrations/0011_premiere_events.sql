-- The premiere as a server's scheduled event (issue 16, item 4): kept by the countdown's timer like the pinned
-- message. The row says what the event should be (the claim) and what it was last told, so a restart neither
-- loses nor doubles it.
ALTER TABLE countdowns ADD COLUMN event_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE countdowns ADD COLUMN event_id INTEGER;           -- the scheduled event Marquee keeps; NULL: none now
ALTER TABLE countdowns ADD COLUMN event_shown TEXT;           -- digest of what that event was last told
ALTER TABLE countdowns ADD COLUMN event_deleted_day TEXT;     -- someone deleted the event for this day (ISO date):
                                                              -- not made again until the confirmed day changes
ALTER TABLE countdowns ADD COLUMN event_problem TEXT;         -- why no event could be made ('permission'), or NULL
CREATE INDEX countdowns_event ON countdowns (event_id);
