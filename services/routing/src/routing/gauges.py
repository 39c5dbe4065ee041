"""The open-cases gauge, read from the database on a timer by every replica.

A replica only sees its own changes, so counting up and down in memory would be wrong with
two of them; reading the count keeps every replica's figure whole and the same.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col

from routing import metrics
from routing.cases.models import Case
from routing.cases.rules import OPEN_STATUSES
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
