"""Intake's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from shared.db.tables import service_metadata

metadata: MetaData = service_metadata()


class IntakeModel(SQLModel):
    """Base of every intake table model."""

    metadata = metadata


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored in UTC on both databases.

    SQLite's DateTime writes a datetime's wall-clock fields and drops its offset, so
    `08:00+08:00` would come back as `08:00Z`; every value is made UTC before it is
    written (and compared), and made aware again when it is read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("intake stores timezone-aware datetimes only")
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
