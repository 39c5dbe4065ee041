"""Thin HTTP routes of a campaign's moves across packages: draw (and open), close.

They stay under `/campaigns` with the campaigns' tag; they live here because a draw opens
the campaign (responses) and a close makes its results final (results).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from shared.http.app import DatabaseDep
from shared.http.idempotency import IdempotencyKey, respond_once
from surveys.access import Manager
from surveys.campaigns import service
from surveys.campaigns.schemas import DrawIn
from surveys.lifecycle import drawing
from surveys.lifecycle.timers import open_when_due
from surveys.results.closing import close_campaign
from surveys.results.schemas import ResultsRead
from surveys.sampling.schemas import DrawRead
from surveys.writes import LinkBase

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


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
        drawn = await drawing.draw(session, row=row, by=principal.sub, seed=seed)
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
