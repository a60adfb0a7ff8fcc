"""Guild scheduled events: list, create, fetch, modify and delete, with Discord's permission rules.

Create Events lets a member make events and change or delete the ones they made; Manage Events lets
them change or delete anyone's. Each change reaches the bot as GUILD_SCHEDULED_EVENT_CREATE, _UPDATE
or _DELETE, as on Discord.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from fakediscord import rules
from fakediscord.routes.family import JSON, Answer, Call, Route, RouteFamily
from fakediscord.scheduled_events import (
    SCHEDULED,
    ScheduledEvent,
    add_event,
    check_event,
    check_status,
    events_of,
    find_event,
    unknown_event,
)
from fakediscord.world import CREATE_EVENTS, MANAGE_EVENTS, Guild, base_permissions

EDITABLE = (
    "name",
    "description",
    "scheduled_start_time",
    "scheduled_end_time",
    "entity_type",
    "entity_metadata",
    "channel_id",
    "privacy_level",
    "image",
)


class ScheduledEventRoutes(RouteFamily):
    def routes(self) -> Iterable[Route]:
        one = "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
        return (
            Route("GET", "/guilds/{guild_id}/scheduled-events", self.list_events),
            Route("POST", "/guilds/{guild_id}/scheduled-events", self.create_event),
            Route("GET", one, self.get_event),
            Route("PATCH", one, self.edit_event),
            Route("DELETE", one, self.delete_event),
        )

    def _perms(self, guild: Guild) -> int:
        return base_permissions(guild, guild.members[self.fd.bot_user.id])

    def _event(self, guild: Guild, call: Call) -> ScheduledEvent:
        event = find_event(self.world, guild, int(call.params["guild_scheduled_event_id"]))
        if event is None:
            raise unknown_event()
        return event

    def _may_change(self, event: ScheduledEvent) -> None:
        perms = self._perms(event.guild)
        own = event.creator is self.fd.bot_user and perms & CREATE_EVENTS
        if not (perms & MANAGE_EVENTS or own):
            raise rules.missing_permissions()

    @staticmethod
    def _counts(call: Call) -> bool:
        return call.query.get("with_user_count", "").lower() in ("true", "1")

    async def list_events(self, call: Call) -> Answer:
        guild = self._guild(call)
        events = events_of(self.world, guild)
        return 200, [e.payload(with_user_count=self._counts(call)) for e in events]

    async def get_event(self, call: Call) -> Answer:
        guild = self._guild(call)
        return 200, self._event(guild, call).payload(with_user_count=self._counts(call))

    async def create_event(self, call: Call) -> Answer:
        guild = self._guild(call)
        if not self._perms(guild) & (CREATE_EVENTS | MANAGE_EVENTS):
            raise rules.missing_permissions()
        body: JSON = call.body if isinstance(call.body, dict) else {}
        start, end = check_event(body, changing_start=True, now=datetime.now(UTC))
        event = ScheduledEvent(
            self.world.ids.next(),
            guild,
            self.fd.bot_user,
            name=body["name"],
            start=start,
            end=end,
            entity_type=int(body["entity_type"]),
            location=(body.get("entity_metadata") or {}).get("location"),
            description=body.get("description"),
            privacy_level=int(body["privacy_level"]),
            status=SCHEDULED,
            image=None,
        )
        add_event(self.world, event)
        self.fd.events.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event.payload())
        self.fd.events.notify()
        return 200, event.payload()

    async def edit_event(self, call: Call) -> Answer:
        guild = self._guild(call)
        event = self._event(guild, call)
        self._may_change(event)
        body: JSON = call.body if isinstance(call.body, dict) else {}
        check_status(event, body.get("status"))
        current = event.payload()
        merged = {**current, **{k: v for k, v in body.items() if k in EDITABLE}}
        if "entity_metadata" in body and body["entity_metadata"] is None:
            merged["entity_metadata"] = current["entity_metadata"]
        moving = "scheduled_start_time" in body and body["scheduled_start_time"] != current["scheduled_start_time"]
        start, end = check_event(merged, changing_start=moving, now=datetime.now(UTC))
        event.name = merged["name"]
        event.description = merged.get("description")
        event.start, event.end = start, end
        event.location = (merged.get("entity_metadata") or {}).get("location")
        if body.get("status") is not None:
            event.status = int(body["status"])
        self.fd.events.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event.payload())
        self.fd.events.notify()
        return 200, event.payload()

    async def delete_event(self, call: Call) -> Answer:
        guild = self._guild(call)
        event = self._event(guild, call)
        self._may_change(event)
        del self.world.scheduled_events[event.id]
        self.fd.events.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event.payload())
        self.fd.events.notify()
        return 204, None
