"""The parts of one fake Discord that REST routes and the user helpers work on.

Typed as a protocol that ``FakeDiscord`` satisfies, so those modules never import the server: the
server builds them, they reach back only through these attributes. The attributes stay plain (not
copied) because tests turn knobs such as ``fd.faults`` or ``fd.max_pins`` after start.
"""

from __future__ import annotations

from typing import Protocol

from fakediscord.clock import Clock
from fakediscord.events import WorldEvents
from fakediscord.faults import Faults
from fakediscord.interactions import CommandStore, Interaction
from fakediscord.ratelimits import RateLimiter
from fakediscord.world import User, World


class Backend(Protocol):
    world: World
    clock: Clock
    events: WorldEvents
    faults: Faults
    ratelimits: RateLimiter
    bot_user: User
    owner: User
    application_id: int
    token: str
    bots: dict[str, User]
    commands: CommandStore
    interactions: dict[int, Interaction]
    interactions_by_token: dict[str, Interaction]
    interaction_deadline: float
    max_pins: int

    @property
    def gateway_url(self) -> str: ...
