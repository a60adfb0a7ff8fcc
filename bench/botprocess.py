"""The bot under measurement in its own process, seen from the benchmark: started, asked, measured, killed.

One class, two ways to start the same bot against a fakediscord:

- ``python -m bot run``, exactly as a user runs it (fan-out, delivery under faults): it can be SIGKILLed at any
  moment and started again on the same database.
- ``driven=True``: ``python bench/botside.py``, which starts the bot as ``python -m bot`` does
  (``bot.runner.running_bot``) and then takes one command per line on its stdin and answers one JSON object per
  line on its stdout (interactions, loop lag, polling, memory).

Either way the bot's CPU time, resident size and event-loop lag are its own: fakediscord and the feed servers run
in the benchmark's process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from process import cpu_seconds, descendants, python_env, rss_bytes

from fakediscord.running import Running
from fakediscord.server import FakeDiscord

JSONDict = dict[str, Any]
BOTSIDE = Path(__file__).resolve().with_name("botside.py")
BOT_SETTINGS = ("DISCORD_", "DEV_GUILD", "FEED", "DATABASE", "LOG_LEVEL", "SHOW")  # not taken from our environment


def bot_env(fd: FakeDiscord, database: Path, **extra: str) -> dict[str, str]:
    """The environment ``python -m bot`` would read, pointed at the local Discord and ``database``."""
    env = {k: v for k, v in python_env().items() if not k.startswith(BOT_SETTINGS)}
    env.update(
        {
            "DISCORD_TOKEN": fd.token,
            "DATABASE_PATH": str(database),
            "DISCORD_API_URL": fd.api_url,
            "DISCORD_GATEWAY_URL": fd.gateway_url,
            "FEEDS_ALLOW_PRIVATE_NETWORKS": "1",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


class BotProcess(Running):
    """The real bot in a child process on ``database``; its logs go to ``workdir/<name>-<start>.log``.

    ``env`` adds settings or variables for the child (``FEED_POLL_INTERVAL``, ``PYTHONTRACEMALLOC`` …). Use it as
    ``async with`` (started on entry, stopped with SIGTERM on exit) or call ``start``, ``kill_now`` and ``stop``.
    """

    def __init__(
        self, fd: FakeDiscord, database: Path, workdir: Path, *, driven: bool = False, name: str = "bot", **env: str
    ) -> None:
        self.fd = fd
        self.workdir = workdir
        self.driven = driven
        self.name = name
        self.env = bot_env(fd, database, **env)
        self.process: asyncio.subprocess.Process | None = None
        self.ready: JSONDict = {}  # the driven bot's first answer: {"event": "ready", "guilds": …, "pid": …}
        self.starts = 0
        self.kills = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def _log(self, start: int) -> Path:
        return self.workdir / f"{self.name}-{start}.log"

    async def start(self, *, ready_timeout: float = 600.0) -> None:
        """Start the bot; return once it is connected (driven: READY with its guilds; otherwise: it identified)."""
        identified = self.fd.hub.identifies
        command = [str(BOTSIDE)] if self.driven else ["-m", "bot", "run"]
        pipe = asyncio.subprocess.PIPE if self.driven else asyncio.subprocess.DEVNULL
        with self._log(self.starts).open("ab") as stderr:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, *command, stdin=pipe, stdout=pipe, stderr=stderr,
                env=self.env, cwd=self.workdir, limit=1 << 24,
            )  # fmt: skip
        self.starts += 1
        if self.driven:
            self.ready = await self._read(ready_timeout)
            if self.ready.get("event") != "ready":
                raise RuntimeError(f"the bot did not start: {self.ready} (see {self._log(self.starts - 1)})")
            return
        waiting = asyncio.ensure_future(
            self.fd.hub.wait_until(lambda: self.fd.hub.identifies > identified, ready_timeout)
        )
        exiting = asyncio.ensure_future(self.process.wait())
        await asyncio.wait({waiting, exiting}, return_when=asyncio.FIRST_COMPLETED)
        exiting.cancel()
        if not waiting.done():
            waiting.cancel()
            raise self._exited(await self.process.wait())
        waiting.result()  # TimeoutError if it never identified

    def _exited(self, code: int) -> RuntimeError:
        tail = "\n".join(self._log(self.starts - 1).read_text(errors="replace").splitlines()[-40:])
        return RuntimeError(f"the bot process exited with {code}; its log ends:\n{tail}")

    async def close(self) -> None:
        """``async with``'s way out (``Running``): the same clean shutdown as ``stop``."""
        await self.stop()

    async def stop(self) -> int:
        """SIGTERM and wait: the bot's own clean shutdown. Its exit code (it is SIGKILLed after 60 s)."""
        proc = self.process
        if proc is None:
            return 0
        if proc.returncode is not None:
            return proc.returncode
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(proc.wait(), 60)
        except TimeoutError:
            proc.kill()
            return await proc.wait()

    def kill_now(self) -> None:
        """SIGKILL, synchronously: callable from inside a fakediscord request handler."""
        if self.process is not None and self.process.returncode is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.kills += 1

    async def reap(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    def logs(self) -> str:
        """Everything the bot wrote to stderr, every start in turn."""
        return "\n".join(self._log(n).read_text(errors="replace") for n in range(self.starts))

    # -- the driven bot ---------------------------------------------------------------------------------------

    async def _read(self, timeout: float) -> JSONDict:  # noqa: ASYNC109
        assert self.process is not None and self.process.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = await self.process.stdout.readline()
                if not line:
                    raise self._exited(await self.process.wait())
                if line.startswith(b"{"):
                    answer: JSONDict = json.loads(line)
                    return answer

    async def ask(self, command: str, timeout: float = 900) -> JSONDict:  # noqa: ASYNC109
        """Send one command line to the driven bot (see ``bench/botside.py``); return its JSON answer."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(command.encode() + b"\n")
        await self.process.stdin.drain()
        return await self._read(timeout)

    # -- /proc figures ----------------------------------------------------------------------------------------

    def cpu_parts(self) -> tuple[float, float]:
        """CPU seconds so far of the bot process alone, and of its parser workers together."""
        return cpu_seconds([self.pid]), cpu_seconds(descendants(self.pid))

    def rss(self) -> tuple[int, int]:
        """Resident bytes of the bot process, and of its parser workers together."""
        return rss_bytes(self.pid), sum(rss_bytes(p) for p in descendants(self.pid))
