"""A throwaway PostgreSQL for a benchmark: ``initdb`` into a temporary folder, ``pg_ctl`` on a free loopback port.

Self-contained on purpose (the tests get their own helper): the installed binaries under
``/usr/lib/postgresql/*/bin``, run as the ``postgres`` system user when the benchmark runs as root (PostgreSQL
refuses to run as root), fsync off because a benchmark's data is thrown away; stopped and removed at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

SERVER_USER = "postgres"


class PostgresMissing(RuntimeError):
    """No PostgreSQL binaries on this machine; the message says what to install."""


def binaries() -> Path:
    """The newest installed PostgreSQL's ``bin`` folder."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise PostgresMissing("PostgreSQL is not installed: apt-get install postgresql")
    return found[-1].parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def run(*argv: str) -> None:
    """Run a PostgreSQL tool (as the server's user when we are root); its output only when it fails."""
    prefix = ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []
    process = await asyncio.create_subprocess_exec(
        *prefix, *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}):\n{output.decode(errors='replace')}")


@contextlib.asynccontextmanager
async def throwaway_postgres(max_connections: int = 20) -> AsyncIterator[str]:
    """A running server for the ``postgres`` superuser (trust auth, loopback only); yields its DSN.

    ``max_connections``: raise it for several bot processes at once (each holds a pool of its own).
    """
    bin_dir = binaries()
    folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="marquee-pg-"))
    try:
        if os.geteuid() == 0:
            await asyncio.to_thread(shutil.chown, folder, SERVER_USER, SERVER_USER)
        data = folder / "data"
        await run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        port = free_port()
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c full_page_writes=off "
            f"-c max_connections={max_connections}"
        )
        await run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            await run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
