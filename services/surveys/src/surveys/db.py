"""Surveys's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from shared.db.engine import Database, transaction
from shared.db.tables import service_metadata
from shared.http.errors import ConflictError

metadata: MetaData = service_metadata()

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
Seq = BigInteger().with_variant(Integer(), "sqlite")


class SurveysModel(SQLModel):
    """Base of every surveys table model."""

    metadata = metadata


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on both databases (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("surveys stores timezone-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def after_commit(session: AsyncSession, action: Callable[[], None]) -> None:
    """Run `action` once the session's transaction commits (never if it rolls back).

    Metrics count what happened, so they move only when the change is durable:
    https://docs.sqlalchemy.org/en/20/orm/events.html#sqlalchemy.orm.SessionEvents.after_commit
    """

    def run(_session: Any) -> None:
        action()

    event.listen(session.sync_session, "after_commit", run, once=True)


@asynccontextmanager
async def writing(db: Database) -> AsyncIterator[AsyncSession]:
    """`transaction(db)`, with a unique-key race against another request answered as 409."""
    try:
        async with transaction(db) as session:
            yield session
    except IntegrityError as exc:
        raise ConflictError(
            "The change collides with another one made at the same time; read and retry"
        ) from exc


# Every table module registers itself on `metadata` when imported; migrations and the
# migration test read `surveys.db.metadata`, so it must see them all.
import surveys.models  # noqa: E402, F401
