"""Which servers received each claim read from the news: a server's countdown learns only from the news of feeds
it follows, and a countdown set up later replays only its own server's news. Claims stored before this migration
have no server, so no countdown replays them (none can be told apart from another server's feed).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_news_servers",
        sa.Column("news_id", INTEGER, sa.ForeignKey("release_news.id", ondelete="CASCADE"), nullable=False),
        sa.Column("guild_id", INTEGER, nullable=False),
        sa.Column("seen_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("news_id", "guild_id"),
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )
    op.create_index("release_news_servers_by_guild", "release_news_servers", ["guild_id", "seen_at"])


def downgrade() -> None:
    op.drop_table("release_news_servers")
