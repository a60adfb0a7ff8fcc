"""The column types Marquee's revisions share, so that one definition gives both stores the schema each needs.

Part of the migration history: a revision already released renders its DDL through these, so they never change;
a different type is a new name here.
"""

from __future__ import annotations

import sqlalchemy as sa

INTEGER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""Every integer column: Discord ids do not fit PostgreSQL's 32-bit INTEGER, so it gets BIGINT; SQLite's STRICT
tables accept only INTEGER (already 64-bit), and only a column declared exactly INTEGER is the rowid alias."""


def id_column() -> sa.Column[int]:
    """A table's own row id: ``INTEGER PRIMARY KEY`` (the rowid alias) on SQLite, a BIGSERIAL on PostgreSQL.

    Nullable as declared because the SQL files never wrote ``NOT NULL`` on it (SQLite fills in a NULL id from the
    rowid); PostgreSQL makes every primary-key column NOT NULL whatever the declaration says.
    """
    return sa.Column("id", INTEGER, primary_key=True, autoincrement=True, nullable=True)
