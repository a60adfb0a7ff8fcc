"""The premiere as a server's scheduled event (issue 16, item 4): kept by the countdown's timer like the pinned
message. The row says what the event should be (the claim) and what it was last told, so a restart neither loses
nor doubles it.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0011"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None

_ADDED = ("event_enabled", "event_id", "event_shown", "event_deleted_day", "event_problem")


def upgrade() -> None:
    op.add_column("countdowns", sa.Column("event_enabled", INTEGER, nullable=False, server_default=sa.text("0")))
    # the scheduled event Marquee keeps; NULL: none now
    op.add_column("countdowns", sa.Column("event_id", INTEGER))
    # digest of what that event was last told
    op.add_column("countdowns", sa.Column("event_shown", sa.Text))
    # someone deleted the event for this day (ISO date): not made again until the confirmed day changes
    op.add_column("countdowns", sa.Column("event_deleted_day", sa.Text))
    # why no event could be made ('permission'), or NULL
    op.add_column("countdowns", sa.Column("event_problem", sa.Text))
    op.create_index("countdowns_event", "countdowns", ["event_id"])


def downgrade() -> None:
    op.drop_index("countdowns_event", table_name="countdowns")
    for column in reversed(_ADDED):
        op.drop_column("countdowns", column)
