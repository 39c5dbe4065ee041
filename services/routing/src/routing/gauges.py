"""The open-cases gauge, read from the database on a timer by every replica.

A replica only sees its own changes, so counting up and down in memory would be wrong with
two of them; reading the count keeps every replica's figure whole and the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlmodel import col

from routing import metrics
from routing.cases.models import Case
from routing.cases.rules import OPEN_STATUSES
from routing.corrective.models import CorrectiveAction
from routing.corrective.rules import UNVERIFIED
from routing.rectifications.models import Rectification, RectificationItem
from routing.rectifications.rules import OPEN_STATUSES as OPEN_RECTIFICATIONS
from routing.rectifications.rules import ItemStatus
from routing.rules.defaults import DEFAULT_HANDLING_SATISFACTION_TARGET
from routing.rules.models import SitePolicy
from shared.clock import utcnow
from shared.db.engine import Database, reading

# Resolved cases wait only for their callback; the work on them is done.
UNRESOLVED = sorted(OPEN_STATUSES)


async def refresh_open_cases(db: Database) -> None:
    """Set the open-cases gauge from the database."""
    query = (
        select(col(Case.site_id), col(Case.department), func.count())
        .where(col(Case.status).in_(UNRESOLVED))
        .group_by(col(Case.site_id), col(Case.department))
    )
    async with reading(db) as session:
        rows = (await session.execute(query)).all()
    metrics.set_open_cases((str(site), str(dept), int(n)) for site, dept, n in rows)


async def refresh_improvement_gauges(db: Database) -> None:
    """Set the open-rectification, overdue-item and open-action gauges from the database."""
    rectifications = (
        select(col(Rectification.site_id), col(Rectification.status), func.count())
        .where(col(Rectification.status).in_(sorted(OPEN_RECTIFICATIONS)))
        .group_by(col(Rectification.site_id), col(Rectification.status))
    )
    overdue = (
        select(col(Rectification.site_id), func.count())
        .join(RectificationItem, col(RectificationItem.rectification_id) == col(Rectification.id))
        .where(
            col(RectificationItem.status) == ItemStatus.OPEN,
            col(RectificationItem.due_at) < utcnow(),
        )
        .group_by(col(Rectification.site_id))
    )
    actions = (
        select(col(CorrectiveAction.site_id), col(CorrectiveAction.kind), func.count())
        .where(col(CorrectiveAction.status).in_(sorted(UNVERIFIED)))
        .group_by(col(CorrectiveAction.site_id), col(CorrectiveAction.kind))
    )
    async with reading(db) as session:
        found = [(await session.execute(q)).all() for q in (rectifications, overdue, actions)]
    metrics.set_gauge(metrics.open_rectifications, _labelled(found[0]))
    metrics.set_gauge(metrics.overdue_rectification_items, _labelled(found[1]))
    metrics.set_gauge(metrics.open_corrective_actions, _labelled(found[2]))


async def refresh_handling_targets(db: Database) -> None:
    """Set each site's complaint-handling satisfaction target: its own, or the default for a
    site whose callbacks were answered but that has set none."""
    own = select(col(SitePolicy.site_id), col(SitePolicy.handling_satisfaction_target))
    answered = select(col(Case.site_id)).where(col(Case.speed_level).is_not(None)).distinct()
    async with reading(db) as session:
        targets = {str(s): int(t) for s, t in (await session.execute(own)).all()}
        sites = (await session.execute(answered)).scalars().all()
    for site in sites:
        targets.setdefault(str(site), DEFAULT_HANDLING_SATISFACTION_TARGET)
    metrics.set_gauge(metrics.handling_satisfaction_target, [((s,), t) for s, t in targets.items()])


def _labelled(rows: Sequence[Row[Any]]) -> list[tuple[tuple[str, ...], int]]:
    return [(tuple(str(row[i]) for i in range(len(row) - 1)), int(row[-1])) for row in rows]
