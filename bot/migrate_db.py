"""``python -m bot migrate-db --to postgresql://…``: move an install's SQLite database into an empty PostgreSQL one.

The operator stops Marquee, creates an empty database, runs this, and starts Marquee with ``DATABASE_URL``. The
copy itself (tables found in the schema, rows copied in foreign-key order with their ids, one transaction on the
target) is ``db.copy``'s; here are the operator's side of it: which file, which server, the counts, and one line
with the fix when something is wrong. The URL's password is never printed: messages name the server through
``redacted``, and any text from a driver is scrubbed of it as well.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from bot.errors import ConfigError
from bot.settings import Settings
from db import Database
from db.copy import CopyRefused, SourceBusy, TableCount, TargetNotEmpty, copy_database, open_source
from db.database import DatabaseError, DatabaseFileError, DatabaseServerError, is_server_url
from db.postgres import redacted

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_CONFIG = 2

URL_FORM = "postgresql://USER:PASSWORD@HOST:5432/DATABASE"

HELP = "copy the SQLite database into an empty PostgreSQL database (stop Marquee first)"
DESCRIPTION = (
    "Copy every row of the SQLite database at DATABASE_PATH into an empty PostgreSQL database, ids kept, then "
    "compare the row counts table by table. Stop Marquee before you run this: rows it writes to the SQLite file "
    "during or after the copy are not moved. The target must be empty (createdb marquee); afterwards set "
    "DATABASE_URL to the same URL and start Marquee."
)
TARGET_NOT_EMPTY_FIX = "Point --to at an empty database (createdb marquee_new) or drop its tables"


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot name a PostgreSQL database, in words that never repeat its password; ``None`` if it can."""
    if not is_server_url(url):
        return f"is not a postgresql:// URL. Use --to {URL_FORM} (an empty database: createdb marquee)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "has a port that is not a number from 1 to 65535. Fix the :PORT part of the URL"
    if port == 0:
        return "has port 0. Use the server's port (PostgreSQL's default is 5432)"
    if not parts.path.strip("/"):
        return f"names no database. Add it after the host: {URL_FORM}"
    return None


def main(to: str, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run the whole move; the exit code: 0 every count matched, 1 a count differs, 2 nothing was copied."""
    password = _password(to)

    def refuse(setting: str, message: str) -> int:
        line = f"marquee: error: {setting}: {message}"
        print(line.replace(password, "***") if password else line, file=err)
        return EXIT_CONFIG

    problem = url_problem(to)
    if problem is not None:
        return refuse("--to", problem)
    try:
        settings = Settings.from_env(require_token=False)
    except ConfigError as exc:
        print(f"marquee: error: {exc}", file=err)
        return EXIT_CONFIG
    source = settings.database_path
    if not source.is_file():
        return refuse(
            "DATABASE_PATH",
            f"{source} does not exist. Run this where Marquee runs (its .env names the file) or set DATABASE_PATH",
        )
    try:
        counts = asyncio.run(migrate(source, to, out))
    except SourceBusy as exc:
        return refuse("DATABASE_PATH", f"{exc}. Stop Marquee, then run migrate-db again")
    except TargetNotEmpty as exc:
        return refuse("--to", f"{exc}. {TARGET_NOT_EMPTY_FIX}")
    except DatabaseServerError as exc:
        return refuse("--to", f"{exc.problem}. {exc.fix}")
    except DatabaseFileError as exc:
        return refuse("DATABASE_PATH", f"{exc.problem}. {exc.fix}")
    except CopyRefused as exc:
        return refuse("--to", f"{exc}. Nothing was copied")
    except DatabaseError as exc:
        return refuse("--to", str(exc))
    differ = [c for c in counts if not c.matches]
    if differ:
        listed = ", ".join(f"{c.table} {c.source} → {c.target}" for c in differ)
        print(
            f"marquee: error: the counts differ ({listed}); {redacted(to)} holds an incomplete copy. "
            f"Drop its tables and run migrate-db again",
            file=err,
        )
        return EXIT_MISMATCH
    print(f"Every count matches. Set DATABASE_URL={redacted(to)} (with its password) and start Marquee.", file=out)
    return EXIT_OK


async def migrate(source: Path, to: str, out: TextIO) -> list[TableCount]:
    """Open both databases (each migrated to the newest schema), copy, and print each table's counts."""
    started = time.monotonic()
    print(f"Copying {source} into {redacted(to)} …", file=out, flush=True)
    async with await open_source(source) as sqlite, await _open_target(to) as postgres:
        counts = await copy_database(sqlite, postgres)
    width = max((len(c.table) for c in counts), default=0)
    for count in counts:
        mark = "" if count.matches else "   DIFFERS"
        print(f"  {count.table:<{width}}  {count.source:>8} → {count.target}{mark}", file=out)
    rows = sum(c.source for c in counts)
    print(f"{rows} rows in {len(counts)} tables, {time.monotonic() - started:.1f} s.", file=out)
    return counts


async def _open_target(url: str) -> Database:
    opened = await Database.open(url)
    if opened.dialect != "postgresql":
        await opened.close()
        raise DatabaseError(f"{redacted(url)} is not a PostgreSQL database")
    return opened


def _password(url: str) -> str:
    try:
        return urlsplit(url).password or ""
    except ValueError:
        return ""
