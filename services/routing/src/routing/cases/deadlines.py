"""Arming and disarming a case's timers: SLA deadlines and developer follow-ups.

Timers are rows in the case's own transaction (`shared.timers`), so they survive restarts
and fire exactly once across replicas. One timer of each kind per case, keyed by its id;
setting it again moves it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases.models import Case
from shared import timers

ACKNOWLEDGE = "routing.sla_acknowledge"
RESOLVE = "routing.sla_resolve"
FOLLOW_UP = "routing.developer_follow_up"


async def arm(session: AsyncSession, case: Case, kind: str, due_at: datetime) -> None:
    """Set the case's `kind` timer to `due_at`."""
    await timers.schedule(
        session,
        kind=kind,
        key=case.id,
        due_at=due_at,
        payload={"case_id": case.id},
        site_id=case.site_id,
    )


async def disarm(session: AsyncSession, case: Case, *kinds: str) -> None:
    """Remove the case's timers of `kinds` (those not set are ignored)."""
    for kind in kinds:
        await timers.cancel(session, kind=kind, key=case.id)


async def arm_resolve(session: AsyncSession, case: Case, due_at: datetime) -> None:
    """A fresh resolve deadline: the case may breach it (again)."""
    case.resolve_due_at = due_at
    case.resolve_breached_at = None
    await arm(session, case, RESOLVE, due_at)
