"""The cases behind a figure of the report: every number of a report leads to its cases.

The conditions are the report's own (`queries.met`, `queries.missed`, the same window of
received cases), so a listed figure has exactly as many cases as the report counted, and
`open` / `overdue` are the work queues' (`now`). A breakdown line narrows the list by the
line's key (category, department, ... or the level an escalation reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, not_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.cases.models import Case, CaseEntry
from routing.cases.queues import OPEN
from routing.cases.schemas import CaseRead
from routing.cases.service import to_read
from routing.reports import now as current
from routing.reports.figures import UNJUDGED
from routing.reports.periods import Period
from routing.reports.queries import closed_satisfied, met, missed
from routing.reports.schemas import Drillable
from routing.reports.service import Coverage
from shared.db.engine import as_utc
from shared.http.pagination import Page, oldest_first, page_of

NOW_FIGURES = frozenset({"open", "overdue"})


@dataclass(frozen=True)
class Narrowing:
    """A breakdown line's key: only the cases (or escalations) with these values."""

    category: str | None = None
    kind: str | None = None
    channel: str | None = None
    department: str | None = None
    validity: str | None = None
    invalid_reason: str | None = None
    status: str | None = None
    escalation_level: str | None = None
    escalation_reason: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses of the keys that are set."""
        found: list[ColumnElement[bool]] = []
        for name in ("category", "kind", "channel", "department", "invalid_reason", "status"):
            value = getattr(self, name)
            if value is not None:
                found.append(col(getattr(Case, name)) == value)
        if self.validity is not None:
            found.append(_validity(self.validity))
        if self.escalation_level is not None or self.escalation_reason is not None:
            found.append(self._escalated())
        return found

    def _escalated(self) -> ColumnElement[bool]:
        e = CaseEntry
        conditions = [col(e.case_id) == col(Case.id), col(e.type) == "case.escalated"]
        if self.escalation_level is not None:
            conditions.append(col(e.data)["level"].as_string() == self.escalation_level)
        if self.escalation_reason is not None:
            conditions.append(col(e.data)["reason"].as_string() == self.escalation_reason)
        return exists(select(col(e.seq)).where(*conditions))


def _validity(value: str) -> ColumnElement[bool]:
    if value == UNJUDGED:
        return col(Case.validity).is_(None)
    return col(Case.validity) == value


def _holds(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    # NULLs make NOT(missed) unknown, not true: compare a CASE that is always 0 or 1.
    return case((condition, 1), else_=0) == 1


def _deadline(step: str, outcome: str, as_of: datetime) -> ColumnElement[bool]:
    c = Case
    done, due, breached = (
        (col(c.acknowledged_at), col(c.acknowledge_due_at), col(c.acknowledge_breached_at))
        if step == "acknowledge"
        else (col(c.resolved_at), col(c.resolve_due_at), col(c.resolve_breached_at))
    )
    was_met = _holds(met(done, due, breached))
    was_missed = _holds(missed(done, due, breached, as_of))
    if outcome == "met":
        return was_met
    if outcome == "missed":
        return was_missed
    return and_(not_(was_met), not_(was_missed))


def figure_clause(figure: Drillable, as_of: datetime) -> ColumnElement[bool]:
    """The cases a figure counts (of the period's received cases, or of now's)."""
    simple: dict[str, ColumnElement[bool]] = {
        "complaints": true(),
        "valid": _validity("valid"),
        "invalid": _validity("invalid"),
        "unjudged": _validity(UNJUDGED),
        "escalated_cases": col(Case.escalation_count) > 0,
        "reopened_cases": col(Case.reopen_count) > 0,
        "callbacks_satisfied": closed_satisfied(),
        "callbacks_unreachable": col(Case.unreachable_count) > 0,
        "open": col(Case.status).in_(OPEN),
        "overdue": current.overdue(as_of),
    }
    if figure in simple:
        return simple[figure]
    step, outcome = figure.split("_", 1)
    return _deadline(step, outcome, as_of)


async def cases_behind(
    session: AsyncSession,
    *,
    cover: Coverage,
    figure: Drillable,
    period: Period,
    narrowing: Narrowing,
    as_of: datetime,
    limit: int,
    cursor: str | None,
) -> Page[CaseRead]:
    """One page of the cases a figure counts, in the order they were received."""
    query = select(Case).where(
        current.in_cover(cover), figure_clause(figure, as_of), *narrowing.clauses()
    )
    if figure not in NOW_FIGURES:
        received = col(Case.received_at)
        query = query.where(received >= period.start, received < period.end)
    query = oldest_first(query, col(Case.received_at), col(Case.id), cursor).limit(limit + 1)
    rows = page_of(
        list(await session.scalars(query)),
        limit=limit,
        key=lambda c: (as_utc(c.received_at).isoformat(), c.id),
    )
    return Page(items=[to_read(c) for c in rows.items], next_cursor=rows.next_cursor)
