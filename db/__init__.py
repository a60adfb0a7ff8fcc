"""All of Marquee's SQL: one connection owner, numbered migrations and query functions per feature."""

from db.database import Database, DatabaseError

__all__ = ["Database", "DatabaseError"]
