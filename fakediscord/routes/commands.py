"""Application command sync: what the bot registers here is what a test can ``invoke`` later."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from fakediscord import rules
from fakediscord.routes.family import Answer, Call, Route, RouteFamily

log = logging.getLogger(__name__)


class CommandRoutes(RouteFamily):
    def routes(self) -> Iterable[Route]:
        for prefix in ("/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"):
            yield Route("GET", prefix + "/commands", self.get_commands)
            yield Route("PUT", prefix + "/commands", self.put_commands)
            yield Route("POST", prefix + "/commands", self.post_command)

    def _scope(self, call: Call) -> int | None:
        if int(call.params["application_id"]) != self.fd.application_id:
            raise rules.missing_access()
        if "guild_id" not in call.params:
            return None
        guild = self.world.guilds.get(int(call.params["guild_id"]))
        if guild is None or self.fd.bot_user.id not in guild.members:
            raise rules.missing_access()
        return guild.id

    async def get_commands(self, call: Call) -> Answer:
        return 200, self.fd.commands.get(self._scope(call))

    async def put_commands(self, call: Call) -> Answer:
        scope = self._scope(call)
        rules.check_commands(call.body)
        stored = self.fd.commands.replace(scope, call.body)
        log.info("synced %d command(s) to %s", len(stored), "global" if scope is None else f"guild {scope}")
        return 200, stored

    async def post_command(self, call: Call) -> Answer:
        scope = self._scope(call)
        rules.check_command(call.body)
        stored, created = self.fd.commands.upsert(scope, call.body)
        return (201 if created else 200), stored
