"""Marquee: a Discord bot for TV-show fan communities."""

__version__ = "0.1.0"
USER_AGENT = f"Marquee/{__version__} (Discord bot for TV-show fan servers)"
