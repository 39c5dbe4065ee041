"""Routing's own move of a rectification: an overdue item goes up the site's chain.

Like a case past its deadline (`routing.cases.escalation`), an item still open at its due
time goes one level up: to the team's department head, then the VP in charge, then the
general manager — once per due time (a new due time after a rejection may escalate again).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing import metrics
from routing.organisation import service as organisation
from routing.rectifications import rules, service
from routing.rectifications.events import emit_new
from routing.rectifications.models import Rectification, RectificationItem
from shared.clock import utcnow
from shared.contracts.routing import RectificationItemOverdue
from shared.db.engine import after_commit
from shared.http.errors import ProblemError
from shared.logging import get_logger

log = get_logger(__name__)


async def escalate_overdue(
    session: AsyncSession, rect: Rectification, item: RectificationItem
) -> bool:
    """Escalate an item past its due time, once per due time; False when nothing was due."""
    now = utcnow()
    if item.status != rules.ItemStatus.OPEN or item.due_at > now or item.overdue_at is not None:
        return False
    try:
        service.decide(rules.Action.ITEM_OVERDUE, rect, item)
    except ProblemError:
        log.info("overdue item left alone", rectification_id=rect.id, position=item.position)
        return False
    level, holder = await organisation.one_level_up(
        session, site_id=rect.site_id, department=item.team, handler_id=None, level=item.level
    )
    item.level, item.escalated_to, item.overdue_at = level, holder, now
    await emit_new(
        session,
        rect,
        RectificationItemOverdue,
        actor=None,
        position=item.position,
        team=item.team,
        due_at=item.due_at,
        level=level,
        owner=item.escalated_to,
        task=item.task,
        title=rect.title,
    )
    after_commit(session, metrics.rectification_escalations.labels(level).inc)
    return True
