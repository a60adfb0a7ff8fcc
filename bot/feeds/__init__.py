"""The feed watcher: its service and its Discord-free parts.

``service.FeedService`` is the feature's one home: every rule and storage call behind ``/feeds``, ``/news`` and
the loops. Its parts, one concern per module: ``urls`` (is this address safe to fetch, what is an article's
canonical link), ``fetch`` (polite, bounded HTTP), ``parse`` (feedparser in worker processes), ``normalise``
(clean items), ``dedup`` (identity keys), ``filters`` (keywords and blocklists), ``schedule`` (when to poll next,
when to give up), ``post`` (the news card), ``watcher`` (one poll cycle into the outbox), ``sender`` (the outbox
to Discord) and ``channels`` (what the sender needs from Discord, implemented in ``cogs/feeds``).
"""
