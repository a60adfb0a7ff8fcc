"""Finished deliveries (sent or dropped) are forgotten after a retention period so the outbox stops growing with
every post; this index lets the pruning find the old ones without reading the whole table.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("deliveries_by_age", "deliveries", ["created_at"])


def downgrade() -> None:
    op.drop_index("deliveries_by_age", table_name="deliveries")
