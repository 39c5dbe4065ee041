"""Every case event goes through `emit`: the case's version, its history and the outbox.

The case is the aggregate. Each event bumps its version by one, is kept in the case's
history and is written to the outbox in the same transaction, carrying the case id and
that version, so intake's timeline can apply the case's events strictly in order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from routing import aggregates
from routing.cases.models import Case, CaseEntry
from shared.clock import utcnow
from shared.contracts.routing import CaseEvent

E = TypeVar("E", bound=CaseEvent)

# Facts every case event carries; the history row keeps them in its own columns.
COMMON = frozenset({"case_id", "complaint_id", "site_id", "actor", "at"})


def build(
    cls: type[E], case: Case, *, actor: str | None, at: datetime | None = None, **data: Any
) -> E:
    """A case event of type `cls` about `case`."""
    return cls(
        case_id=case.id,
        complaint_id=case.complaint_id,
        site_id=case.site_id,
        actor=actor,
        at=at or utcnow(),
        **data,
    )


async def emit(session: AsyncSession, case: Case, event: CaseEvent) -> None:
    """Bump the case's version, record the event in its history and in the outbox."""
    at = event.at
    version = await aggregates.publish(
        session, case, event, at=at, correlation_id=case.correlation_id
    )
    data = event.model_dump(mode="json", exclude=set(COMMON))
    session.add(
        CaseEntry(
            case_id=case.id, version=version, type=event.type, actor=event.actor, at=at, data=data
        )
    )


async def emit_new(
    session: AsyncSession, case: Case, cls: type[E], *, actor: str | None, **data: Any
) -> E:
    """Build and emit one event; returns it."""
    event = build(cls, case, actor=actor, **data)
    await emit(session, case, event)
    return event
