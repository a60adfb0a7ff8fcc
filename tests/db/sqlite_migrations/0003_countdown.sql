-- The release countdown: one pinned message per server, the claim it shows, and every candidate claim
-- considered for it (accepted or not) with its source and the reason for the verdict.
-- Times are ISO-8601 UTC text, claims are JSON as written by bot.release.claims.claim_to_json.

CREATE TABLE countdowns (
    guild_id     INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL,
    message_id   INTEGER,              -- NULL until posted, and again once the message is known to be gone
    ping_role_id INTEGER,
    locked       INTEGER NOT NULL DEFAULT 0,
    locked_at    TEXT,                 -- news seen since then is weighed again on unlock
    claim        TEXT,                 -- the current claim; NULL when nothing is known
    changed_at   TEXT NOT NULL,        -- when the claim (or the lock) last changed
    rendered     TEXT,                 -- digest of the card the message shows
    last_edit_at TEXT,                 -- at most one edit a minute per message
    due_at       TEXT,                 -- when the sleeper should look at it next; NULL: nothing to do
    revision     INTEGER NOT NULL DEFAULT 0,  -- bumped by every change the message must catch up with
    problem      TEXT,                 -- why the message could not be kept up, for /countdown show
    created_by   INTEGER NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX countdowns_due ON countdowns (due_at);
CREATE INDEX countdowns_message ON countdowns (message_id);

-- announce: none (nothing to post), pending (to post), sent, failed (Discord refused; not retried).
CREATE TABLE countdown_history (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL REFERENCES countdowns (guild_id) ON DELETE CASCADE,
    claim      TEXT NOT NULL,
    previous   TEXT,
    accepted   INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    by_user    INTEGER,
    announce   TEXT NOT NULL DEFAULT 'none' CHECK (announce IN ('none', 'pending', 'sent', 'failed')),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX countdown_history_guild ON countdown_history (guild_id, id);
CREATE INDEX countdown_history_announce ON countdown_history (announce, id);

-- Every claim read from the news, once, so a server that sets up later starts from what is known.
CREATE TABLE release_news (
    id         INTEGER PRIMARY KEY,
    claim      TEXT NOT NULL UNIQUE,
    published  TEXT NOT NULL,
    seen_at    TEXT NOT NULL
) STRICT;
