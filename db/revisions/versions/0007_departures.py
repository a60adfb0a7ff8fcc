"""Where Marquee was told it is no longer wanted: removed from a server (channel_id 0) or a channel with its setup
deleted. The setup is kept for a grace period (a server that re-invites Marquee loses nothing), then housekeeping
deletes it; meanwhile the channels are paused in channel_health so nothing is sent there.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departures",
        sa.Column("guild_id", INTEGER, nullable=False),
        sa.Column("channel_id", INTEGER, nullable=False),  # 0: the whole server
        sa.Column("departed_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "channel_id"),
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )
    op.create_index("departures_by_age", "departures", ["departed_at"])


def downgrade() -> None:
    op.drop_table("departures")
