"""A throwaway PostgreSQL server for the tests, started from the installed binaries.

The tests need a real PostgreSQL (the second store and the cluster's leases are PostgreSQL features, not something
a fake can promise), but no developer should have to run or configure one: ``throwaway_postgres`` runs ``initdb`` into
a temporary folder, starts the server on a free loopback port with durability switched off (the data dies with the
session anyway), and stops it and removes the folder afterwards. PostgreSQL refuses to run as root, and the tests run
as root in CI, so there the server runs as the ``postgres`` user that Debian's package creates.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from tests.helpers.corpus import in_ci

MISSING = "PostgreSQL is not installed: apt-get install postgresql"
NO_POSTGRES_USER = (
    "PostgreSQL will not run as root and there is no postgres user to run it as: apt-get install postgresql"
)
LIB_ROOT = Path("/usr/lib/postgresql")
_NEEDED = ("initdb", "pg_ctl", "psql")
# Durability off: nothing here outlives the session, and fsync is most of a test database's write cost.
_SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "listen_addresses=127.0.0.1")
_START_ATTEMPTS = 3  # a free port can be taken between looking and binding


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.name)) or (0,)


def find_bindir(*, search_path: str | None = None, lib_root: Path = LIB_ROOT) -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``psql``: the highest version under ``lib_root`` (Debian's layout),
    else wherever ``initdb`` is on ``search_path`` (``PATH`` by default) with symlinks resolved, because ``pg_ctl``
    looks for the ``postgres`` program beside itself."""
    candidates = sorted(lib_root.glob("*/bin"), key=lambda bin_: _version_key(bin_.parent), reverse=True)
    on_path = shutil.which("initdb", path=search_path)
    if on_path is not None:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all(os.access(folder / program, os.X_OK) for program in _NEEDED):
            return folder
    return None


def _skip_or_fail(message: str) -> NoReturn:
    """Skip where PostgreSQL is optional; fail in CI, where every PostgreSQL test must run."""
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_bindir(*, search_path: str | None = None, lib_root: Path = LIB_ROOT) -> Path:
    """``find_bindir``'s answer, or the test skipped (failed under ``CI``) with the command that installs it."""
    bindir = find_bindir(search_path=search_path, lib_root=lib_root)
    if bindir is None:
        _skip_or_fail(MISSING)
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _skip_or_fail(NO_POSTGRES_USER)
    return bindir


@dataclass(frozen=True)
class _Owner:
    """Who the server's programs run as: ``None`` fields keep the current user."""

    uid: int | None = None
    gid: int | None = None
    extra_groups: list[int] | None = None

    @classmethod
    def for_this_process(cls) -> _Owner:
        if os.geteuid() != 0:
            return cls()
        entry = pwd.getpwnam("postgres")
        return cls(entry.pw_uid, entry.pw_gid, [])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def port_answers(port: int) -> bool:
    """Whether anything accepts connections on this loopback port (a server left running would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _clean_environment() -> dict[str, str]:
    """The environment without the developer's own ``PG*`` settings, which would point the programs elsewhere."""
    return {name: value for name, value in os.environ.items() if not name.startswith("PG")}


@dataclass
class PostgresServer:
    """A running throwaway server: its programs, its folder (data, log and socket) and its loopback port."""

    bindir: Path
    folder: Path
    port: int
    owner: _Owner = field(repr=False)
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL to ``database`` as the superuser, over loopback TCP (trust: no password)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def next_database_name(self) -> str:
        """``test_1``, ``test_2``, …: unique within the session, so a test never reuses another's database."""
        return f"test_{next(self._names)}"

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """One of the server's programs, as the server's owner, failing with its output if it fails."""
        command = [str(self.bindir / program), *args]
        result = subprocess.run(
            command,
            cwd=self.folder,
            env=_clean_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            user=self.owner.uid,
            group=self.owner.gid,
            extra_groups=self.owner.extra_groups,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result

    def sql(self, statement: str, database: str = "postgres") -> str:
        """One statement through ``psql``, for setup outside an event loop (the tests themselves use asyncpg)."""
        return self.run("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url(database),
                        "-c", statement).stdout.strip()

    def create_database(self, name: str, template: str = "template1") -> str:
        """A new database copied from ``template``; its URL."""
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def _start(self) -> None:
        options = [f"-p {self.port}", f"-k {self.folder}"] + [f"-c {setting}" for setting in _SERVER_SETTINGS]
        # -w: return once the server accepts connections; -l: the server's output goes to the log, not to our pipes.
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", " ".join(options), "-w", "-t", "30",
                 "start")

    def _stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


def _log_tail(server: PostgresServer) -> str:
    try:
        return server.log.read_text(errors="replace")[-2000:]
    except OSError:
        return ""


@contextmanager
def throwaway_postgres(bindir: Path) -> Iterator[PostgresServer]:
    """A fresh server (``initdb`` and start, about half a second) for the block; stopped and its folder removed after,
    whatever happened inside."""
    owner = _Owner.for_this_process()
    folder = Path(tempfile.mkdtemp(prefix="marquee-postgres-"))
    try:
        if owner.uid is not None and owner.gid is not None:
            os.chown(folder, owner.uid, owner.gid)
        server = PostgresServer(bindir, folder, _free_port(), owner)
        server.run("initdb", "-D", str(server.data), "-A", "trust", "-U", "postgres", "--encoding=UTF8",
                   "--locale=C", "--no-sync")
        for attempt in range(1, _START_ATTEMPTS + 1):
            try:
                server._start()
                break
            except RuntimeError as error:
                if attempt == _START_ATTEMPTS:
                    with suppress(RuntimeError):
                        server._stop()  # in case it came up after pg_ctl gave up waiting
                    raise RuntimeError(f"{error}\nserver log:\n{_log_tail(server)}") from None
                server.port = _free_port()
        try:
            yield server
        finally:
            server._stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
