"""Monthly reports: each site's report of the month before, published once and kept.

Every replica looks on a timer (`Periodic`); the unique (site_id, period) row decides who
publishes: the first insert wins, a concurrent or later one inserts nothing and stops. The
row, its figures and `report.published` in the outbox commit together, so a crash leaves
either all of them or none, and a restart simply looks again.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import metrics
from routing.organisation.models import SiteLeadership
from routing.reports.models import ComplaintReport, complaint_report
from routing.reports.periods import Period, month_before
from routing.reports.schemas import ComplaintReportRead, PublishedReport
from routing.reports.service import Coverage, build_report, site_name
from routing.settings import RoutingSettings
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.routing import ReportPublished
from shared.db.engine import Database, after_commit, as_utc, dialect_insert, reading, transaction
from shared.http.auth import Principal
from shared.http.errors import NotFoundError
from shared.logging import get_logger

log = get_logger(__name__)
TABLE = complaint_report


async def publish_monthly(db: Database, settings: RoutingSettings) -> int:
    """Publish the month before's report of every site that has none yet; how many were."""
    period = month_before(utcnow(), settings.report_timezone)
    async with reading(db) as session:
        due = await sites_due(session, period=period)
    published = 0
    for site_id in due:
        try:
            async with transaction(db) as session:
                published += await publish_site(
                    session, site_id=site_id, period=period, settings=settings
                )
        except Exception as exc:  # one site's failure must not stop the others; next round retries
            log.warning(
                "monthly report failed", site_id=site_id, period=period.label, error=repr(exc)
            )
            metrics.reports_published.labels("failed").inc()
    return published


async def sites_due(session: AsyncSession, *, period: Period) -> list[str]:
    """Sites with an organisation and no report for `period` yet."""
    done = select(col(ComplaintReport.site_id)).where(col(ComplaintReport.period) == period.label)
    query = select(col(SiteLeadership.site_id)).where(col(SiteLeadership.site_id).not_in(done))
    return sorted(await session.scalars(query.order_by(col(SiteLeadership.site_id))))


async def publish_site(
    session: AsyncSession, *, site_id: str, period: Period, settings: RoutingSettings
) -> bool:
    """Claim, compute, keep and announce one site's report; False when it exists already."""
    now = utcnow()
    report_id = await _claim(session, site_id, period, now)
    if report_id is None:
        metrics.reports_published.labels("already_published").inc()
        return False
    started = time.perf_counter()
    cover = Coverage("site", await site_name(session, site_id=site_id), (site_id,), site_id=site_id)
    report = await build_report(session, cover=cover, period=period, as_of=now)
    metrics.report_seconds.labels("site").observe(time.perf_counter() - started)
    row = await session.get(ComplaintReport, report_id)
    assert row is not None  # claimed just now, in this transaction
    row.figures = report.model_dump(mode="json")
    row.complaints, row.valid, row.invalid = (
        _count(report, n) for n in ("complaints", "valid", "invalid")
    )
    await outbox.add(session, _event(row, settings, now), site_id=site_id, aggregate_id=report_id)
    after_commit(session, metrics.reports_published.labels("published").inc)
    log.info("monthly report published", site_id=site_id, period=period.label, report_id=report_id)
    return True


async def _claim(session: AsyncSession, site_id: str, period: Period, now: datetime) -> str | None:
    statement = (
        dialect_insert(session)(TABLE)
        .values(
            id=str(uuid.uuid4()),
            site_id=site_id,
            period=period.label,
            period_start=period.start,
            period_end=period.end,
            complaints=0,
            valid=0,
            invalid=0,
            figures={},
            published_at=now,
        )
        .on_conflict_do_nothing(index_elements=[TABLE.c.site_id, TABLE.c.period])
        .returning(TABLE.c.id)
    )
    claimed: str | None = await session.scalar(statement)
    return claimed


def _count(report: ComplaintReportRead, name: str) -> int:
    return int(report.figure(name).value or 0)


def url_of(settings: RoutingSettings, report_id: str) -> str:
    """Where the printable report is."""
    return f"{settings.link_base()}/v1/reports/{report_id}?format=html"


def _event(row: ComplaintReport, settings: RoutingSettings, now: datetime) -> ReportPublished:
    return ReportPublished(
        report_id=row.id, site_id=row.site_id, period=row.period,
        period_start=as_utc(row.period_start), period_end=as_utc(row.period_end),
        complaints=row.complaints, valid=row.valid, invalid=row.invalid,
        url=url_of(settings, row.id), published_at=now,
    )  # fmt: skip


async def listed(
    session: AsyncSession,
    *,
    principal: Principal,
    site_id: str | None,
    after: Sequence[object] | None,
    limit: int,
) -> list[ComplaintReport]:
    """The principal's published reports, newest period first, one more than `limit`."""
    r = ComplaintReport
    query = select(r).where(principal.site_filter(col(r.site_id)))
    if site_id is not None:
        query = query.where(col(r.site_id) == site_id)
    if after is not None:
        period, ident = str(after[0]), str(after[1])
        query = query.where(
            or_(col(r.period) < period, and_(col(r.period) == period, col(r.id) > ident))
        )
    query = query.order_by(col(r.period).desc(), col(r.id)).limit(limit + 1)
    return list(await session.scalars(query))


async def visible(
    session: AsyncSession, *, report_id: str, principal: Principal
) -> ComplaintReport:
    """One published report of the principal's sites; 404 otherwise."""
    row = await session.get(ComplaintReport, report_id)
    if row is None or not principal.sees(row.site_id):
        raise NotFoundError("Report", report_id)
    return row


def summary(row: ComplaintReport, settings: RoutingSettings) -> PublishedReport:
    """A published report as the list shows it."""
    return PublishedReport(
        id=row.id, site_id=row.site_id, period=row.period,
        period_start=as_utc(row.period_start), period_end=as_utc(row.period_end),
        complaints=row.complaints, valid=row.valid, invalid=row.invalid,
        published_at=as_utc(row.published_at), url=url_of(settings, row.id),
    )  # fmt: skip
