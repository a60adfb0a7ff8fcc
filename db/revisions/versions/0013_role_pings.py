"""Role pings on news: a subscription may name a role to ping and the words that must match for the ping (empty:
every post of the feed may ping).

A delivery carries the role it may ping, set only when it was queued fresh (a poll on time, never a subscription's
backfill nor a poll catching up after an outage or a pause), and pinged_at once the sender chose to ping with it
(before the send, so a retry or a recovery never decides twice).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0013"
down_revision: str | None = "0012"
branch_labels = None
depends_on = None

_PINGED = "pinged_at IS NOT NULL"


def upgrade() -> None:
    op.add_column("subscriptions", sa.Column("ping_role_id", INTEGER))
    op.add_column("subscriptions", sa.Column("ping_words", sa.Text, nullable=False, server_default=""))
    op.add_column("deliveries", sa.Column("ping_role_id", INTEGER))
    op.add_column("deliveries", sa.Column("pinged_at", sa.Text))
    # At most one ping per role per channel per window: the sender looks up the channel's latest ping of the role.
    op.create_index(
        "deliveries_pinged",
        "deliveries",
        ["channel_id", "ping_role_id", "pinged_at"],
        sqlite_where=sa.text(_PINGED),
        postgresql_where=sa.text(_PINGED),
    )


def downgrade() -> None:
    op.drop_index("deliveries_pinged", table_name="deliveries")
    for column in ("pinged_at", "ping_role_id"):
        op.drop_column("deliveries", column)
    for column in ("ping_words", "ping_role_id"):
        op.drop_column("subscriptions", column)
