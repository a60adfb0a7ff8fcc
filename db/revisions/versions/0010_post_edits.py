"""Edited articles update their post (issue 16).

An item remembers a digest of its normalised headline and summary (text_key; NULL for items stored before, which
get one at their next poll without an edit), so a material change is told from a retouched comma. delivery_sources
holds the other outlets that brought the same story to a channel ("Also reported by"). post_edits is the outbox of
message edits: recorded before the edit is sent, marked sent only after Discord confirmed it; one pending edit per
post at most (it draws the latest text when it is sent, so later changes fold into it).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER, id_column

revision = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None

_PENDING = "state = 'pending'"


def upgrade() -> None:
    op.add_column("items", sa.Column("text_key", sa.Text))

    op.create_table(
        "delivery_sources",
        sa.Column("delivery_id", INTEGER, sa.ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("outlet", sa.Text, nullable=False),
        sa.Column("added_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", "outlet"),
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )

    op.create_table(
        "post_edits",
        id_column(),
        sa.Column("delivery_id", INTEGER, sa.ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state", sa.Text, sa.CheckConstraint("state IN ('pending', 'sent', 'dropped')"), nullable=False),
        sa.Column("attempts", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("edited_at", sa.Text),
        sa.Column("last_error", sa.Text),
        sqlite_strict=True,
    )
    op.create_index(
        "post_edits_one_pending",
        "post_edits",
        ["delivery_id"],
        unique=True,
        sqlite_where=sa.text(_PENDING),
        postgresql_where=sa.text(_PENDING),
    )
    op.create_index(
        "post_edits_due",
        "post_edits",
        ["next_attempt_at", "id"],
        sqlite_where=sa.text(_PENDING),
        postgresql_where=sa.text(_PENDING),
    )
    # Whole, not partial: deleting a delivery (pruning, a forgotten place) finds its edits through it.
    op.create_index("post_edits_delivery", "post_edits", ["delivery_id", "state", "edited_at"])


def downgrade() -> None:
    op.drop_table("post_edits")
    op.drop_table("delivery_sources")
    op.drop_column("items", "text_key")
