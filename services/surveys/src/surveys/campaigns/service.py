"""Use cases of campaigns: plan one, read them, and move one through its life.

Services take the caller's session and never commit.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.clock import utcnow
from shared.context import new_id
from shared.http.auth import Principal
from shared.http.errors import ConflictError, NotFoundError, ProblemError
from shared.http.pagination import Page, newest_first, page_of
from surveys.campaigns.models import campaign
from surveys.campaigns.rules import (
    DEFAULT_SATISFIED,
    DEFAULT_SCALE,
    Level,
    scale_problem,
    targets_for,
)
from surveys.campaigns.schemas import CampaignCreate, CampaignRead, CampaignShape

CLOSE_TIMER = "survey.campaign_close"
OPEN_TIMER = "survey.campaign_open"
REMIND_TIMER = "survey.campaign_remind"


def _scale(data: CampaignShape) -> tuple[tuple[Level, ...], tuple[str, ...]]:
    if data.scale is None:
        return DEFAULT_SCALE, tuple(data.satisfied_levels or DEFAULT_SATISFIED)
    if data.satisfied_levels is None:
        raise ProblemError(
            422,
            "A custom scale needs satisfied_levels: which levels count",
            zh="自定义量表须给出 satisfied_levels：哪些等级算作满意",
        )
    return tuple(Level(**level.model_dump()) for level in data.scale), tuple(data.satisfied_levels)


async def _refuse_second_regular(session: AsyncSession, data: CampaignCreate) -> None:
    taken = await session.scalar(
        select(campaign.c.id).where(
            campaign.c.site_id == data.site_id, campaign.c.period == data.period
        )
    )
    if taken is not None:
        raise ConflictError(
            f"Site {data.site_id} already has the {data.period} campaign {taken}",
            zh=f"管理处 {data.site_id} 已有 {data.period} 的测评活动 {taken}",
            campaign=taken,
        )


def checked_scale(data: CampaignShape) -> tuple[tuple[Level, ...], tuple[str, ...]]:
    """The campaign's scale and the levels that count as satisfied; 422 when unusable."""
    scale, satisfied = _scale(data)
    if problem := scale_problem(scale, satisfied):
        chinese = scale_problem(scale, satisfied, "zh")
        raise ProblemError(
            422, f"The scale cannot be used: {problem}", zh=f"量表不能使用：{chinese}"
        )
    return scale, satisfied


def _values(data: CampaignCreate, by: str) -> dict[str, Any]:
    scale, satisfied = checked_scale(data)
    if data.closes_at <= utcnow():
        raise ProblemError(
            422,
            "closes_at is in the past; a campaign must close later",
            zh="closes_at 已经过去；测评活动的结束时间必须晚于现在",
        )
    return {
        **data.model_dump(exclude={"scale", "satisfied_levels", "targets", "sampling"}),
        "id": new_id(),
        "status": "draft",
        "version": 1,
        "scale": [asdict(level) for level in scale],
        "satisfied_levels": list(satisfied),
        "targets": targets_for(
            list(data.topics), {str(k): v for k, v in (data.targets or {}).items()}
        ),
        "sampling": data.sampling.model_dump(),
        "created_at": utcnow(),
        "created_by": by,
    }


async def create_campaign(session: AsyncSession, *, data: CampaignCreate, by: str) -> CampaignRead:
    """Plan a campaign for `by` (who asked); it closes by itself at `closes_at`."""
    if data.kind == "regular":
        await _refuse_second_regular(session, data)
    values = _values(data, by)
    await session.execute(campaign.insert().values(values))
    await timers.schedule(
        session,
        kind=CLOSE_TIMER,
        key=values["id"],
        due_at=data.closes_at,
        payload={"campaign_id": values["id"]},
        site_id=data.site_id,
    )
    return await read(session, campaign_id=values["id"])


async def get_row(session: AsyncSession, *, campaign_id: str, lock: bool = False) -> Row[Any]:
    """The campaign's row, or 404."""
    query = select(campaign).where(campaign.c.id == campaign_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFoundError("Campaign", campaign_id)
    return row


async def get_or_404(
    session: AsyncSession, *, campaign_id: str, principal: Principal, lock: bool = False
) -> Row[Any]:
    """The campaign's row if the principal sees its site; another site's is 404."""
    row = await get_row(session, campaign_id=campaign_id, lock=lock)
    principal.visible("Campaign", campaign_id, row.site_id)
    return row


def to_read(row: Row[Any]) -> CampaignRead:
    """The API view of a campaign row."""
    return CampaignRead.model_validate(dict(row._mapping))


async def read(session: AsyncSession, *, campaign_id: str) -> CampaignRead:
    """The API view of a campaign."""
    return to_read(await get_row(session, campaign_id=campaign_id))


async def list_campaigns(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: dict[str, str | None],
    limit: int,
    cursor: str | None,
) -> Page[CampaignRead]:
    """Campaigns of the principal's sites, newest first, filtered by site, status, kind."""
    query = select(campaign).where(principal.site_filter(campaign.c.site_id))
    for name, value in filters.items():
        if value is not None:
            query = query.where(campaign.c[name] == value)
    query = newest_first(query, campaign.c.created_at, campaign.c.id, cursor).limit(limit + 1)
    items = [to_read(r) for r in (await session.execute(query)).all()]
    return page_of(items, limit=limit, key=lambda c: (c.created_at.isoformat(), c.id))


async def change(session: AsyncSession, *, row: Row[Any], **values: Any) -> None:
    """Write `values` to the campaign and count a new version."""
    await session.execute(
        update(campaign)
        .where(campaign.c.id == row.id)
        .values(**values, version=campaign.c.version + 1)
    )


async def previous_of(session: AsyncSession, *, row: Row[Any]) -> Row[Any] | None:
    """The site's last campaign drawn before this one (any kind), or None."""
    query = (
        select(campaign)
        .where(
            campaign.c.site_id == row.site_id,
            campaign.c.id != row.id,
            campaign.c.drawn_at.is_not(None),
        )
        .order_by(campaign.c.drawn_at.desc(), campaign.c.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).first()
