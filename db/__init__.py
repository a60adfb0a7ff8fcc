"""All of Marquee's SQL: the connection owners of both stores, one migration history and query functions per
feature."""

# Importing the stores registers them with ``Database.open`` (db.database knows neither driver).
import db.postgres
import db.sqlite  # noqa: F401
from db.database import Database, DatabaseError

__all__ = ["Database", "DatabaseError"]
