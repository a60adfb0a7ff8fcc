"""A thread per story (issue 16): a subscription posts plain messages, a message with its own discussion thread, or
a forum post per article (with an optional forum tag).

A delivery records the thread it made, once Discord confirmed it; a pending delivery with a message_id is a post
whose thread is still owed. thread_refused remembers that the channel was told once that its threads are refused,
until a thread goes through again.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0012"
down_revision: str | None = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "subscriptions",
        sa.Column(
            "post_style",
            sa.Text,
            sa.CheckConstraint("post_style IN ('message', 'thread', 'forum')"),
            nullable=False,
            server_default="message",
        ),
    )
    op.add_column("subscriptions", sa.Column("forum_tag_id", INTEGER))
    op.add_column("subscriptions", sa.Column("thread_refused", INTEGER, nullable=False, server_default=sa.text("0")))
    op.add_column("deliveries", sa.Column("thread_id", INTEGER))


def downgrade() -> None:
    op.drop_column("deliveries", "thread_id")
    for column in ("thread_refused", "forum_tag_id", "post_style"):
        op.drop_column("subscriptions", column)
