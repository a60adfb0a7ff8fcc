"""The processes of a Marquee cluster: one row per process, written when it starts, refreshed by its heartbeat and
deleted when it stops cleanly. A process that died keeps its row with an old heartbeat, which is how the others (and
``python -m bot status``) tell it is gone; the leader forgets such rows a day later.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0014"
down_revision: str | None = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_members",
        sa.Column("node_id", sa.Text, primary_key=True),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("pid", INTEGER, nullable=False),
        sa.Column("shard_count", INTEGER, nullable=False, server_default="0"),  # 0: one unsharded session
        sa.Column("shard_ids", sa.Text, nullable=False, server_default=""),  # "0,1,3"
        sa.Column("shards_connected", sa.Text, nullable=False, server_default=""),  # the ids whose session is open
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("heartbeat_at", sa.Text, nullable=False),
        sa.Column("leader_since", sa.Text),  # NULL: not the leader at its last heartbeat
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )
    op.create_index("cluster_members_heartbeat", "cluster_members", ["heartbeat_at"])


def downgrade() -> None:
    op.drop_table("cluster_members")
