"""HTTP routes of complaints: thin; use cases are in service.py, followups.py, queries.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from pydantic import AwareDatetime
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from intake import metrics
from intake.access import Reader, Recorder
from intake.complaints import followups, queries, service
from intake.complaints.schemas import (
    ComplaintCreate,
    ComplaintDetail,
    ComplaintPage,
    ComplaintSummary,
    Status,
    SupplementCreate,
    WithdrawalCreate,
)
from intake.inputs import Id, PathId, Search
from shared.contracts.intake import Category, Channel, Kind, Severity
from shared.db.engine import Database, reading
from shared.http.app import DatabaseDep
from shared.http.auth import Principal
from shared.http.idempotency import IdempotencyKey, replayed, respond_once
from shared.http.language import preferred
from shared.http.pagination import Cursor, Limit

router = APIRouter(tags=["complaints"])

REFERENCE_PATTERN = r"^[A-Z][A-Z0-9]{0,9}-\d{8}-\d{4,6}$"
AcceptLanguage = Annotated[str | None, Header(max_length=200)]
MAX_IDS = 100
Ids = Annotated[
    list[Id] | None,
    Query(
        alias="id",
        max_length=MAX_IDS,
        description=f"only these complaints (repeat it: ?id=a&id=b; at most {MAX_IDS})",
    ),
]
REPLAYED: dict[int | str, dict[str, Any]] = {
    200: {"model": ComplaintSummary, "description": "the first result of a repeat"}
}


async def _once(
    db: Database,
    principal: Principal,
    key: str | None,
    scope: str,
    request: Any,
    work: Callable[[AsyncSession], Awaitable[ComplaintSummary]],
) -> Response:
    response = await respond_once(
        db, principal=principal, key=key, scope=scope, request=request, work=work
    )
    if replayed(response):
        metrics.duplicates_absorbed.labels("idempotency_key").inc()
    return response


@router.post(
    "/complaints",
    status_code=201,
    response_model=ComplaintSummary,
    responses=REPLAYED,
    summary="Record a complaint from any channel",
)
async def post_complaint(
    body: ComplaintCreate,
    principal: Recorder,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    principal.may_act_on(body.site_id)

    async def work(session: AsyncSession) -> ComplaintSummary:
        return await service.record_complaint(session, data=body, by=principal)

    try:
        response = await _once(db, principal, idempotency_key, "complaints", body, work)
    except service.DuplicateComplaintError:
        return await _first_of(db, principal, body.external_ref)
    if not replayed(response):
        metrics.complaints_received.labels(
            body.site_id, body.channel, body.kind, body.category
        ).inc()
    return response


async def _first_of(db: Database, principal: Principal, external_ref: str | None) -> Response:
    """The complaint the caller already filed under `external_ref`."""
    async with reading(db) as session:
        summary = await queries.first_filed(session, principal=principal, external_ref=external_ref)
    metrics.duplicates_absorbed.labels("external_ref").inc()
    return Response(summary.model_dump_json(), status_code=200, media_type="application/json")


@router.get("/complaints", summary="Complaints of your sites, newest first")
async def list_complaints(
    principal: Reader,
    db: DatabaseDep,
    site_id: Id | None = None,
    status: Status | None = None,
    category: Category | None = None,
    channel: Channel | None = None,
    kind: Kind | None = None,
    severity: Severity | None = None,
    received_from: AwareDatetime | None = Query(default=None, description="inclusive"),
    received_to: AwareDatetime | None = Query(default=None, description="exclusive"),
    q: Search | None = Query(default=None, description="text in description or reference"),
    ids: Ids = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ComplaintPage:
    filters = queries.Filters(
        site_id,
        status,
        category,
        channel,
        kind,
        severity,
        received_from,
        received_to,
        q,
        tuple(ids) if ids is not None else None,
    )
    async with reading(db) as session:
        return await queries.list_complaints(
            session, principal=principal, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/complaints/by-reference/{reference}", summary="A complaint by its reference")
async def get_by_reference(
    reference: Annotated[str, Path(pattern=REFERENCE_PATTERN)],
    principal: Reader,
    db: DatabaseDep,
    accept_language: AcceptLanguage = None,
) -> ComplaintDetail:
    async with reading(db) as session:
        return await queries.get_by_reference(
            session, reference=reference, principal=principal, lang=preferred(accept_language)
        )


@router.get("/complaints/{complaint_id}", summary="A complaint and its timeline")
async def get_complaint(
    complaint_id: PathId, principal: Reader, db: DatabaseDep, accept_language: AcceptLanguage = None
) -> ComplaintDetail:
    async with reading(db) as session:
        return await queries.get_complaint(
            session, complaint_id=complaint_id, principal=principal, lang=preferred(accept_language)
        )


@router.post(
    "/complaints/{complaint_id}/supplements",
    status_code=201,
    response_model=ComplaintSummary,
    responses=REPLAYED,
    summary="Add the resident's further information",
)
async def post_supplement(
    complaint_id: PathId,
    body: SupplementCreate,
    principal: Recorder,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def work(session: AsyncSession) -> ComplaintSummary:
        return await followups.add_supplement(
            session, complaint_id=complaint_id, data=body, by=principal
        )

    request = {"complaint_id": complaint_id, **body.model_dump(mode="json")}
    return await _once(db, principal, idempotency_key, "supplements", request, work)


@router.post(
    "/complaints/{complaint_id}/withdrawal",
    status_code=201,
    response_model=ComplaintSummary,
    responses=REPLAYED,
    summary="The resident withdraws the complaint",
)
async def post_withdrawal(
    complaint_id: PathId,
    body: WithdrawalCreate,
    principal: Recorder,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def work(session: AsyncSession) -> ComplaintSummary:
        return await followups.withdraw(session, complaint_id=complaint_id, data=body, by=principal)

    request = {"complaint_id": complaint_id, **body.model_dump(mode="json")}
    return await _once(db, principal, idempotency_key, "withdrawal", request, work)
