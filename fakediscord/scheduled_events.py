"""Guild scheduled events: the world object, its payload, and Discord's rules for making and changing one.

Shapes follow Discord's OpenAPI description (``ExternalScheduledEventResponse`` and its stage and voice
siblings; ``ExternalScheduledEventCreateRequest``, ``...PatchRequestPartial``). The rules are Discord's
documented ones: an EXTERNAL event (entity type 3) needs ``entity_metadata.location`` and
``scheduled_end_time`` and no channel; ``privacy_level`` can only be 2 (GUILD_ONLY); a start time must be in
the future; an event moves SCHEDULED -> ACTIVE -> COMPLETED or SCHEDULED -> CANCELED, and a finished one
can no longer change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fakediscord.rules import DiscordError, FormErrors
from fakediscord.world import JSON, Guild, User, World, iso

log = logging.getLogger(__name__)

STAGE_INSTANCE, VOICE, EXTERNAL = 1, 2, 3
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
GUILD_ONLY = 2
NAME_MAX = 100
DESCRIPTION_MAX = 1000
LOCATION_MAX = 100

# Discord's allowed status changes: anything else is a 400 on ``status``.
TRANSITIONS: dict[int, frozenset[int]] = {
    SCHEDULED: frozenset({SCHEDULED, ACTIVE, CANCELED}),
    ACTIVE: frozenset({ACTIVE, COMPLETED}),
}


@dataclass(eq=False)
class ScheduledEvent:
    id: int
    guild: Guild
    creator: User
    name: str
    start: datetime
    end: datetime | None
    entity_type: int = EXTERNAL
    location: str | None = None
    channel_id: int | None = None
    description: str | None = None
    privacy_level: int = GUILD_ONLY
    status: int = SCHEDULED
    image: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in (COMPLETED, CANCELED)

    def payload(self, *, with_user_count: bool = False) -> JSON:
        payload: JSON = {
            "id": str(self.id),
            "guild_id": str(self.guild.id),
            "name": self.name,
            "description": self.description,
            "channel_id": str(self.channel_id) if self.channel_id else None,
            "creator_id": str(self.creator.id),
            "creator": self.creator.payload(),
            "image": self.image,
            "scheduled_start_time": iso(self.start),
            "scheduled_end_time": iso(self.end) if self.end else None,
            "status": self.status,
            "entity_type": self.entity_type,
            "entity_id": None,
            "recurrence_rule": None,
            "privacy_level": self.privacy_level,
            "guild_scheduled_event_exceptions": [],
            "entity_metadata": {"location": self.location} if self.entity_type == EXTERNAL else None,
        }
        if with_user_count:
            payload["user_count"] = 0
        return payload


def events_of(world: World, guild: Guild) -> list[ScheduledEvent]:
    """The guild's events, oldest first (the world holds them untyped: it sits below this module)."""
    return [e for e in world.scheduled_events.values() if isinstance(e, ScheduledEvent) and e.guild is guild]


def find_event(world: World, guild: Guild, event_id: int) -> ScheduledEvent | None:
    event = world.scheduled_events.get(event_id)
    return event if isinstance(event, ScheduledEvent) and event.guild is guild else None


def add_event(world: World, event: ScheduledEvent) -> None:
    world.scheduled_events[event.id] = event


def unknown_event() -> DiscordError:
    return DiscordError(404, 10070, "Unknown Guild Scheduled Event")


def finished_event() -> DiscordError:
    return DiscordError(400, 180000, "Cannot update a finished event")


def _time(errors: FormErrors, key: str, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        errors.add((key,), "DATE_TYPE_PARSE", f"Could not parse {value}. Should be ISO8601.")
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(errors: FormErrors, key: str, value: Any, low: int, high: int) -> None:
    if value is None and low == 0:
        return
    if not isinstance(value, str):
        errors.add((key,), "BASE_TYPE_REQUIRED" if value is None else "BASE_TYPE_STRING", "This field is required")
    elif not low <= len(value) <= high:
        errors.add((key,), "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def check_event(merged: JSON, *, changing_start: bool, now: datetime) -> tuple[datetime, datetime | None]:
    """Validate an event's fields as Discord does (for a create, or an edit merged over the current event).

    Returns the parsed start and end. Raises 400/50035 naming each offending field.
    """
    errors = FormErrors()
    _text(errors, "name", merged.get("name"), 1, NAME_MAX)
    _text(errors, "description", merged.get("description"), 0, DESCRIPTION_MAX)
    if merged.get("privacy_level") != GUILD_ONLY:
        value = merged.get("privacy_level")
        errors.add(("privacy_level",), "ENUM_TYPE_COERCE", f'Value "{value}" is not a valid enum value.')
    kind = merged.get("entity_type")
    start = _time(errors, "scheduled_start_time", merged.get("scheduled_start_time"))
    end = _time(errors, "scheduled_end_time", merged.get("scheduled_end_time"))
    if merged.get("scheduled_start_time") is None:
        errors.add(("scheduled_start_time",), "BASE_TYPE_REQUIRED", "This field is required")
    if start is not None and changing_start and start <= now:
        errors.add(
            ("scheduled_start_time",), "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", "Cannot schedule event in the past."
        )
    if start is not None and end is not None and end <= start:
        errors.add(
            ("scheduled_end_time",),
            "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
            "Cannot schedule event to end before starting.",
        )
    if kind == EXTERNAL:
        metadata = merged.get("entity_metadata") or {}
        location = metadata.get("location") if isinstance(metadata, dict) else None
        if not isinstance(location, str) or not 1 <= len(location) <= LOCATION_MAX:
            errors.add(("entity_metadata", "location"), "BASE_TYPE_REQUIRED", "This field is required")
        if end is None:
            errors.add(("scheduled_end_time",), "BASE_TYPE_REQUIRED", "This field is required")
        if merged.get("channel_id") is not None:
            errors.add(("channel_id",), "BASE_TYPE_NONE", "Channel must not be set for external events.")
    elif kind in (STAGE_INSTANCE, VOICE):
        # The fake's world has no voice or stage channels, so no channel can host such an event.
        errors.add(("channel_id",), "CHANNEL_TYPE_INVALID", "Unknown Channel")
    else:
        errors.add(("entity_type",), "ENUM_TYPE_COERCE", f'Value "{kind}" is not a valid enum value.')
    errors.raise_if_any()
    assert start is not None  # raise_if_any reported a missing start
    return start, end


def check_status(event: ScheduledEvent, status: Any) -> None:
    """A change of status must follow Discord's graph; a finished event takes no change at all."""
    if event.finished:
        raise finished_event()
    if status is None or status == event.status:
        return
    if status not in TRANSITIONS.get(event.status, frozenset()):
        errors = FormErrors()
        errors.add(
            ("status",),
            "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
            f"Cannot change status from {event.status} to {status}.",
        )
        errors.raise_if_any()
