"""Who the bot is and where its gateway is: the first calls discord.py makes on login."""

from __future__ import annotations

from collections.abc import Iterable

from fakediscord.routes.family import Answer, Call, Route, RouteFamily
from fakediscord.rules import DiscordError


class IdentityRoutes(RouteFamily):
    def routes(self) -> Iterable[Route]:
        return (
            Route("GET", "/users/@me", self.get_me),
            Route("GET", "/oauth2/applications/@me", self.get_application),
            Route("GET", "/gateway", self.get_gateway, bot_auth=False),
            Route("GET", "/gateway/bot", self.get_gateway_bot),
            Route("GET", "/users/{user_id}", self.get_user),
        )

    async def get_me(self, call: Call) -> Answer:
        return 200, {**self.fd.bot_user.payload(), "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def get_application(self, call: Call) -> Answer:
        fd = self.fd
        return 200, {
            "id": str(fd.application_id),
            "name": fd.bot_user.username,
            "icon": None,
            "description": "A bot running against fakediscord.",
            "type": None,
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": fd.owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "flags_new": "0",
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": sum(1 for g in self.world.guilds.values() if fd.bot_user.id in g.members),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "bot": fd.bot_user.payload(),
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
            "integration_types_config": {"0": {}},
        }

    async def get_gateway(self, call: Call) -> Answer:
        return 200, {"url": self.fd.gateway_url}

    async def get_gateway_bot(self, call: Call) -> Answer:
        """Discord's recommended shard count for the bot's guilds and its session start limit, which the gateway
        then enforces (``remaining`` falls with each IDENTIFY, ``max_concurrency`` paces them)."""
        fd = self.fd
        guilds = sum(1 for g in self.world.guilds.values() if fd.bot_user.id in g.members)
        return 200, fd.ratelimits.session_starts.gateway_bot(fd.gateway_url, guilds)

    async def get_user(self, call: Call) -> Answer:
        user = self.world.users.get(int(call.params["user_id"]))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return 200, user.payload()
