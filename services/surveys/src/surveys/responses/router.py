"""Thin HTTP routes of responses: interviewer entry, the task list, re-checks, and the sample
with each household's response (under the sampling tag)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.errors import ConflictError
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit
from surveys.access import Reader, Supervisor, Surveyor
from surveys.campaigns import service as campaigns
from surveys.responses import sample, service
from surveys.responses.schemas import (
    EntryCreate,
    RecheckIn,
    ResponsePage,
    ResponseRead,
    TaskPage,
    plain,
)
from surveys.sampling.rules import KEY_FREQUENT, KEY_RECENT, KEY_UNSATISFIED, RANDOM
from surveys.sampling.schemas import MemberPage

router = APIRouter(prefix="/campaigns/{campaign_id}", tags=["responses"])

sample_router = APIRouter(tags=["sampling"])

Recheck = Annotated[Literal["pending", "confirmed", "corrected"] | None, Query()]


@router.post(
    "/responses",
    status_code=201,
    response_model=ResponseRead,
    summary="Enter a response collected at the door, by phone, outdoors or on paper",
)
async def post_response(
    campaign_id: str,
    body: EntryCreate,
    principal: Surveyor,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def work(session: AsyncSession) -> ResponseRead:
        row = await campaigns.get_or_404(session, campaign_id=campaign_id, principal=principal)
        entry = service.Entry(
            household_id=body.household_id,
            method=body.method,
            source="interviewer",
            form=body.form,
            answers=service.checked_answers(row, plain(body.answers)),
            comment=body.comment,
            language=body.language,
            paper_ref=body.paper_ref,
            collected_by=principal.sub,
            collector_name=principal.name,
        )
        ident = await service.record(session, row=row, entry=entry)
        return await service.get_response(session, campaign_id=campaign_id, response_id=ident)

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"responses:{campaign_id}",
        request=body,
        work=work,
    )


@router.get("/responses", summary="Responses; recheck=pending is the re-check list")
async def list_responses(
    campaign_id: str,
    principal: Reader,
    db: DatabaseDep,
    recheck: Recheck = None,
    commented: Annotated[bool | None, Query(description="with (true) or without a comment")] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> ResponsePage:
    async with reading(db) as session:
        await campaigns.get_or_404(session, campaign_id=campaign_id, principal=principal)
        return await service.list_responses(
            session,
            campaign_id=campaign_id,
            recheck=recheck,
            commented=commented,
            limit=limit,
            cursor=cursor,
        )


@router.get("/responses/{response_id}", summary="One response with its answers")
async def get_response(
    campaign_id: str, response_id: str, principal: Reader, db: DatabaseDep
) -> ResponseRead:
    async with reading(db) as session:
        await campaigns.get_or_404(session, campaign_id=campaign_id, principal=principal)
        found: ResponseRead = await service.get_response(
            session, campaign_id=campaign_id, response_id=response_id
        )
        return found


@router.post(
    "/responses/{response_id}/recheck",
    response_model=ResponseRead,
    summary="Verify a re-check entry against its paper form: confirmed or corrected",
)
async def post_recheck(
    campaign_id: str,
    response_id: str,
    body: RecheckIn,
    principal: Supervisor,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def work(session: AsyncSession) -> ResponseRead:
        row = await campaigns.get_or_404(session, campaign_id=campaign_id, principal=principal)
        if body.outcome == "corrected" and row.status == "closed":
            raise ConflictError(
                "The campaign is closed; its results can no longer change",
                zh="测评活动已结束，结果不能再更改",
            )
        return await service.verify(
            session, row=row, response_id=response_id, data=body, by=principal.sub
        )

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"recheck:{response_id}",
        request=body,
        work=work,
        status=200,
    )


@router.get("/tasks", summary="Interviewer tasks: whom to visit, call or meet outdoors")
async def list_tasks(
    campaign_id: str,
    principal: Surveyor,
    db: DatabaseDep,
    status: Annotated[Literal["open", "done"] | None, Query()] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> TaskPage:
    async with reading(db) as session:
        await campaigns.get_or_404(session, campaign_id=campaign_id, principal=principal)
        return await service.list_tasks(
            session, campaign_id=campaign_id, status=status, limit=limit, cursor=cursor
        )


Reason = Annotated[
    str | None, Query(pattern=f"^({RANDOM}|{KEY_RECENT}|{KEY_FREQUENT}|{KEY_UNSATISFIED})$")
]


@sample_router.get("/campaigns/{campaign_id}/sample", summary="The sample: each household and why")
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
        return await sample.list_members(
            session,
            campaign_id=campaign_id,
            filters=sample.MemberFilters(reason=reason, key=key, household_id=household_id),
            limit=limit,
            cursor=cursor,
        )
