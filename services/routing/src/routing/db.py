"""Routing's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from shared.db.engine import Database, transaction
from shared.db.tables import service_metadata
from shared.http.errors import ConflictError

metadata: MetaData = service_metadata()


class RoutingModel(SQLModel):
    """Base of every routing table model."""

    metadata = metadata


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on both databases.

    SQLite hands back naive datetimes for `DateTime(timezone=True)`; deadlines are compared
    in Python, so every value read is made aware, and every value written is UTC first.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("routing stores timezone-aware datetimes only")
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
# migration test read `routing.db.metadata`, so it must see them all.
import routing.models  # noqa: E402, F401
