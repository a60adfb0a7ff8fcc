-- Which servers received each claim read from the news: a server's countdown learns only from the news of
-- feeds it follows, and a countdown set up later replays only its own server's news. Claims stored before this
-- migration have no server, so no countdown replays them (none can be told apart from another server's feed).
CREATE TABLE release_news_servers (
    news_id  INTEGER NOT NULL REFERENCES release_news (id) ON DELETE CASCADE,
    guild_id INTEGER NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (news_id, guild_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX release_news_servers_by_guild ON release_news_servers (guild_id, seen_at);
