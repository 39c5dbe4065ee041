"""Routing's own move of a corrective action: an overdue action goes up its owner's chain.

Like a rectification item past its due time (`routing.rectifications.escalation`), a
planned action still not carried out at its due time goes one level up: to the owner's
department head, then the VP in charge, then the general manager — once per due time (a
new plan with a new due time may escalate again).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing.corrective import rules
from routing.corrective.events import emit_new
from routing.corrective.models import CorrectiveAction
from routing.organisation import service as organisation
from shared import timers
from shared.clock import utcnow
from shared.contracts.routing import CorrectiveActionOverdue

DUE_TIMER = "corrective-due"


async def arm(session: AsyncSession, action: CorrectiveAction, due_at: datetime) -> None:
    """Escalate the action at `due_at` unless it is carried out by then; a new due time
    may escalate again."""
    action.overdue_at = None
    await timers.schedule(
        session, kind=DUE_TIMER, key=action.id, due_at=due_at, site_id=action.site_id
    )


async def escalate_overdue(session: AsyncSession, action: CorrectiveAction) -> bool:
    """Escalate an action past its due time, once per due time; False when nothing was due."""
    now = utcnow()
    due = action.due_at
    planned = action.status == rules.Status.PLANNED and action.owner is not None
    if not planned or due is None or due > now or action.overdue_at is not None:
        return False
    owner = str(action.owner)
    member = await organisation.membership(session, site_id=action.site_id, staff_id=owner)
    level, holder = await organisation.one_level_up(
        session,
        site_id=action.site_id,
        department=member.department or "",
        handler_id=owner,
        level=action.level,
    )
    action.level, action.escalated_to, action.overdue_at = level, holder, now
    await emit_new(
        session,
        action,
        CorrectiveActionOverdue,
        actor=None,
        due_at=due,
        level=level,
        owner=owner,
        department=member.department,
        escalated_to=holder,
        action=action.action,
    )
    return True
