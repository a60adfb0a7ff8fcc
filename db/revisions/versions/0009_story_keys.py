"""Every story key of an item (its canonical link and its headline when distinctive), where items kept one: the
same article through a publisher's feed and an aggregator's (other tracking parameters, a retouched headline)
shares only one of them, and a channel that follows both must get it once. The primary key finds a key's items.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_story_keys",
        sa.Column("story_key", sa.Text, nullable=False),
        sa.Column("item_id", INTEGER, sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("story_key", "item_id"),
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )
    op.create_index("item_story_keys_item", "item_story_keys", ["item_id"])
    op.execute("INSERT INTO item_story_keys (story_key, item_id) SELECT story_key, id FROM items")


def downgrade() -> None:
    op.drop_table("item_story_keys")
