"""Work several Marquee processes share, claimed with leases: a due feed, a channel's queued posts and edits, a
server's countdown. A lease names its holder (``bot.node.Node.id``) and when it runs out; a holder that dies stops
renewing, and once the time has passed another process takes the work over.

Feeds and countdowns carry their lease on their own row (one claimer per row, taken with the row's ``UPDATE``).
Channels get a table of their own rather than columns on ``channel_health``: a channel's lease is taken and renewed
several times a second while it has posts, and released when it has none, whereas its health row lives for ever and
is written by every post marked sent, every refusal and every pause. Kept apart, the claim's ``FOR UPDATE SKIP
LOCKED`` never skips a channel only because its health was being written, a pause never waits on a lease, and the
lease table holds only the channels with work waiting (a released lease's row is deleted).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0015"
down_revision: str | None = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("feeds", "countdowns"):
        op.add_column(table, sa.Column("lease_owner", sa.Text))
        op.add_column(table, sa.Column("lease_until", sa.Text))
    op.create_table(
        "channel_leases",
        sa.Column("channel_id", INTEGER, primary_key=True, autoincrement=False),
        sa.Column("guild_id", INTEGER, nullable=False),
        sa.Column("owner", sa.Text),  # NULL: free to take
        sa.Column("lease_until", sa.Text),
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )
    op.create_index("channel_leases_owner", "channel_leases", ["owner"])


def downgrade() -> None:
    op.drop_table("channel_leases")
    for table in ("countdowns", "feeds"):
        op.drop_column(table, "lease_until")
        op.drop_column(table, "lease_owner")
