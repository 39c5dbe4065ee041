"""Database support: the async engine, the unit of work, shared tables and migrations."""

from shared.db.engine import (
    Database,
    after_commit,
    as_utc,
    dialect_insert,
    reading,
    transaction,
)
from shared.db.typed import rowcount, table_of
from shared.db.types import UtcDateTime

__all__ = [
    "Database",
    "UtcDateTime",
    "after_commit",
    "as_utc",
    "dialect_insert",
    "reading",
    "rowcount",
    "table_of",
    "transaction",
]
