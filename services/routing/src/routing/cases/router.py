"""Thin HTTP routes of cases: work queues, one case in full, and each action.

Every action takes an `Idempotency-Key`: a retried request returns the first answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from routing.access import Reader, Worker
from routing.cases import actions, queues, service
from routing.cases.models import Case
from routing.cases.rules import Status
from routing.cases.schemas import (
    AnswerIn,
    CaseCounts,
    CaseDetail,
    CaseRead,
    ForwardIn,
    NoticeIn,
    ProgressIn,
    Queue,
    ResolveIn,
    TransmitIn,
    ValidityIn,
)
from routing.inputs import CaseId, SiteId
from shared.contracts.intake import Category, Severity
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.auth import Principal
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit, Page

router = APIRouter(prefix="/cases", tags=["cases"])

Work = Callable[[AsyncSession], Awaitable[Case]]
Since = Annotated[AwareDatetime | None, Query(description="opened at or after")]
Before = Annotated[AwareDatetime | None, Query(description="opened before")]


@router.get("", summary="A work queue: mine, my department's, escalated to me, overdue, ...")
async def list_cases(
    principal: Reader,
    db: DatabaseDep,
    queue: Queue = "all",
    site_id: SiteId | None = None,
    status: Status | None = None,
    category: Category | None = None,
    department: str | None = None,
    severity: Severity | None = None,
    complaint_id: str | None = None,
    opened_from: Since = None,
    opened_to: Before = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[CaseRead]:
    filters = queues.CaseFilters(
        site_id, status, category, department, severity, complaint_id, opened_from, opened_to
    )
    async with reading(db) as session:
        return await queues.list_cases(
            session, principal=principal, queue=queue, filters=filters, limit=limit, cursor=cursor
        )


# Declared before /{case_id}, which would otherwise take "counts" for a case id.
@router.get("/counts", summary="How many cases each of your work queues lists")
async def count_cases(
    principal: Reader, db: DatabaseDep, site_id: SiteId | None = None
) -> CaseCounts:
    async with reading(db) as session:
        return await queues.count_cases(session, principal=principal, site_id=site_id)


@router.get("/{case_id}", summary="One case with its full history, slips and notices")
async def get_case(case_id: CaseId, principal: Reader, db: DatabaseDep) -> CaseDetail:
    async with reading(db) as session:
        return await service.get_detail(session, case_id=case_id, principal=principal)


async def _act(
    db: DatabaseDep,
    principal: Principal,
    *,
    case_id: CaseId,
    action: str,
    key: str | None,
    body: BaseModel | None,
    work: Work,
) -> Response:
    """Run one action once per Idempotency-Key and answer with the case as it is now."""

    async def run(session: AsyncSession) -> BaseModel:
        return service.to_read(await work(session))

    return await respond_once(
        db,
        principal=principal,
        scope=f"{action}:{case_id}",
        key=key,
        request=body,
        work=run,
        status=200,
        conflict="The case changed at the same time; read it and retry",
    )


@router.post("/{case_id}/accept", response_model=CaseRead, summary="Acknowledge the case")
async def accept(
    case_id: CaseId, principal: Worker, db: DatabaseDep, key: IdempotencyKey = None
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.accept_case(s, case_id=case_id, principal=principal)

    return await _act(
        db, principal, case_id=case_id, action="accept", key=key, body=None, work=work
    )


@router.post("/{case_id}/progress", response_model=CaseRead, summary="Add a progress note")
async def progress(
    case_id: CaseId,
    body: ProgressIn,
    principal: Worker,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.add_progress(s, case_id=case_id, principal=principal, body=body)

    return await _act(
        db, principal, case_id=case_id, action="progress", key=key, body=body, work=work
    )


@router.post("/{case_id}/validity", response_model=CaseRead, summary="Judge validity")
async def validity(
    case_id: CaseId,
    body: ValidityIn,
    principal: Worker,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.judge_validity(s, case_id=case_id, principal=principal, body=body)

    return await _act(
        db, principal, case_id=case_id, action="validity", key=key, body=body, work=work
    )


@router.post(
    "/{case_id}/transmittals",
    response_model=CaseRead,
    summary="Hand the case to your superior on a work transmittal slip",
)
async def transmit(
    case_id: CaseId,
    body: TransmitIn,
    principal: Worker,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.transmit_case(s, case_id=case_id, principal=principal, body=body)

    return await _act(
        db, principal, case_id=case_id, action="transmit", key=key, body=body, work=work
    )


@router.post(
    "/{case_id}/assignment-notices",
    response_model=CaseRead,
    summary="Issue a work assignment notice to the main responsible department",
)
async def notice(
    case_id: CaseId, body: NoticeIn, principal: Worker, db: DatabaseDep, key: IdempotencyKey = None
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.issue_notice(s, case_id=case_id, principal=principal, body=body)

    return await _act(
        db, principal, case_id=case_id, action="notice", key=key, body=body, work=work
    )


@router.post(
    "/{case_id}/developer-forwarding",
    response_model=CaseRead,
    summary="Forward a developer complaint to the developer",
)
async def forward(
    case_id: CaseId, body: ForwardIn, principal: Worker, db: DatabaseDep, key: IdempotencyKey = None
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.forward_to_developer(
            s, case_id=case_id, principal=principal, body=body
        )

    return await _act(
        db, principal, case_id=case_id, action="forward", key=key, body=body, work=work
    )


@router.post(
    "/{case_id}/developer-answer",
    response_model=CaseRead,
    summary="Record the developer's answer",
)
async def developer_answer(
    case_id: CaseId, body: AnswerIn, principal: Worker, db: DatabaseDep, key: IdempotencyKey = None
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.record_developer_answer(
            s, case_id=case_id, principal=principal, body=body
        )

    return await _act(
        db, principal, case_id=case_id, action="answer", key=key, body=body, work=work
    )


@router.post(
    "/{case_id}/resolution",
    response_model=CaseRead,
    summary="Resolve with the result and the reply to the resident",
)
async def resolve(
    case_id: CaseId, body: ResolveIn, principal: Worker, db: DatabaseDep, key: IdempotencyKey = None
) -> Response:
    async def work(s: AsyncSession) -> Case:
        return await actions.resolve_case(s, case_id=case_id, principal=principal, body=body)

    return await _act(
        db, principal, case_id=case_id, action="resolve", key=key, body=body, work=work
    )
