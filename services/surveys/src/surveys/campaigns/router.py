"""Thin HTTP routes of campaigns: plan, list, read, draw, close."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from shared.contracts.surveys import CampaignKind
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit
from surveys.access import Manager, Reader
from surveys.campaigns import service
from surveys.campaigns.rules import Status
from surveys.campaigns.schemas import CampaignCreate, CampaignPage, CampaignRead, DrawIn
from surveys.campaigns.timers import open_when_due
from surveys.results.closing import close_campaign
from surveys.results.schemas import ResultsRead
from surveys.sampling.schemas import DrawRead
from surveys.sampling.service import draw_sample
from surveys.writes import LinkBase

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post("", status_code=201, response_model=CampaignRead, summary="Plan a campaign")
async def post_campaign(
    body: CampaignCreate,
    principal: Manager,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    principal.may_act_on(body.site_id)

    async def work(session: AsyncSession) -> CampaignRead:
        return await service.create_campaign(session, data=body, by=principal.sub)

    request = body.model_dump(mode="json")
    return await respond_once(
        db, principal=principal, key=idempotency_key, scope="campaigns", request=request, work=work
    )


@router.get("", summary="Campaigns of my sites, newest first")
async def list_campaigns(
    principal: Reader,
    db: DatabaseDep,
    site_id: str | None = None,
    status: Status | None = None,
    kind: CampaignKind | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> CampaignPage:
    filters = {"site_id": site_id, "status": status, "kind": kind}
    async with reading(db) as session:
        return await service.list_campaigns(
            session, principal=principal, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/{campaign_id}", summary="One campaign")
async def get_campaign(campaign_id: str, principal: Reader, db: DatabaseDep) -> CampaignRead:
    async with reading(db) as session:
        row = await service.get_or_404(session, campaign_id=campaign_id, principal=principal)
    return service.to_read(row)


@router.post(
    "/{campaign_id}/draw",
    status_code=201,
    response_model=DrawRead,
    summary="Draw the sample (key + random); the campaign opens when its time comes",
)
async def draw(
    campaign_id: str,
    principal: Manager,
    db: DatabaseDep,
    links: LinkBase,
    body: Annotated[DrawIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    seed = body.seed if body is not None else None

    async def work(session: AsyncSession) -> DrawRead:
        row = await service.get_or_404(
            session, campaign_id=campaign_id, principal=principal, lock=True
        )
        drawn = await draw_sample(session, row=row, by=principal.sub, seed=seed)
        await open_when_due(session, campaign_id=campaign_id, link_base=links)
        return drawn

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"draw:{campaign_id}",
        request={"seed": seed},
        work=work,
    )


@router.post(
    "/{campaign_id}/close",
    response_model=ResultsRead,
    summary="Close now: results become final; survey.completed and target_missed go out",
)
async def close(
    campaign_id: str, principal: Manager, db: DatabaseDep, idempotency_key: IdempotencyKey = None
) -> Response:
    async def work(session: AsyncSession) -> ResultsRead:
        row = await service.get_or_404(
            session, campaign_id=campaign_id, principal=principal, lock=True
        )
        return await close_campaign(session, row=row)

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"close:{campaign_id}",
        request={},
        work=work,
        status=200,
    )
