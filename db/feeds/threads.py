"""A thread per story: the half-way state of a post whose discussion thread is owed, and the one-time notice.

A message that should get a thread is recorded first (``mark_posted``: still pending, with its message id), so a
crash before the thread is started resumes at the thread, never at a second message.
"""

from __future__ import annotations

from db.database import Database


async def mark_posted(db: Database, delivery_id: int, message_id: int) -> None:
    """Record the message Discord confirmed; the delivery stays pending until its thread is started."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE deliveries SET message_id = ? WHERE id = ?", (message_id, delivery_id))


async def note_thread_refused(db: Database, subscription_id: int) -> bool:
    """Remember that this subscription's channel refused a thread; True the first time (so it is said once)."""
    async with db.transaction() as tx:
        return bool(
            await tx.execute(
                "UPDATE subscriptions SET thread_refused = 1 WHERE id = ? AND thread_refused = 0", (subscription_id,)
            )
        )


async def thread_allowed_again(db: Database, subscription_id: int) -> None:
    """A thread went through: a later refusal is news again and will be said."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE subscriptions SET thread_refused = 0 WHERE id = ?", (subscription_id,))
