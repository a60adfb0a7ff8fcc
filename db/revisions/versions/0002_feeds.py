"""The feed watcher: feeds (one row per URL, however many servers follow it), subscriptions (a feed into a channel),
items seen per feed, and the outbox of (item, channel) deliveries.

Times are ISO-8601 UTC text ("2026-11-23T18:00:00+00:00"), which sorts correctly as text.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.revisions.columns import INTEGER, id_column

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        id_column(),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_fetch_at", sa.Text),
        sa.Column("last_status", INTEGER),
        sa.Column("last_error", sa.Text),
        sa.Column("next_due_at", sa.Text, nullable=False),
        sa.Column("consecutive_failures", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("not_found_streak", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("failing_since", sa.Text),
        sa.Column("paused_reason", sa.Text),
        sa.Column("pause_announced", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_strict=True,
    )

    op.create_table(
        "subscriptions",
        id_column(),
        sa.Column("feed_id", INTEGER, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("guild_id", INTEGER, nullable=False),
        sa.Column("channel_id", INTEGER, nullable=False),
        sa.Column("include_words", sa.Text, nullable=False, server_default=""),
        sa.Column("exclude_words", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", INTEGER, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.UniqueConstraint("feed_id", "channel_id"),
        sqlite_strict=True,
    )
    op.create_index("subscriptions_guild", "subscriptions", ["guild_id"])

    op.create_table(
        "items",
        id_column(),
        sa.Column("feed_id", INTEGER, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item_key", sa.Text, nullable=False),
        sa.Column("story_key", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("link", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("image_url", sa.Text),
        sa.Column("published_at", sa.Text, nullable=False),
        sa.Column("seen_at", sa.Text, nullable=False),
        sa.UniqueConstraint("feed_id", "item_key"),
        sqlite_strict=True,
    )

    # Every identity key of an item (guid, canonical link, headline): a feed that re-publishes an item under a fresh
    # guid, or with only its link or title unchanged, is recognised as having sent it already.
    op.create_table(
        "item_keys",
        sa.Column("feed_id", INTEGER, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("item_id", INTEGER, sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("feed_id", "key"),
        sqlite_strict=True,
        sqlite_with_rowid=False,
    )

    # state: pending (queued or being retried), sent (Discord confirmed; message_id set), dropped (filtered by a
    # cross-feed duplicate, or given up on with a reason in last_error).
    op.create_table(
        "deliveries",
        id_column(),
        sa.Column("item_id", INTEGER, sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("guild_id", INTEGER, nullable=False),
        sa.Column("channel_id", INTEGER, nullable=False),
        sa.Column("story_key", sa.Text, nullable=False),
        sa.Column("nonce", sa.Text, nullable=False),
        sa.Column("state", sa.Text, sa.CheckConstraint("state IN ('pending', 'sent', 'dropped')"), nullable=False),
        sa.Column("attempts", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", sa.Text, nullable=False),
        sa.Column("message_id", INTEGER),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("sent_at", sa.Text),
        # In the SQL file's order, so SQLite numbers their automatic indexes as it always did.
        sa.UniqueConstraint("nonce"),
        sa.UniqueConstraint("item_id", "channel_id"),
        sqlite_strict=True,
    )
    op.create_index("deliveries_due", "deliveries", ["state", "next_attempt_at", "id"])
    op.create_index("deliveries_story", "deliveries", ["channel_id", "story_key", "created_at"])

    # A channel that keeps answering 403/404 is paused rather than retried forever.
    op.create_table(
        "channel_health",
        sa.Column("channel_id", INTEGER, primary_key=True, autoincrement=False, nullable=True),
        sa.Column("guild_id", INTEGER, nullable=False),
        sa.Column("consecutive_failures", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("paused_reason", sa.Text),
        sa.Column("updated_at", sa.Text, nullable=False),
        sqlite_strict=True,
    )

    # Per-server feed settings: extra blocked domains/title patterns (JSON arrays), the spoiler guard, and when
    # /feeds refresh was last used (it is allowed once a minute).
    op.create_table(
        "guild_feed_settings",
        sa.Column("guild_id", INTEGER, primary_key=True, autoincrement=False, nullable=True),
        sa.Column("blocked_domains", sa.Text, nullable=False, server_default="[]"),
        sa.Column("blocked_patterns", sa.Text, nullable=False, server_default="[]"),
        sa.Column("spoiler_days", INTEGER, nullable=False, server_default=sa.text("0")),
        sa.Column("premiere_date", sa.Text),
        sa.Column("last_refresh_at", sa.Text),
        sqlite_strict=True,
    )


def downgrade() -> None:
    # Dropping a table drops its indexes; referencing tables go before the ones they reference.
    for table in ("guild_feed_settings", "channel_health", "deliveries", "item_keys", "items", "subscriptions"):
        op.drop_table(table)
    op.drop_table("feeds")
