"""The callback queue staff work: pending, due, overdue, completed and unreachable ones,
and the figures the due and overdue gauges show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.callbacks import metrics, rules, service
from notify.callbacks.models import callback
from notify.callbacks.schemas import CallbackPage
from shared.clock import utcnow
from shared.db.engine import Database, reading
from shared.http.auth import Principal
from shared.http.pagination import oldest_first, page_of

c = callback.c


def in_view(view: rules.View, now: datetime) -> ColumnElement[bool]:
    """The rows the queue shows under `view` at `now`."""
    is_open = c.status == rules.Status.OPEN
    views: dict[str, ColumnElement[bool]] = {
        "pending": and_(is_open, c.due_at > now),
        "due": and_(is_open, c.due_at <= now, c.overdue_at > now),
        "overdue": and_(is_open, c.overdue_at <= now),
        "completed": c.status == rules.Status.COMPLETED,
        "unreachable": c.status == rules.Status.UNREACHABLE,
        "cancelled": c.status == rules.Status.CANCELLED,
    }
    return views[view]


async def list_callbacks(
    session: AsyncSession,
    *,
    principal: Principal,
    view: rules.View | None,
    filters: dict[str, Any],
    limit: int,
    cursor: str | None,
) -> CallbackPage:
    """Callbacks of the principal's sites, the longest-due first."""
    now = utcnow()
    query = service.WITH_CONTACT.where(principal.site_filter(c.site_id))
    if view is not None:
        query = query.where(in_view(view, now))
    for name, value in filters.items():
        if value is not None:
            query = query.where(c[name] == value)
    query = oldest_first(query, c.due_at, c.id, cursor).limit(limit + 1)
    rows = [service.read(r, now=now) for r in (await session.execute(query)).all()]
    return page_of(rows, limit=limit, key=lambda cb: (cb.due_at.isoformat(), cb.id))


async def _counts(session: AsyncSession, view: rules.View, now: datetime) -> list[tuple[str, int]]:
    query = select(c.site_id, func.count()).where(in_view(view, now)).group_by(c.site_id)
    return [(str(site), int(n)) for site, n in (await session.execute(query)).all()]


async def refresh_gauges(db: Database) -> None:
    """Set the due and overdue gauges from the database."""
    now = utcnow()
    async with reading(db) as session:
        due = await _counts(session, "due", now)
        overdue = await _counts(session, "overdue", now)
    metrics.set_callbacks(due, overdue)
