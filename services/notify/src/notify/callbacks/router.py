"""Thin HTTP routes of callbacks: the queue, one callback, and recording an attempt."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from notify.access import Caller, Reader
from notify.callbacks import queues, service
from notify.callbacks.rules import View
from notify.callbacks.schemas import AttemptIn, CallbackPage, CallbackRead
from notify.callbacks.service import Policy, policy_of
from notify.settings import NotifySettings
from shared.db.engine import reading
from shared.http.app import DatabaseDep, RuntimeDep
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit

router = APIRouter(prefix="/callbacks", tags=["callbacks"])

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
CallbackId = Annotated[str, Path(pattern=ID_PATTERN)]
CaseIdFilter = Annotated[
    str | None, Query(pattern=ID_PATTERN, description="the callbacks of this case")
]


def current_policy(runtime: RuntimeDep) -> Policy:
    """The callback policy of the running service's settings."""
    settings = runtime.settings
    return policy_of(settings if isinstance(settings, NotifySettings) else NotifySettings())


PolicyDep = Annotated[Policy, Depends(current_policy)]


@router.get("", summary="The callback queue of my sites: status=due is today's work")
async def list_callbacks(
    principal: Reader,
    db: DatabaseDep,
    status: View | None = None,
    site_id: str | None = None,
    origin: Literal["case", "survey"] | None = None,
    case_id: CaseIdFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> CallbackPage:
    filters = {"site_id": site_id, "origin": origin, "case_id": case_id}
    async with reading(db) as session:
        return await queues.list_callbacks(
            session, principal=principal, view=status, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/{callback_id}", summary="One callback with every attempt")
async def get_callback(callback_id: CallbackId, principal: Reader, db: DatabaseDep) -> CallbackRead:
    async with reading(db) as session:
        return await service.get(session, callback_id=callback_id, principal=principal)


@router.post(
    "/{callback_id}/attempts",
    response_model=CallbackRead,
    summary="Record a call: reached (satisfied or not) completes it; a miss reschedules it",
)
async def post_attempt(
    callback_id: CallbackId,
    body: AttemptIn,
    principal: Caller,
    db: DatabaseDep,
    policy: PolicyDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def work(session: AsyncSession) -> CallbackRead:
        return await service.record_attempt(
            session, callback_id=callback_id, data=body, by=principal, policy=policy
        )

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"notify:callback:{callback_id}",
        request=body,
        work=work,
        status=200,
    )
