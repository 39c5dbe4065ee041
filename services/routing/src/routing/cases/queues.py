"""Work queues: my cases, my department's, escalated to me, overdue, waiting on the developer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.cases.models import Case
from routing.cases.rules import OPEN_STATUSES, Status
from routing.cases.schemas import CaseCounts, CaseRead, Queue
from routing.cases.service import to_read
from routing.organisation.models import Department, Staff
from shared.clock import utcnow
from shared.http.auth import Principal
from shared.http.errors import ProblemError
from shared.http.pagination import Page, decode_cursor, page_of

OPEN = sorted(OPEN_STATUSES)
UNRESOLVED = sorted(OPEN_STATUSES - {Status.WITH_DEVELOPER})
COUNTED: tuple[Queue, ...] = (
    "mine",
    "department",
    "escalated_to_me",
    "overdue",
    "waiting_on_developer",
)


@dataclass(frozen=True)
class CaseFilters:
    """Filters any queue can be narrowed with."""

    site_id: str | None = None
    status: str | None = None
    category: str | None = None
    department: str | None = None
    severity: str | None = None
    complaint_id: str | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses of the filters that are set."""
        equal: dict[str, Any] = {
            "site_id": self.site_id,
            "status": self.status,
            "category": self.category,
            "department": self.department,
            "severity": self.severity,
            "complaint_id": self.complaint_id,
        }
        found = [col(getattr(Case, k)) == v for k, v in equal.items() if v is not None]
        if self.opened_from is not None:
            found.append(col(Case.opened_at) >= self.opened_from)
        if self.opened_to is not None:
            found.append(col(Case.opened_at) < self.opened_to)
        return found


async def list_cases(
    session: AsyncSession,
    *,
    principal: Principal,
    queue: Queue,
    filters: CaseFilters,
    limit: int,
    cursor: str | None,
) -> Page[CaseRead]:
    """One page of a queue, oldest case first, limited to the principal's sites."""
    query = select(Case).where(
        principal.site_filter(col(Case.site_id)),
        await _queue_clause(session, queue, principal.sub),
        *filters.clauses(),
    )
    after = _after(cursor)
    if after is not None:
        query = query.where(
            or_(
                col(Case.opened_at) > after[0],
                and_(col(Case.opened_at) == after[0], col(Case.id) > after[1]),
            )
        )
    query = query.order_by(col(Case.opened_at), col(Case.id)).limit(limit + 1)
    items = [to_read(c) for c in await session.scalars(query)]
    return page_of(items, limit=limit, key=lambda c: (c.opened_at.isoformat(), c.id))


async def count_cases(
    session: AsyncSession, *, principal: Principal, site_id: str | None
) -> CaseCounts:
    """How many cases each queue lists for the principal (its sites, or the one named)."""
    queues = {name: await _queue_clause(session, name, principal.sub) for name in COUNTED}
    # COUNT of a CASE without ELSE counts the rows the clause holds for, on both databases.
    counted = [func.count(case((clause, 1))).label(name) for name, clause in queues.items()]
    query = (
        select(*counted)
        .select_from(Case)
        .where(principal.site_filter(col(Case.site_id)), *CaseFilters(site_id=site_id).clauses())
    )
    return CaseCounts.model_validate((await session.execute(query)).one()._mapping)


async def _queue_clause(session: AsyncSession, queue: Queue, me: str) -> ColumnElement[bool]:
    is_open = col(Case.status).in_(OPEN)
    if queue == "mine":
        return and_(is_open, or_(col(Case.handler_id) == me, col(Case.owner_id) == me))
    if queue == "department":
        return and_(is_open, await _my_departments(session, me))
    if queue == "escalated_to_me":
        return and_(is_open, col(Case.owner_id) == me, col(Case.level) != "handler")
    if queue == "overdue":
        return _overdue(utcnow())
    if queue == "waiting_on_developer":
        return col(Case.status) == Status.WITH_DEVELOPER
    return true()


def _overdue(now: datetime) -> ColumnElement[bool]:
    unacknowledged = and_(col(Case.status) == Status.ASSIGNED, col(Case.acknowledge_due_at) < now)
    unresolved = and_(col(Case.status).in_(UNRESOLVED), col(Case.resolve_due_at) < now)
    return or_(unacknowledged, unresolved)


async def _my_departments(session: AsyncSession, me: str) -> ColumnElement[bool]:
    member = select(col(Staff.site_id), col(Staff.department)).where(
        col(Staff.staff_id) == me, col(Staff.active), col(Staff.department).is_not(None)
    )
    heads = select(col(Department.site_id), col(Department.code)).where(
        col(Department.head_id) == me
    )
    pairs = {(site, dept) for site, dept in (await session.execute(member.union(heads))).all()}
    if not pairs:
        return false()
    return or_(
        *(and_(col(Case.site_id) == site, col(Case.department) == dept) for site, dept in pairs)
    )


def _after(cursor: str | None) -> tuple[datetime, str] | None:
    values = decode_cursor(cursor, arity=2)
    if values is None:
        return None
    try:
        opened_at = datetime.fromisoformat(str(values[0]))
    except ValueError:
        opened_at = None
    if opened_at is None or opened_at.tzinfo is None:
        raise ProblemError(
            400,
            "The cursor is not valid; start again without it",
            zh="游标无效，请不带游标重新查询",
        )
    return opened_at, str(values[1])
