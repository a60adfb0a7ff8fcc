"""Guild, channel-list, role and member lookups, answered only for guilds the bot is in."""

from __future__ import annotations

from collections.abc import Iterable

from fakediscord.routes.family import Answer, Call, Route, RouteFamily
from fakediscord.rules import DiscordError


class GuildRoutes(RouteFamily):
    def routes(self) -> Iterable[Route]:
        return (
            Route("GET", "/guilds/{guild_id}", self.get_guild),
            Route("GET", "/guilds/{guild_id}/channels", self.get_guild_channels),
            Route("GET", "/guilds/{guild_id}/roles", self.get_guild_roles),
            Route("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member),
        )

    async def get_guild(self, call: Call) -> Answer:
        return 200, self._guild(call).payload()

    async def get_guild_channels(self, call: Call) -> Answer:
        return 200, [c.payload() for c in self._guild(call).channels.values()]

    async def get_guild_roles(self, call: Call) -> Answer:
        return 200, [r.payload() for r in self._guild(call).roles.values()]

    async def get_member(self, call: Call) -> Answer:
        member = self._guild(call).members.get(int(call.params["user_id"]))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return 200, member.payload()
