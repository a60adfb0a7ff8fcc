"""/news and the server's recent posts read one server's sent deliveries, newest first. Without this index they
walked every sent delivery of every server (the outbox only grows), holding the database for all commands.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("deliveries_by_server", "deliveries", ["guild_id", "state", "sent_at"])


def downgrade() -> None:
    op.drop_index("deliveries_by_server", table_name="deliveries")
