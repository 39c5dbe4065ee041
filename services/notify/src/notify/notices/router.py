"""Thin HTTP routes of notices: publish, change, cancel, list, read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from pydantic import AwareDatetime
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from notify.access import Publisher, Reader
from notify.deliveries.schemas import ChannelName, DeliveryCounts, DeliveryPage
from notify.deliveries.schemas import Status as DeliveryStatus
from notify.notices import service
from notify.notices.rules import Kind, ScopeKind, Status
from notify.notices.schemas import (
    NoticeCancel,
    NoticeCreate,
    NoticePage,
    NoticeRead,
    NoticeUpdate,
)
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit

router = APIRouter(prefix="/notices", tags=["notices"])

NoticeId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


@router.post(
    "",
    status_code=201,
    response_model=NoticeRead,
    summary="Schedule a notice; every household in scope gets it at publish_at (now if omitted)",
)
async def post_notice(
    body: NoticeCreate,
    principal: Publisher,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    principal.may_act_on(body.site_id)

    async def work(session: AsyncSession) -> NoticeRead:
        return await service.create_notice(session, data=body, by=principal)

    request = body.model_dump(mode="json")
    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope="notify:notices",
        request=request,
        work=work,
    )


@router.get("", summary="Notices of my sites, newest first")
async def list_notices(
    principal: Reader,
    db: DatabaseDep,
    site_id: str | None = None,
    status: Status | None = None,
    kind: Kind | None = None,
    scope: ScopeKind | None = None,
    published_from: Annotated[AwareDatetime | None, Query()] = None,
    published_before: Annotated[AwareDatetime | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> NoticePage:
    filters = {"site_id": site_id, "status": status, "kind": kind, "scope": scope}
    async with reading(db) as session:
        return await service.list_notices(
            session,
            principal=principal,
            filters=filters,
            window=(published_from, published_before),
            limit=limit,
            cursor=cursor,
        )


@router.get("/{notice_id}", summary="One notice")
async def get_notice(notice_id: NoticeId, principal: Reader, db: DatabaseDep) -> NoticeRead:
    async with reading(db) as session:
        return await service.get(session, notice_id=notice_id, principal=principal)


@router.get(
    "/{notice_id}/deliveries",
    summary="Whom the notice, its updates and its cancellation went to, newest first",
)
async def list_notice_deliveries(
    notice_id: NoticeId,
    principal: Reader,
    db: DatabaseDep,
    status: DeliveryStatus | None = None,
    channel: ChannelName | None = None,
    failing: Annotated[
        bool | None, Query(description="true: only those whose last try failed")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> DeliveryPage:
    filters = {"status": status, "channel": channel, "failing": failing}
    async with reading(db) as session:
        return await service.list_deliveries(
            session,
            notice_id=notice_id,
            principal=principal,
            filters=filters,
            limit=limit,
            cursor=cursor,
        )


@router.get(
    "/{notice_id}/deliveries/counts",
    summary="How the notice's deliveries went: counts per message kind, channel and status",
)
async def count_notice_deliveries(
    notice_id: NoticeId, principal: Reader, db: DatabaseDep
) -> DeliveryCounts:
    async with reading(db) as session:
        return await service.count_deliveries(session, notice_id=notice_id, principal=principal)


@router.patch(
    "/{notice_id}",
    response_model=NoticeRead,
    summary="Change a notice: rescheduled if not out yet, else a new revision to the same homes",
)
async def patch_notice(
    notice_id: NoticeId,
    body: NoticeUpdate,
    principal: Publisher,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def work(session: AsyncSession) -> NoticeRead:
        return await service.update_notice(session, notice_id=notice_id, data=body, by=principal)

    request = body.model_dump(mode="json", exclude_unset=True)
    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"notify:notice:{notice_id}",
        request=request,
        work=work,
        status=200,
    )


@router.post(
    "/{notice_id}/cancel",
    response_model=NoticeRead,
    summary="Cancel a notice: dropped if not out yet, else the same households are told",
)
async def cancel_notice(
    notice_id: NoticeId,
    principal: Publisher,
    db: DatabaseDep,
    body: Annotated[NoticeCancel | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    reason = body.reason if body is not None else None

    async def work(session: AsyncSession) -> NoticeRead:
        return await service.cancel_notice(
            session, notice_id=notice_id, reason=reason, by=principal
        )

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"notify:notice-cancel:{notice_id}",
        request={"reason": reason},
        work=work,
        status=200,
    )
