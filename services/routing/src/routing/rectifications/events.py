"""Every rectification event goes through `emit`: its version, its history and the outbox.

The rectification is the aggregate: each event bumps its version by one, is kept in its
history (with the item's position when it is about one item) and is written to the outbox
in the same transaction, carrying the rectification's id and that version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from routing import aggregates
from routing.rectifications.models import Rectification, RectificationEntry
from shared.clock import utcnow
from shared.contracts.base import Event
from shared.contracts.routing import RectificationEvent

E = TypeVar("E", bound=RectificationEvent)

COMMON = frozenset({"rectification_id", "number", "site_id", "actor", "at"})


def build(cls: type[E], rect: Rectification, *, actor: str | None, **data: Any) -> E:
    """A rectification event of type `cls` about `rect`, stamped now."""
    return cls(
        rectification_id=rect.id,
        number=rect.number,
        site_id=rect.site_id,
        actor=actor,
        at=utcnow(),
        **data,
    )


async def emit(
    session: AsyncSession,
    rect: Rectification,
    event: Event,
    *,
    actor: str | None,
    at: datetime,
    position: int | None = None,
) -> None:
    """Bump the version, record the event in the history and in the outbox."""
    version = await aggregates.publish(
        session, rect, event, at=at, correlation_id=rect.correlation_id
    )
    session.add(
        RectificationEntry(
            rectification_id=rect.id,
            version=version,
            position=position,
            type=event.type,
            actor=actor,
            at=at,
            data=event.model_dump(mode="json", exclude=set(COMMON)),
        )
    )


async def emit_new(
    session: AsyncSession,
    rect: Rectification,
    cls: type[E],
    *,
    actor: str | None,
    **data: Any,
) -> E:
    """Build and emit one rectification event; returns it."""
    event = build(cls, rect, actor=actor, **data)
    position = data.get("position")
    await emit(session, rect, event, actor=actor, at=event.at, position=position)
    return event
