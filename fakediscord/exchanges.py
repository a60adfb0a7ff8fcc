"""Every exchange the fake serves, offered to whoever listens: the spec check, a debugging session.

A REST exchange carries the route template the fake matched (Discord's own path template, as in its OpenAPI
description), the request body the client sent and the response body the fake answered; a gateway exchange
carries one dispatch as a session received it. Listeners are process-wide because tests, the demo and the
benchmarks each build their own ``FakeDiscord``; with no listener, publishing costs one list check.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Listener = Callable[["Exchange"], None]
_listeners: list[Listener] = []


@dataclass(frozen=True, slots=True)
class Exchange:
    """One REST request and its answer (``kind`` "rest"), or one gateway dispatch (``kind`` "gateway")."""

    kind: str
    method: str  # the HTTP method; for a dispatch, the event name ("GUILD_CREATE")
    template: str | None  # "/channels/{channel_id}/messages"; None for an unmatched path or a dispatch
    path: str
    status: int
    request: Any = None
    response: Any = None
    query: dict[str, str] = field(default_factory=dict)
    multipart: bool = False


def listen(listener: Listener) -> Callable[[], None]:
    """Start offering exchanges to ``listener``; returns the function that stops it."""
    _listeners.append(listener)

    def stop() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return stop


def publish(exchange: Exchange) -> None:
    for listener in list(_listeners):
        listener(exchange)


def listening() -> bool:
    """Whether anyone listens, so a caller can skip building an exchange nobody reads."""
    return bool(_listeners)


LOG_DIR_ENV = "FAKEDISCORD_EXCHANGE_LOG"


def log_to_directory_if_asked() -> None:
    """In a child process (the demo run by a test), append exchanges to ``$FAKEDISCORD_EXCHANGE_LOG/<pid>.jsonl``.

    The spec check sets the variable for the test session, so a fake started in another process is checked
    too; in the test process itself the check listens directly and nothing is written.
    """
    directory = os.environ.get(LOG_DIR_ENV)
    if not directory or _listeners or _logging.get("on"):
        return
    path = Path(directory) / f"{os.getpid()}.jsonl"

    def write(exchange: Exchange) -> None:
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(exchange), default=str) + "\n")

    _logging["on"] = True
    listen(write)


_logging: dict[str, bool] = {}


def read_logged(directory: Path) -> list[Exchange]:
    """The exchanges child processes wrote to ``directory``."""
    found: list[Exchange] = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(Exchange(**json.loads(line)))
    return found
