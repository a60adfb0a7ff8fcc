"""``python -m bot status``: the health of every Marquee process sharing the database, for an operator's terminal.

It reads only the database (no token, no Discord): each process's row (``bot.cluster``), the leases it holds, who
leads, and the outbox's backlog. The exit code is for scripts and monitors: 0 healthy; 1 when no process is alive
or the oldest post that should go out has waited longer than ``--max-backlog``, with a line saying which.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

import db.cluster
from bot.errors import ConfigError
from bot.settings import Settings
from db import Database, DatabaseError
from db.cluster import Backlog, Member
from db.database import DatabaseFileError

EXIT_HEALTHY = 0
EXIT_UNHEALTHY = 1
EXIT_CONFIG = 2

MAX_BACKLOG = timedelta(minutes=10)
"""How long the oldest waiting post may have waited before the cluster counts as unhealthy (``--max-backlog``)."""

LEASE_KINDS = tuple(kind for kind, _, _ in db.cluster.LEASED)


def ago(delta: timedelta) -> str:
    """A duration as a person reads it: "4 s", "3 min", "2 h 5 min", "3 d 4 h"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@dataclass(frozen=True, slots=True)
class Process:
    member: Member
    live: bool
    leases: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Status:
    where: str
    now: datetime
    lease: timedelta
    processes: list[Process]
    backlog: Backlog
    max_backlog: timedelta

    @property
    def leader(self) -> Process | None:
        """The live process that took the lead last: a dead leader's row still says it led until the leader after
        it took over, and that one's lead is the newer."""
        leaders = [p for p in self.processes if p.member.leader_since is not None]
        if not leaders:
            return None
        newest = max(leaders, key=lambda p: p.member.leader_since or self.now)
        return newest if newest.live else None

    @property
    def backlog_age(self) -> timedelta | None:
        oldest = self.backlog.oldest_queued
        return None if oldest is None else self.now - oldest

    def problems(self) -> list[str]:
        """Why the cluster is unhealthy, one line each; empty when it is healthy."""
        found: list[str] = []
        if not any(p.live for p in self.processes):
            heard = max((p.member.heartbeat_at for p in self.processes), default=None)
            if heard is None:
                found.append("no Marquee process is running (none has registered, or all stopped)")
            else:
                found.append(f"no live Marquee process (the last heartbeat was {ago(self.now - heard)} ago)")
        age = self.backlog_age
        if age is not None and age > self.max_backlog:
            found.append(
                f"the oldest waiting post was queued {ago(age)} ago, longer than the {ago(self.max_backlog)} allowed "
                "(--max-backlog)"
            )
        return found

    def lines(self) -> list[str]:
        live = sum(p.live for p in self.processes)
        out = [
            f"Marquee at {self.where}, {self.now:%Y-%m-%d %H:%M:%S} UTC (lease {ago(self.lease)})",
            f"Processes: {live} live, {len(self.processes) - live} silent",
        ]
        leader = self.leader
        for process in self.processes:
            out.extend(self._process_lines(process, leads=process is leader))
        if leader is not None:
            since = leader.member.leader_since or self.now
            out.append(f"Leader: {leader.member.node_id} (leading for {ago(self.now - since)})")
        else:
            out.append(f"Leader: none live (a live process takes the lead within {ago(self.lease)})")
        out.extend(self._shard_lines())
        out.append(self._backlog_line())
        problems = self.problems()
        out.extend(f"UNHEALTHY: {problem}" for problem in problems)
        if not problems:
            out.append("Healthy")
        return out

    def _process_lines(self, process: Process, *, leads: bool) -> list[str]:
        member = process.member
        state = "live" if process.live else "SILENT"
        role = ", leader" if leads else ""
        held = ", ".join(f"{kind} {process.leases.get(kind, 0)}" for kind in LEASE_KINDS)
        return [
            f"  {member.node_id} ({state}{role})",
            f"    host {member.host}, pid {member.pid}; {_shards(member)}",
            f"    heartbeat {ago(self.now - member.heartbeat_at)} ago, up {ago(self.now - member.started_at)}; "
            f"leases: {held}",
        ]

    def _shard_lines(self) -> list[str]:
        """Shards of the cluster's count that no live process runs: their servers get no answers."""
        counts = {p.member.shard_count for p in self.processes if p.live and p.member.shard_count}
        if len(counts) > 1:
            return [f"Note: the live processes disagree on SHARD_COUNT ({', '.join(map(str, sorted(counts)))})"]
        if not counts:
            return []
        count = counts.pop()
        run = {shard for p in self.processes if p.live for shard in p.member.shard_ids}
        missing = [shard for shard in range(count) if shard not in run]
        if not missing:
            return []
        return [f"Note: no live process runs shard {', '.join(map(str, missing))} of {count}"]

    def _backlog_line(self) -> str:
        backlog = self.backlog
        held = f" ({backlog.held} held in paused channels)" if backlog.held else ""
        age = self.backlog_age
        oldest = "" if age is None else f", the oldest queued {ago(age)} ago"
        return f"Outbox: {backlog.pending} posts waiting{held}{oldest}; {backlog.edits} edits waiting"


def _shards(member: Member) -> str:
    if member.shard_count == 0:
        return "one unsharded session, " + ("connected" if member.shards_connected else "not connected")
    ids = ", ".join(map(str, member.shard_ids))
    label = "shard" if len(member.shard_ids) == 1 else "shards"
    connected = ", ".join(map(str, member.shards_connected)) or "none"
    return f"{label} {ids} of {member.shard_count}, connected: {connected}"


async def read_status(
    database: Database, *, lease: timedelta, max_backlog: timedelta = MAX_BACKLOG, now: datetime | None = None
) -> Status:
    now = now or datetime.now(UTC)
    members = await db.cluster.members(database)
    leases = await db.cluster.leases_held(database, now)
    processes = [
        Process(member, live=member.heartbeat_at >= now - lease, leases=leases.get(member.node_id, {}))
        for member in members
    ]
    return Status(
        where=str(database.path),
        now=now,
        lease=lease,
        processes=processes,
        backlog=await db.cluster.backlog(database),
        max_backlog=max_backlog,
    )


def main(*, max_backlog: timedelta = MAX_BACKLOG, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Print the status of the store the settings name; the exit code says whether it is healthy."""
    try:
        settings = Settings.from_env(require_token=False)
    except ConfigError as exc:
        print(f"marquee: error: {exc}", file=err)
        return EXIT_CONFIG
    store = settings.store
    if isinstance(store, Path) and not store.is_file():
        print(
            f"marquee: error: DATABASE_PATH: {store} does not exist. Run this where Marquee runs (its .env names the "
            "database) or set DATABASE_PATH or DATABASE_URL",
            file=err,
        )
        return EXIT_CONFIG
    lease = timedelta(seconds=settings.limits.lease_seconds)
    try:
        status = asyncio.run(_read(store, lease, max_backlog))
    except DatabaseFileError as exc:
        print(f"marquee: error: {ConfigError(exc.setting, exc.problem, exc.fix)}", file=err)
        return EXIT_CONFIG
    except DatabaseError as exc:
        print(f"marquee: error: {exc}", file=err)
        return EXIT_CONFIG
    for line in status.lines():
        print(line, file=out)
    return EXIT_UNHEALTHY if status.problems() else EXIT_HEALTHY


async def _read(store: Path | str, lease: timedelta, max_backlog: timedelta) -> Status:
    async with await Database.open(store, migrate=False) as database:
        return await read_status(database, lease=lease, max_backlog=max_backlog)
