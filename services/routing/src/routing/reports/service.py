"""Use cases of the complaint report: who may see which sites, and the report itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.corrective.models import CorrectiveAction
from routing.documents.labels import Lang
from routing.organisation.models import Department, SiteLeadership
from routing.reports import figures, queries
from routing.reports.periods import Period, previous
from routing.reports.schemas import ActionTaken, ComplaintReportRead, Number, PeriodRead, Scope
from routing.rules.defaults import DEFAULT_HANDLING_SATISFACTION_TARGET
from routing.rules.models import SitePolicy
from shared.http.auth import Principal
from shared.http.errors import NotFoundError, ProblemError

GROUP_NAME = "group"
MAX_ACTIONS = 500


@dataclass(frozen=True)
class Coverage:
    """Which sites a report covers (`sites` None: the whole group) and what it is called."""

    scope: Scope
    name: str
    sites: tuple[str, ...] | None
    site_id: str | None = None
    region: str | None = None


async def coverage(
    session: AsyncSession, *, principal: Principal, site_id: str | None, region: str | None
) -> Coverage:
    """The sites of the report asked for, checked against the principal's sites."""
    if site_id and region:
        raise ProblemError(
            422,
            "Ask for one site (site_id) or one region (region), not both",
            zh="请只指定一个管理处（site_id）或一个区域（region），不能同时指定",
        )
    if site_id:
        principal.visible("Site", site_id, site_id)
        row = await session.get(SiteLeadership, site_id)
        return Coverage(
            "site", (row.site_name if row else "") or site_id, (site_id,), site_id=site_id
        )
    if region:
        return await _region(session, principal, region)
    if not principal.all_sites:
        raise ProblemError(
            403,
            "A group report needs group-wide access; ask for site_id=... or region=... instead",
            zh="集团报告需要集团级权限；请改为按管理处（site_id=...）或区域（region=...）查询",
        )
    return Coverage("group", GROUP_NAME, None)


async def _region(session: AsyncSession, principal: Principal, region: str) -> Coverage:
    query = select(col(SiteLeadership.site_id)).where(col(SiteLeadership.region) == region)
    sites = tuple(sorted(await session.scalars(query)))
    if not sites or not any(principal.sees(s) for s in sites):
        raise NotFoundError("Region", region)
    hidden = [s for s in sites if not principal.sees(s)]
    if hidden:
        raise ProblemError(
            403,
            f"Region {region} has sites you may not see ({len(hidden)}); ask per site instead",
            zh=f"区域 {region} 中有 {len(hidden)} 个管理处您无权查看；请按管理处分别查询",
        )
    return Coverage("region", region, sites, region=region)


async def site_name(session: AsyncSession, *, site_id: str) -> str:
    """The site's name as the organisation gives it (its id when it has none)."""
    row = await session.get(SiteLeadership, site_id)
    return (row.site_name if row else "") or site_id


async def build_report(
    session: AsyncSession,
    *,
    cover: Coverage,
    period: Period,
    as_of: datetime,
    helper: AsyncSession | None = None,
) -> ComplaintReportRead:
    """The complaint report of `cover` over `period`, beside the period before it.

    A `helper` session (another connection) lets PostgreSQL read two parts at once.
    """
    window = queries.Window(cover.sites, period, previous(period))
    data = await queries.read(session, window, as_of, helper)
    actions = await actions_taken(session, sites=cover.sites, period=period)
    sites = sorted({t.site for t in data.tallies} | set(cover.sites or ()))
    targets = await handling_targets(session, sites=sites)
    return ComplaintReportRead(
        scope=cover.scope,
        site_id=cover.site_id,
        region=cover.region,
        name=cover.name,
        sites=sites,
        timezone=period.zone,
        period=_period(period),
        previous_period=_period(window.before),
        generated_at=as_of,
        figures=figures.compare(_headline(data, True), _headline(data, False)),
        lines=figures.case_lines(data.tallies) + figures.escalation_lines(data.escalations),
        handling=figures.handling_lines(data.tallies, sites, targets),
        recurring=[a for a in actions if a.source == "recurring"],
        actions=[a for a in actions if a.source != "recurring"],
    )


async def handling_targets(session: AsyncSession, *, sites: Sequence[str]) -> dict[str, int]:
    """Each site's complaint-handling satisfaction target (the default where it set none)."""
    query = select(col(SitePolicy.site_id), col(SitePolicy.handling_satisfaction_target))
    found = dict((await session.execute(query.where(col(SitePolicy.site_id).in_(sites)))).all())
    return {site: int(found.get(site, DEFAULT_HANDLING_SATISFACTION_TARGET)) for site in sites}


def _headline(data: queries.Data, current: bool) -> dict[str, Number | None]:
    return figures.headline(
        figures.totals(data.tallies, current=current),
        figures.validity_split(data.tallies, current=current),
        data.timings[0 if current else 1],
        figures.escalation_total(data.escalations, current=current),
    )


def _period(period: Period) -> PeriodRead:
    return PeriodRead(
        label=period.label, first=period.first, last=period.last, start=period.start, end=period.end
    )


async def actions_taken(
    session: AsyncSession, *, sites: Sequence[str] | None, period: Period
) -> list[ActionTaken]:
    """Corrective and preventive actions of the sites that were open at some time in the period."""
    a = CorrectiveAction
    conditions = [
        col(a.opened_at) < period.end,
        or_(col(a.verified_at).is_(None), col(a.verified_at) >= period.start),
    ]
    if sites is not None:
        conditions.append(col(a.site_id).in_(list(sites)))
    query = select(a).where(*conditions).order_by(col(a.opened_at), col(a.id)).limit(MAX_ACTIONS)
    rows = await session.scalars(query)
    return [ActionTaken.model_validate(row, from_attributes=True) for row in rows]


async def names_for(
    session: AsyncSession, *, sites: Sequence[str] | None, lang: Lang
) -> dict[str, str]:
    """Names of the sites and departments a report shows: `site:<id>`, `department:<code>`."""
    leaders = select(col(SiteLeadership.site_id), col(SiteLeadership.site_name))
    departments = select(col(Department.code), col(Department.name), col(Department.name_zh))
    if sites is not None:
        leaders = leaders.where(col(SiteLeadership.site_id).in_(list(sites)))
        departments = departments.where(col(Department.site_id).in_(list(sites)))
    names = {f"site:{site}": name for site, name in await session.execute(leaders) if name}
    for code, name, name_zh in await session.execute(departments):
        names[f"department:{code}"] = (name_zh or name) if lang == "zh" else name
    return names
