"""The database path points at a file Marquee cannot use: refused with the reason, the file left as it was."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from db import Database
from db.database import DatabaseFileError

# About the SQLite file itself (its bytes, its query plans); the PostgreSQL run skips it.
pytestmark = pytest.mark.sqlite_only


def sqlite_bytes(tmp_path: Path) -> bytes:
    """A real SQLite file of several pages, from a program that is not Marquee."""
    other = tmp_path / "other-program.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
        conn.executemany("INSERT INTO bookmarks VALUES (?)", [("https://example.org/" + "x" * 400,)] * 100)
        conn.commit()
    return other.read_bytes()


def first_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


CASES: list[tuple[str, Callable[[Path], bytes], str]] = [
    ("a text file", lambda _: b"DISCORD_TOKEN=oops, this is my .env\n", "is not a SQLite database"),
    ("a PNG picture", lambda _: b"\x89PNG\r\n\x1a\n" + bytes(600), "is not a SQLite database"),
    ("zeros", lambda _: bytes(8192), "is not a SQLite database"),
    ("only the magic string", lambda p: sqlite_bytes(p)[:16], "is not a SQLite database"),
    ("a header cut at 50 bytes", lambda p: sqlite_bytes(p)[:50], "is a damaged SQLite database"),
    ("the first half of a database", lambda p: first_half(sqlite_bytes(p)), "is a damaged SQLite database"),
    ("another program's database", sqlite_bytes, "is another program's SQLite database (it holds bookmarks)"),
]


@pytest.mark.parametrize(("content", "problem"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
async def test_unusable_file_is_refused_and_left_alone(
    tmp_path: Path, content: Callable[[Path], bytes], problem: str
) -> None:
    """A file that is not Marquee's database is refused, naming the file and the fix, and is not modified."""
    path = tmp_path / "marquee.db"
    original = content(tmp_path)
    path.write_bytes(original)
    with pytest.raises(DatabaseFileError) as caught:
        await Database.open(path)
    assert f"{path} {problem}" in caught.value.problem
    assert "move" in caught.value.fix or "new file name" in caught.value.fix
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == original
    assert not path.with_name("marquee.db-wal").exists()
    assert not path.with_name("marquee.db-shm").exists()


async def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    """An operator who created the file beforehand (`touch marquee.db`) gets a working database."""
    path = tmp_path / "marquee.db"
    path.touch()
    async with await Database.open(path) as database:
        assert await database.schema_version() > 0


async def test_a_newer_schema_names_the_fix(tmp_path: Path) -> None:
    """A database from a newer Marquee is refused as a problem of the path, with the upgrade as the fix."""
    path = tmp_path / "marquee.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseFileError) as caught:
        await Database.open(path)
    assert "newer than this Marquee" in caught.value.problem
    assert "Upgrade Marquee" in caught.value.fix
