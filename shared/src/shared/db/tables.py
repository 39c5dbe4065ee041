"""Tables every service has: outbox, inbox, timers, idempotency keys, aggregate positions.

They live in their own MetaData; each service's Alembic environment targets both its own
metadata and this one, so every service's migrations create them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

from shared.db.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata() -> MetaData:
    """A fresh MetaData with the project's naming convention, for one service's tables."""
    return MetaData(naming_convention=NAMING_CONVENTION)


metadata = service_metadata()

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
_Seq = BigInteger().with_variant(Integer(), "sqlite")

outbox = Table(
    "outbox",
    metadata,
    Column("seq", _Seq, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("type", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("correlation_id", String(64), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("published_at", UtcDateTime(), nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=True),
)
# The relay reads only unpublished rows, oldest first; a partial index keeps that cheap
# however many sent rows wait for the purge.
Index(
    "ix_outbox_unpublished",
    outbox.c.seq,
    postgresql_where=outbox.c.published_at.is_(None),
    sqlite_where=outbox.c.published_at.is_(None),
)

inbox = Table(
    "inbox",
    metadata,
    Column("message_id", String(64), primary_key=True),
    Column("type", String(100), nullable=False),
    Column("handled_at", UtcDateTime(), nullable=False),
)

timer = Table(
    "timer",
    metadata,
    Column("id", _Seq, primary_key=True, autoincrement=True),
    Column("kind", String(100), nullable=False),
    Column("key", String(200), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("site_id", String(64), nullable=True),
    Column("correlation_id", String(64), nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
)
Index("uq_timer_kind_key", timer.c.kind, timer.c.key, unique=True)
Index("ix_timer_due_at", timer.c.due_at)

idempotency_key = Table(
    "idempotency_key",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

aggregate_position = Table(
    "aggregate_position",
    metadata,
    Column("aggregate_id", String(64), primary_key=True),
    Column("version", BigInteger, nullable=False),
)
