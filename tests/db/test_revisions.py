"""The migration history as Alembic revisions: the same schema as the SQL files it replaces, on SQLite and
PostgreSQL, and a history that refuses gaps and branches."""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import asyncpg
import pytest

from db.revisions import Revision, RevisionError, newest, render, render_downgrade, revisions

SQL_MIGRATIONS = Path(__file__).resolve().parent / "sqlite_migrations"
"""The numbered SQL files the revisions were written from: the schema every existing install has."""

UPGRADE_FROM = 7


def sql_files(upto: int | None = None) -> list[Path]:
    files = sorted(SQL_MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [path for path in files if upto is None or int(path.name[:4]) <= upto]


@contextmanager
def sqlite_database() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        yield conn


def apply_sql_files(conn: sqlite3.Connection, upto: int | None = None) -> None:
    """As db/database.py applies them: each file whole, in its own transaction."""
    for path in sql_files(upto):
        conn.executescript(f"BEGIN IMMEDIATE;\n{path.read_text(encoding='utf-8')}\n;COMMIT;")


def apply_scripts(conn: sqlite3.Connection, scripts: list[tuple[Revision, str]]) -> None:
    for _, script in scripts:
        conn.executescript(f"BEGIN IMMEDIATE;\n{script}\n;COMMIT;")


def _normalised(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r"\( ", "(", re.sub(r" \)", ")", sql)).replace('"', "")


def _checks(table_sql: str) -> list[str]:
    """Every CHECK (…) expression in a CREATE TABLE statement, as written, whitespace normalised."""
    found: list[str] = []
    for match in re.finditer(r"\bCHECK\s*\(", table_sql, flags=re.IGNORECASE):
        depth, start = 1, match.end()
        end = start
        while depth:
            depth += {"(": 1, ")": -1}.get(table_sql[end], 0)
            end += 1
        found.append(_normalised(table_sql[start : end - 1]))
    return sorted(found)


def schema(conn: sqlite3.Connection) -> list[str]:
    """The schema as lines a person can diff: per table its kind, columns, indexes, foreign keys and checks."""
    lines: list[str] = []
    tables = conn.execute(
        "SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
        " AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    for table, without_rowid, strict in tables:
        lines.append(f"{table}: without_rowid={without_rowid} strict={strict}")
        for _, name, declared, notnull, default, pk in conn.execute(f"PRAGMA table_info({table})"):
            lines.append(f"{table}.{name}: {declared.upper()} notnull={notnull} default={default} pk={pk}")
        for _, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({table})"):
            columns = [row[2] for row in conn.execute(f"PRAGMA index_info({index})")]
            where = ""
            if partial:
                sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).fetchone()[0]
                where = _normalised(sql.split(" WHERE ", 1)[1])
            lines.append(f"{table} index {index} {columns} unique={unique} origin={origin} partial={partial} {where}")
        for row in conn.execute(f"PRAGMA foreign_key_list({table})"):
            lines.append(f"{table} fk {row[3]} -> {row[2]}.{row[4]} on_update={row[5]} on_delete={row[6]}")
        table_sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        lines.extend(f"{table} check {check}" for check in _checks(table_sql))
    return lines


def assert_same_schema(want: list[str], got: list[str], what: str) -> None:
    diff = "\n".join(difflib.unified_diff(want, got, "SQL files", what, lineterm=""))
    assert got == want, f"the schema differs:\n{diff}"


def sql_era(scripts: list[tuple[Revision, str]]) -> list[tuple[Revision, str]]:
    """The scripts of the revisions the SQL files were written as; the revisions after them add what the SQL files
    never had (the cluster's tables), and are checked by their own tests."""
    return [(revision, script) for revision, script in scripts if revision.number <= len(sql_files())]


def test_revisions_are_named_like_the_sql_files() -> None:
    """The history keeps the SQL files' numbers and names, so an install's schema version means the same schema."""
    era = revisions()[: len(sql_files())]
    assert [revision.name for revision in era] == [path.stem for path in sql_files()]
    assert [revision.id for revision in era] == [path.name[:4] for path in sql_files()]
    assert newest() >= len(sql_files())


def test_empty_sqlite_database_gets_the_sql_files_schema() -> None:
    """A new install on the rendered revisions has exactly the tables, columns, keys and indexes the SQL files made."""
    with sqlite_database() as from_files, sqlite_database() as from_revisions:
        apply_sql_files(from_files)
        apply_scripts(from_revisions, sql_era(render(0, "sqlite")))
        want, got = schema(from_files), schema(from_revisions)
    assert len(want) > 100
    assert_same_schema(want, got, "render(0, 'sqlite')")


def test_existing_install_upgrades_from_a_middle_version() -> None:
    """A database built by the SQL files up to 0007 catches up through the revisions, its items kept and keyed."""
    with sqlite_database() as upgraded, sqlite_database() as from_files:
        apply_sql_files(upgraded, UPGRADE_FROM)
        upgraded.execute(
            "INSERT INTO feeds (id, url, next_due_at, created_at) VALUES (1, 'https://example.org/rss', 't', 't')"
        )
        upgraded.execute(
            "INSERT INTO items (id, feed_id, item_key, story_key, title, published_at, seen_at)"
            " VALUES (5, 1, 'guid', 'example.org/a', 'A', 'p', '2026-01-02T00:00:00+00:00')"
        )
        scripts = sql_era(render(UPGRADE_FROM, "sqlite"))
        apply_scripts(upgraded, scripts)
        apply_sql_files(from_files)
        assert [revision.number for revision, _ in scripts] == list(range(UPGRADE_FROM + 1, len(sql_files()) + 1))
        assert_same_schema(schema(from_files), schema(upgraded), f"render({UPGRADE_FROM}, 'sqlite')")
        assert upgraded.execute("SELECT last_seen_at FROM items").fetchall() == [("2026-01-02T00:00:00+00:00",)]
        assert upgraded.execute("SELECT story_key, item_id FROM item_story_keys").fetchall() == [("example.org/a", 5)]


def test_downgrade_returns_to_the_older_schema() -> None:
    """Undoing the revisions after 0007 leaves what the SQL files up to 0007 made, and undoing all leaves nothing."""
    with sqlite_database() as downgraded, sqlite_database() as older:
        apply_scripts(downgraded, render(0, "sqlite"))
        apply_scripts(downgraded, render_downgrade(UPGRADE_FROM, "sqlite"))
        apply_sql_files(older, UPGRADE_FROM)
        assert_same_schema(schema(older), schema(downgraded), f"render_downgrade({UPGRADE_FROM}, 'sqlite')")
        apply_scripts(downgraded, render_downgrade(0, "sqlite")[-UPGRADE_FROM:])
        assert schema(downgraded) == []


async def test_postgresql_gets_every_table_with_bigint_ids(postgres_database: str) -> None:
    """On PostgreSQL the revisions make every table and column of the SQLite schema, integers as BIGINT, ids as
    sequences."""
    with sqlite_database() as from_files:
        apply_sql_files(from_files)
        want = [
            (table, name, "bigint" if declared == "INTEGER" else "text")
            for (table,) in from_files.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            for _, name, declared, *_ in from_files.execute(f"PRAGMA table_info({table})")
        ]
    conn = await asyncpg.connect(postgres_database)
    try:
        for _, script in sql_era(render(0, "postgresql")):
            async with conn.transaction():
                await conn.execute(script)
        got = [
            tuple(row)
            for row in await conn.fetch(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
            )
        ]
        sequenced = await conn.fetch(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND column_default LIKE 'nextval(%' ORDER BY table_name"
        )
    finally:
        await conn.close()
    assert_same_schema([str(row) for row in want], [str(row) for row in got], "PostgreSQL's catalog")
    assert [row[0] for row in sequenced] == [
        "countdown_history",
        "deliveries",
        "feeds",
        "items",
        "post_edits",
        "release_news",
        "subscriptions",
    ]


async def test_postgresql_keeps_one_pending_edit_and_cascades(postgres_database: str) -> None:
    """On PostgreSQL a post has at most one pending edit, and removing a feed removes its items, posts and edits."""
    conn = await asyncpg.connect(postgres_database)
    try:
        for _, script in render(0, "postgresql"):
            await conn.execute(script)
        feed = await conn.fetchval(
            "INSERT INTO feeds (url, next_due_at, created_at) VALUES ('https://example.org/rss', 't', 't') RETURNING id"
        )
        item = await conn.fetchval(
            "INSERT INTO items (feed_id, item_key, story_key, title, published_at, seen_at)"
            " VALUES ($1, 'guid', 'k', 'A', 'p', 's') RETURNING id",
            feed,
        )
        delivery = await conn.fetchval(
            "INSERT INTO deliveries (item_id, guild_id, channel_id, story_key, nonce, state, next_attempt_at,"
            " created_at) VALUES ($1, 1234567890123456789, 987654321098765432, 'k', 'n1', 'pending', 't', 't')"
            " RETURNING id",
            item,
        )
        edit = "INSERT INTO post_edits (delivery_id, state, next_attempt_at, created_at) VALUES ($1, $2, 't', 't')"
        await conn.execute(edit, delivery, "pending")
        with pytest.raises(asyncpg.UniqueViolationError, match="post_edits_one_pending"):
            await conn.execute(edit, delivery, "pending")
        await conn.execute(edit, delivery, "sent")
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(edit, delivery, "lost")
        assert await conn.fetchval("SELECT guild_id FROM deliveries") == 1234567890123456789
        await conn.execute("DELETE FROM feeds WHERE id = $1", feed)
        counts = ("SELECT count(*) FROM items", "SELECT count(*) FROM deliveries", "SELECT count(*) FROM post_edits")
        left = [await conn.fetchval(count) for count in counts]
    finally:
        await conn.close()
    assert left == [0, 0, 0]


REVISION_FILE = '''"""A test revision."""
revision = {revision!r}
down_revision = {down!r}


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def history(tmp_path: Path, files: dict[str, tuple[str, str | None]]) -> Path:
    """A revision folder holding ``files`` (file stem: (revision id, down revision))."""
    versions = tmp_path / "history" / "versions"
    versions.mkdir(parents=True)
    for stem, (revision, down) in files.items():
        (versions / f"{stem}.py").write_text(REVISION_FILE.format(revision=revision, down=down), encoding="utf-8")
    return versions.parent


def test_straight_history_is_read_in_order(tmp_path: Path) -> None:
    """A developer's next revision that follows the last one is read as the next schema version."""
    folder = history(tmp_path, {"0001_a": ("0001", None), "0002_b": ("0002", "0001"), "0003_c": ("0003", "0002")})
    assert revisions(folder) == [
        Revision(1, "0001", "0001_a"),
        Revision(2, "0002", "0002_b"),
        Revision(3, "0003", "0003_c"),
    ]
    assert [revision.number for revision, _ in render(1, "postgresql", folder)] == [2, 3]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            {"0001_a": ("0001", None), "0002_b": ("0002", "0001"), "0004_d": ("0004", "0002")},
            "0004_d.py is number 4, but follows number 2",
            id="gap",
        ),
        pytest.param(
            {"0001_a": ("0001", None), "0002_b": ("0002", "0001"), "0003_c": ("0003", "0001")},
            "branch",
            id="branch",
        ),
        pytest.param(
            {"0001_a": ("0001", None), "0002_b": ("0003", "0001")},
            "0002_b.py has revision id '0003'",
            id="id-not-file-name",
        ),
        pytest.param(
            {"0001_a": ("0001", None), "0002_b": ("0002", "0001"), "0003_c": ("0002", "0001")},
            "Revision 0002 is present more than once",
            id="duplicate-id",
        ),
        pytest.param(
            {"0001_a": ("0001", None), "0002_b": ("0002", "0009")},
            "Revision 0009 referenced from",
            id="unknown-parent",
        ),
    ],
)
def test_broken_history_is_refused(tmp_path: Path, files: dict[str, tuple[str, str | None]], message: str) -> None:
    """A history with a gap, a branch or a misnamed file is refused before any database is migrated by it."""
    folder = history(tmp_path, files)
    with pytest.raises(RevisionError, match=re.escape(message)):
        revisions(folder)
    with pytest.raises(RevisionError):
        render(0, "sqlite", folder)


def test_versions_outside_the_history_are_refused() -> None:
    """Asking for the scripts after a schema version this Marquee does not know fails instead of doing nothing."""
    with pytest.raises(RevisionError, match="not in this history"):
        render(newest() + 1, "sqlite")
