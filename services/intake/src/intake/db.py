"""Intake's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from shared.db.tables import service_metadata

metadata: MetaData = service_metadata()


class IntakeModel(SQLModel):
    """Base of every intake table model."""

    metadata = metadata


def after_commit(session: AsyncSession, action: Callable[[], None]) -> None:
    """Run `action` once the session's transaction commits (never if it rolls back).

    Metrics count what happened, so they move only when the change is durable:
    https://docs.sqlalchemy.org/en/20/orm/events.html#sqlalchemy.orm.SessionEvents.after_commit
    """

    def run(_session: Any) -> None:
        action()

    event.listen(session.sync_session, "after_commit", run, once=True)
