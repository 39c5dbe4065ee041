"""Thin HTTP routes of samples: who was drawn and why, and the sample-size helper."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.pagination import Cursor, Limit
from surveys.access import Reader
from surveys.campaigns import service as campaigns
from surveys.sampling import rules, service
from surveys.sampling.schemas import MemberPage, SizeRead

router = APIRouter(tags=["sampling"])

Reason = Annotated[
    str | None,
    Query(
        pattern=f"^({rules.RANDOM}|{rules.KEY_RECENT}|{rules.KEY_FREQUENT}|{rules.KEY_UNSATISFIED})$"
    ),
]


@router.get("/campaigns/{campaign_id}/sample", summary="The sample: each household and why")
async def list_sample(
    campaign_id: str,
    principal: Reader,
    db: DatabaseDep,
    reason: Reason = None,
    key: Annotated[bool | None, Query(description="key (true) or random (false) only")] = None,
    household_id: Annotated[str | None, Query(max_length=64, description="one household")] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> MemberPage:
    async with reading(db) as session:
        await campaigns.get_or_404(session, campaign_id=campaign_id, principal=principal)
        return await service.list_members(
            session,
            campaign_id=campaign_id,
            filters=service.MemberFilters(reason=reason, key=key, household_id=household_id),
            limit=limit,
            cursor=cursor,
        )


@router.get("/sampling/size", summary="Sample size for a frame at a confidence and margin")
async def sample_size(
    _principal: Reader,
    population: Annotated[int, Query(ge=1, le=100_000_000)],
    confidence: Annotated[float, Query(ge=0.5, le=0.999)] = 0.95,
    margin: Annotated[float, Query(ge=0.005, le=0.5)] = 0.05,
) -> SizeRead:
    size = rules.sample_size(population, confidence=confidence, margin=margin)
    z = round(rules.z_score(confidence), 6)
    return SizeRead(population=population, confidence=confidence, margin=margin, z=z, size=size)
