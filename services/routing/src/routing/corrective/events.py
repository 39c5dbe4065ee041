"""Every corrective-action event goes through `emit`: the action's version and the outbox."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from routing import aggregates
from routing.corrective.models import CorrectiveAction
from shared.clock import utcnow
from shared.contracts.routing import CorrectiveActionEvent

E = TypeVar("E", bound=CorrectiveActionEvent)


async def emit_new(
    session: AsyncSession,
    action: CorrectiveAction,
    cls: type[E],
    /,
    *,
    actor: str | None,
    **data: Any,
) -> E:
    """Build one event about `action`, bump its version and write the event to the outbox."""
    event = cls(
        action_id=action.id,
        number=action.number,
        site_id=action.site_id,
        kind=action.kind,
        actor=actor,
        at=utcnow(),
        **data,
    )
    await aggregates.publish(session, action, event, at=event.at)
    return event
