"""The release countdown: one pinned message per server, the claim it shows, and every candidate claim considered
for it (accepted or not) with its source and the reason for the verdict.

Times are ISO-8601 UTC text, claims are JSON as written by bot.release.claims.claim_to_json.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER, id_column

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "countdowns",
        sa.Column("guild_id", INTEGER, primary_key=True, autoincrement=False, nullable=True),
        sa.Column("channel_id", INTEGER, nullable=False),
        sa.Column("message_id", INTEGER),  # NULL until posted, and again once the message is known to be gone
        sa.Column("ping_role_id", INTEGER),
        sa.Column("locked", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("locked_at", sa.Text),  # news seen since then is weighed again on unlock
        sa.Column("claim", sa.Text),  # the current claim; NULL when nothing is known
        sa.Column("changed_at", sa.Text, nullable=False),  # when the claim (or the lock) last changed
        sa.Column("rendered", sa.Text),  # digest of the card the message shows
        sa.Column("last_edit_at", sa.Text),  # at most one edit a minute per message
        sa.Column("due_at", sa.Text),  # when the sleeper should look at it next; NULL: nothing to do
        # bumped by every change the message must catch up with
        sa.Column("revision", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("problem", sa.Text),  # why the message could not be kept up, for /countdown show
        sa.Column("created_by", INTEGER, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_strict=True,
    )
    op.create_index("countdowns_due", "countdowns", ["due_at"])
    op.create_index("countdowns_message", "countdowns", ["message_id"])

    # announce: none (nothing to post), pending (to post), sent, failed (Discord refused; not retried).
    op.create_table(
        "countdown_history",
        id_column(),
        sa.Column("guild_id", INTEGER, sa.ForeignKey("countdowns.guild_id", ondelete="CASCADE"), nullable=False),
        sa.Column("claim", sa.Text, nullable=False),
        sa.Column("previous", sa.Text),
        sa.Column("accepted", INTEGER, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_user", INTEGER),
        sa.Column(
            "announce",
            sa.Text,
            sa.CheckConstraint("announce IN ('none', 'pending', 'sent', 'failed')"),
            nullable=False,
            server_default="none",
        ),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_strict=True,
    )
    op.create_index("countdown_history_guild", "countdown_history", ["guild_id", "id"])
    op.create_index("countdown_history_announce", "countdown_history", ["announce", "id"])

    # Every claim read from the news, once, so a server that sets up later starts from what is known.
    op.create_table(
        "release_news",
        id_column(),
        sa.Column("claim", sa.Text, nullable=False, unique=True),
        sa.Column("published", sa.Text, nullable=False),
        sa.Column("seen_at", sa.Text, nullable=False),
        sqlite_strict=True,
    )


def downgrade() -> None:
    # Dropping a table drops its indexes; countdown_history references countdowns.
    for table in ("release_news", "countdown_history", "countdowns"):
        op.drop_table(table)
