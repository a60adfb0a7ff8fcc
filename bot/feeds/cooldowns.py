"""How often one person and one server may ask Marquee to fetch a stranger's address (``/feeds add``, ``/feeds test``).

Each of those commands makes Marquee fetch and parse a document someone typed; anyone can create a server and be
its moderator, so without a ration one person could keep the fetcher and the parser workers busy for everyone.
The ration is a sliding minute, per user (across every server, so one person with many servers gets no more) and
per server (so a server's many moderators together get no more). It is sized for a moderator setting up a server:
20 feeds in a minute never meet it.

Only commands that were let through count: a refused attempt does not push the wait further out, so the time a
refusal names is the time the command works again. The counts live in memory, like discord.py's cooldowns: a
restart forgets them, which costs at most one more minute's ration.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

WINDOW = timedelta(minutes=1)

Scope = Literal["user", "server"]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a command must wait: whose ration ran out, what that ration is, and when the command works again."""

    scope: Scope
    limit: int
    again: datetime


class MinuteWindow:
    """When each key last used its ration, within the last ``WINDOW``; stale keys are swept once a window."""

    def __init__(self) -> None:
        self._uses: dict[int, deque[datetime]] = {}
        self._swept: datetime | None = None

    def again(self, key: int, limit: int, now: datetime) -> datetime | None:
        """When ``key`` may act again if it has used ``limit`` turns in the window; ``None`` when it may now."""
        uses = self._recent(key, now)
        if len(uses) < limit:
            return None
        return uses[len(uses) - limit] + WINDOW  # once enough of the oldest uses leave the window

    def use(self, key: int, now: datetime) -> None:
        self._uses.setdefault(key, deque()).append(now)

    def __len__(self) -> int:
        return len(self._uses)

    def _recent(self, key: int, now: datetime) -> deque[datetime]:
        if self._swept is None or now - self._swept >= WINDOW:
            self._sweep(now)
        uses = self._uses.get(key, deque())
        while uses and now - uses[0] >= WINDOW:
            uses.popleft()
        return uses

    def _sweep(self, now: datetime) -> None:
        """Forget keys with no use in the window, so a crowd of one-off users does not stay in memory."""
        self._uses = {key: uses for key, uses in self._uses.items() if uses and now - uses[-1] < WINDOW}
        self._swept = now


class FetchCommandRation:
    """The per-user and per-server ration of the commands that fetch a typed address."""

    def __init__(self) -> None:
        self.users = MinuteWindow()
        self.servers = MinuteWindow()

    def take(self, guild_id: int, user_id: int, *, per_user: int, per_server: int, now: datetime) -> Refusal | None:
        """Count one command by ``user_id`` in ``guild_id``, or say why it must wait (and count nothing)."""
        user_again = self.users.again(user_id, per_user, now)
        server_again = self.servers.again(guild_id, per_server, now)
        if user_again is not None or server_again is not None:
            # Name the later of the two waits: before it, the command would only be refused again.
            if server_again is None or (user_again is not None and user_again >= server_again):
                assert user_again is not None
                return Refusal("user", per_user, user_again)
            return Refusal("server", per_server, server_again)
        self.users.use(user_id, now)
        self.servers.use(guild_id, now)
        return None
