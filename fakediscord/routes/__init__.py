"""Discord's REST API v10, for the routes discord.py and Marquee call, one module per route family.

``pipeline`` runs every request through Discord's order of checks and hands it to the family that owns
its route; ``app`` puts the pipeline and the gateway on one aiohttp server.
"""
