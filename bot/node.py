"""This process as the other Marquee processes sharing its database see it.

Every lease on shared work (a due feed, a channel's queued posts, a server's countdown) carries the holder's id
and an expiry ``lease`` after it was taken or last renewed; a process that dies stops renewing, so the others
take its work over once the lease has run out. One process on SQLite is a cluster of one and leases the same way,
which keeps one code path.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    lease: timedelta

    @classmethod
    def for_this_process(cls, lease: timedelta) -> Node:
        """Host and pid for an operator reading ``python -m bot status``, and a random part, because a restarted
        process may get the pid of the one that died and must not inherit its leases."""
        return cls(f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}", lease)
