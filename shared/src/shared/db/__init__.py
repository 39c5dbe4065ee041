"""Database support: the async engine, the unit of work, shared tables and migrations."""

from shared.db.engine import Database, as_utc, dialect_insert, reading, transaction

__all__ = ["Database", "as_utc", "dialect_insert", "reading", "transaction"]
