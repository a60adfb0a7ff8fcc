"""The throwaway PostgreSQL the tests start for themselves (tests/helpers/postgres.py, fixtures in conftest.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from tests.helpers.postgres import MISSING, find_bindir, port_answers, require_bindir

REPO = Path(__file__).resolve().parents[1]


async def test_the_session_server_answers_through_its_url(postgres_url: str) -> None:
    """A test asking for postgres_url gets a running PostgreSQL it can query over asyncpg, in a database of its own."""
    connection = await asyncpg.connect(postgres_url)
    try:
        version = await connection.fetchval("SELECT version()")
        database = await connection.fetchval("SELECT current_database()")
    finally:
        await connection.close()
    assert version.startswith("PostgreSQL ")
    assert database == "marquee"


@pytest.mark.parametrize("turn", ["first", "second"])
async def test_each_test_gets_a_database_of_its_own(postgres_database: str, postgres_url: str, turn: str) -> None:
    """A table one test creates is not there in the next test's database, nor in the session's shared one."""
    connection = await asyncpg.connect(postgres_database)
    try:
        assert await connection.fetchval("SELECT to_regclass('left_behind')") is None
        await connection.execute("CREATE TABLE left_behind (turn text)")
        await connection.execute("INSERT INTO left_behind VALUES ($1)", turn)
    finally:
        await connection.close()
    shared = await asyncpg.connect(postgres_url)
    try:
        assert await shared.fetchval("SELECT to_regclass('left_behind')") is None
    finally:
        await shared.close()


def test_a_finished_run_leaves_no_server_and_no_folder_behind(tmp_path: Path) -> None:
    """After a pytest run that used the server (one of its tests failing), nothing listens and the data is gone."""
    require_bindir()
    record = tmp_path / "server.txt"
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_tiny.py").write_text(
        "from pathlib import Path\n"
        "def test_records(postgres_server):\n"
        f"    Path({str(record)!r}).write_text(f'{{postgres_server.folder}}\\n{{postgres_server.port}}')\n"
        "def test_fails(postgres_server):\n"
        "    assert False\n"
    )
    run = subprocess.run(
        # -p tests.conftest: the fixtures exactly as the suite has them, loaded by pytest as a plugin.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
         "-c", str(tmp_path / "pytest.ini"), str(tmp_path / "test_tiny.py")],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    folder, port = record.read_text().splitlines()
    assert not Path(folder).exists()
    assert not port_answers(int(port))


def test_without_postgresql_the_tests_skip_naming_the_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a machine without PostgreSQL, its tests are skipped with the apt-get command that installs it."""
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=re.escape(MISSING)):
        require_bindir(search_path="", lib_root=tmp_path)


def test_without_postgresql_ci_fails_naming_the_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """In CI a missing PostgreSQL fails the run, with the same apt-get command, instead of silently skipping."""
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match=re.escape(MISSING)):
        require_bindir(search_path="", lib_root=tmp_path)


def test_the_newest_installed_version_is_used(tmp_path: Path) -> None:
    """With several PostgreSQL versions installed, the tests run the newest (15 over 9.6, not the other way round)."""
    for version in ("9.6", "13", "15"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        for program in ("initdb", "pg_ctl", "psql"):
            (bindir / program).write_text("#!/bin/sh\n")
            (bindir / program).chmod(0o755)
    assert find_bindir(search_path="", lib_root=tmp_path) == tmp_path / "15" / "bin"
