"""Where discord.py is told which Discord to talk to.

discord.py keeps its REST base and default gateway as class attributes, so redirecting it (to a proxy
or to the local fakediscord) is a process-wide switch. Keeping the switch in one function means the
bot, the tests and the demo all redirect the client the same way.
"""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.settings import DISCORD_API_URL, DISCORD_GATEWAY_URL


def point_discord_at(api_url: str = DISCORD_API_URL, gateway_url: str = DISCORD_GATEWAY_URL) -> None:
    """Send every REST call to ``api_url`` and open the gateway at ``gateway_url``."""
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
