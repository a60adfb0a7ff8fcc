"""Items are the watcher's memory of what a feed has had, so they were kept for good. An item is now forgotten once
it has been missing from the feed's latest document for the retention period: last_seen_at is when a fetched
document last held it, and the index finds each feed's newest document and its long-gone items.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("items", sa.Column("last_seen_at", sa.Text, nullable=False, server_default=""))
    op.execute("UPDATE items SET last_seen_at = seen_at")
    op.create_index("items_last_seen", "items", ["feed_id", "last_seen_at"])

    # What remains of a forgotten item: its identity keys, so a months-old article the feed shows again is
    # recognised as seen and not posted a second time.
    op.create_table(
        "forgotten_item_keys",
        sa.Column("feed_id", INTEGER, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("forgotten_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("feed_id", "key"),
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("forgotten_item_keys")
    op.drop_index("items_last_seen", table_name="items")
    op.drop_column("items", "last_seen_at")
