"""Housekeeping: no work for places that no longer want Marquee.

``service.HousekeepingService`` holds the rules: a server that removed Marquee, or a deleted channel that held
its setup, is paused at once and forgotten after ``Limits.cleanup_grace_days``; a server that invites Marquee
back within that time loses nothing. The Discord events that start and end a departure are heard in
``cogs/housekeeping``.
"""
