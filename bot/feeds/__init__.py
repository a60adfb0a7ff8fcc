"""The feed watcher's Discord-free core.

Everything a news subscription needs before Discord gets involved lives here, one concern per module:
``urls`` (is this address safe to fetch, what is an article's canonical link), ``fetch`` (polite, bounded
HTTP), ``parse`` (feedparser in worker processes), ``normalise`` (clean items), ``dedup`` (identity keys),
``filters`` (keywords and blocklists), ``schedule`` (when to poll next, when to give up) and ``post`` (the
news card). The cog and the database layer build on these without re-deciding any of it.
"""
