"""The managers' figures of the moment: the cases still open, and what a report may cover.

Open and overdue mean what the work queues mean (`routing.cases.queues`): a case is open
in an open status, and overdue when its acknowledgement or resolution is past due, so a
number here is the length of the queue it leads to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.cases.models import Case
from routing.cases.queues import OPEN, UNRESOLVED
from routing.cases.rules import Status
from routing.organisation.models import Department, SiteLeadership
from routing.reports.schemas import (
    DepartmentName,
    OpenCasesRead,
    OpenLine,
    RegionScope,
    ScopesRead,
    SiteScope,
)
from routing.reports.service import Coverage
from shared.http.auth import Principal


def overdue(now: datetime) -> ColumnElement[bool]:
    """Past due now: not acknowledged in time, or not resolved in time (the overdue queue)."""
    unacknowledged = and_(col(Case.status) == Status.ASSIGNED, col(Case.acknowledge_due_at) < now)
    unresolved = and_(col(Case.status).in_(UNRESOLVED), col(Case.resolve_due_at) < now)
    return or_(unacknowledged, unresolved)


def in_cover(cover: Coverage) -> ColumnElement[bool]:
    """Cases of the covered sites (any site for the group)."""
    return true() if cover.sites is None else col(Case.site_id).in_(list(cover.sites))


async def open_cases(session: AsyncSession, *, cover: Coverage, now: datetime) -> OpenCasesRead:
    """Open cases of the covered sites by site, department and status, with the overdue."""
    late = func.count(case((overdue(now), 1)))
    keys = (col(Case.site_id), col(Case.department), col(Case.status))
    query = (
        select(*keys, func.count(), late)
        .where(in_cover(cover), col(Case.status).in_(OPEN))
        .group_by(*keys)
        .order_by(*keys)
    )
    lines = [
        OpenLine(site_id=s, department=d, status=st, count=int(n), overdue=int(o))
        for s, d, st, n, o in (await session.execute(query)).all()
    ]
    return OpenCasesRead(
        scope=cover.scope,
        site_id=cover.site_id,
        region=cover.region,
        sites=sorted(set(cover.sites or ()) | {line.site_id for line in lines}),
        as_of=now,
        open=sum(line.count for line in lines),
        overdue=sum(line.overdue for line in lines),  # overdue cases are all open
        lines=lines,
    )


async def scopes(session: AsyncSession, *, principal: Principal) -> ScopesRead:
    """The sites the principal sees, the regions wholly theirs, and the group if it is."""
    rows = (
        await session.execute(
            select(
                col(SiteLeadership.site_id),
                col(SiteLeadership.site_name),
                col(SiteLeadership.region),
            ).order_by(col(SiteLeadership.site_id))
        )
    ).all()
    sites = [SiteScope(site_id=s, name=n or s, region=r) for s, n, r in rows if principal.sees(s)]
    members: dict[str, list[str]] = {}
    for site_id, _name, region in rows:
        if region:
            members.setdefault(region, []).append(site_id)
    regions = [
        RegionScope(region=region, sites=found)
        for region, found in sorted(members.items())
        if all(principal.sees(s) for s in found)
    ]
    return ScopesRead(
        group=principal.all_sites,
        regions=regions,
        sites=sites,
        departments=await department_names(session, principal=principal),
    )


async def department_names(session: AsyncSession, *, principal: Principal) -> list[DepartmentName]:
    """Each department code of the principal's sites once, named as its first site names it."""
    d = Department
    query = (
        select(col(d.code), col(d.name), col(d.name_zh))
        .where(principal.site_filter(col(d.site_id)))
        .order_by(col(d.code), col(d.site_id))
    )
    named: dict[str, DepartmentName] = {}
    for code, name, name_zh in (await session.execute(query)).all():
        named.setdefault(code, DepartmentName(code=code, name=name, name_zh=name_zh or ""))
    return list(named.values())
