"""Thin HTTP routes of campaigns: plan, list, read (draw and close: `lifecycle.router`)."""

from __future__ import annotations

from fastapi import APIRouter
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
from surveys.campaigns.schemas import CampaignCreate, CampaignPage, CampaignRead

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
