"""Marquee's one migration history, as Alembic revisions, read and rendered to SQL without a database.

Each revision (``versions/NNNN_name.py``, revision id ``"NNNN"``) is written once with Alembic's ops and rendered
in Alembic's offline mode for the dialect at hand, so SQLite and PostgreSQL get the same tables from one definition.
The connection owner runs each rendered script in its own transaction with its own version bookkeeping (SQLite's
``PRAGMA user_version``, a version row on PostgreSQL), which is why the scripts carry neither ``BEGIN``/``COMMIT``
nor ``alembic_version``. A developer adds the next revision with
``alembic -c db/alembic.ini revision --rev-id NNNN -m "what it adds"``.

Reading loads the revision modules from disk: call it at start-up, or through ``asyncio.to_thread``.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import Script, ScriptDirectory
from alembic.script.revision import RevisionError as AlembicRevisionError
from alembic.util import CommandError

HISTORY = Path(__file__).parent
"""The folder Alembic reads: ``versions/`` with the revisions, ``script.py.mako`` for new ones."""

DIALECTS = ("sqlite", "postgresql")

_FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+$")


class RevisionError(Exception):
    """The revision history is not one straight, gapless line whose ids match their file names: a packaging or
    development mistake, refused before any database is touched."""


@dataclass(frozen=True)
class Revision:
    number: int
    id: str
    name: str


def revisions(directory: Path | None = None) -> list[Revision]:
    """The history in order, oldest first; ``directory`` (a folder holding ``versions/``) only for tests."""
    return [revision for revision, _ in _history(directory)]


def newest(directory: Path | None = None) -> int:
    """The number of the newest revision: the schema version an up-to-date database is at."""
    history = revisions(directory)
    return history[-1].number if history else 0


def render(after: int, dialect: str, directory: Path | None = None) -> list[tuple[Revision, str]]:
    """Each revision newer than ``after`` (0: an empty database) with the SQL script of its ``upgrade()`` for
    ``dialect``, oldest first: statements ending in ``;``, one script to run whole in one transaction."""
    history = _history(directory)
    _check_version(after, history)
    return [(revision, _script(module.upgrade, dialect)) for revision, module in history if revision.number > after]


def render_downgrade(to: int, dialect: str, directory: Path | None = None) -> list[tuple[Revision, str]]:
    """Each revision newer than ``to`` with the SQL script of its ``downgrade()``, newest first: what takes a database
    at the newest version back to ``to``."""
    history = _history(directory)
    _check_version(to, history)
    return [
        (revision, _script(module.downgrade, dialect)) for revision, module in reversed(history) if revision.number > to
    ]


def _check_version(version: int, history: list[tuple[Revision, ModuleType]]) -> None:
    known = history[-1][0].number if history else 0
    if not 0 <= version <= known:
        raise RevisionError(f"schema version {version} is not in this history, which ends at {known}")


def _script(operation: Callable[[], None], dialect: str) -> str:
    """What ``operation`` would run, as SQL text for ``dialect``, from Alembic's offline (``as_sql``) mode."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}: expected one of {', '.join(DIALECTS)}")
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True}
    )
    with Operations.context(context):
        operation()
    return buffer.getvalue().strip() + "\n"


def _history(directory: Path | None) -> list[tuple[Revision, ModuleType]]:
    """Every revision with its module, oldest first, after refusing gaps, branches and misnamed files."""
    folder = directory or HISTORY
    # Alembic only warns of a duplicate revision id or a missing parent (and then fails on the latter with a
    # KeyError); here either is a broken history.
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        try:
            scripts = ScriptDirectory(str(folder))
            heads = scripts.get_heads()
            bases = scripts.get_bases()
            walked = list(scripts.walk_revisions())
        except (AlembicRevisionError, CommandError, KeyError) as exc:
            problems = "; ".join(str(warning.message) for warning in warned) or repr(exc)
            raise RevisionError(f"the revisions in {folder} cannot be read: {problems}") from exc
    if warned:
        problems = "; ".join(str(warning.message) for warning in warned)
        raise RevisionError(f"the revisions in {folder} cannot be read: {problems}")
    if len(heads) > 1 or len(bases) > 1:
        raise RevisionError(
            f"the revisions in {folder} branch (heads {', '.join(sorted(heads))}; bases {', '.join(sorted(bases))}):"
            " each revision must follow the one numbered before it"
        )
    loaded = {Path(script.path).resolve() for script in walked}
    for path in sorted((folder / "versions").glob("*.py")):
        if path.name != "__init__.py" and path.resolve() not in loaded:
            raise RevisionError(f"{path.name} is not a revision of this history (no revision id, or a duplicate one)")
    history: list[tuple[Revision, ModuleType]] = []
    for expected, script in enumerate(reversed(walked), start=1):
        history.append((_revision(script, expected), script.module))
    return history


def _revision(script: Script, expected: int) -> Revision:
    name = Path(script.path).stem
    match = _FILE_NAME.match(name)
    if match is None:
        raise RevisionError(f"{name}.py is not named NNNN_name.py")
    if isinstance(script.down_revision, tuple | list):
        raise RevisionError(f"{name}.py merges {script.down_revision}: the history is one line without branches")
    if script.revision != match.group(1):
        raise RevisionError(f"{name}.py has revision id {script.revision!r}; its file name says {match.group(1)!r}")
    number = int(match.group(1))
    if number != expected:
        raise RevisionError(f"{name}.py is number {number}, but follows number {expected - 1}: expected {expected:04d}")
    return Revision(number=number, id=script.revision, name=name)
