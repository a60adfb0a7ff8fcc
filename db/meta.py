"""Bot-wide key/value facts (e.g. the hash of the last global command sync)."""

from __future__ import annotations

from db.database import Database


async def get(db: Database, key: str) -> str | None:
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def put(db: Database, key: str, value: str) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
