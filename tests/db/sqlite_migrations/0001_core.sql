-- Bot-wide facts that must survive restarts, such as the hash of the last globally synced command set.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
