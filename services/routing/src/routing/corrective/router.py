"""Thin HTTP routes of corrective and preventive actions.

Every write takes an `Idempotency-Key`: a retried request returns the first answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from routing.access import Manager, Reader, Worker
from routing.corrective import actions, policy, service
from routing.corrective.rules import RecurringPolicy, Status
from routing.corrective.schemas import (
    ActionDetail,
    ActionRead,
    CompleteIn,
    CorrectiveActionCreate,
    Kind,
    PlanIn,
    Source,
    VerifyIn,
)
from routing.inputs import ID_PATTERN
from routing.settings import RoutingSettings
from shared.contracts.intake import Category
from shared.contracts.surveys import Topic
from shared.db.engine import reading
from shared.http.app import DatabaseDep, RuntimeDep
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit, Page

router = APIRouter(prefix="/corrective-actions", tags=["corrective actions"])

ActionId = Annotated[str, Path(pattern=ID_PATTERN, description="a corrective action id")]


def _recurring(runtime: RuntimeDep) -> RecurringPolicy:
    """The running service's recurring-problem policy (its window counts the complaints
    before an action on a category)."""
    settings = runtime.settings
    assert isinstance(settings, RoutingSettings)
    return policy.of(settings)


RecurringDep = Annotated[RecurringPolicy, Depends(_recurring)]


@router.get("", summary="Corrective and preventive actions on your sites, oldest first")
async def list_actions(
    principal: Reader,
    db: DatabaseDep,
    site_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    status: Status | None = None,
    kind: Kind | None = None,
    source: Source | None = None,
    category: Category | None = None,
    topic: Topic | None = None,
    overdue: Annotated[
        bool | None, Query(description="true: only those not carried out by their due time")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ActionRead]:
    filters = service.Filters(site_id, status, kind, source, category, topic, overdue)
    async with reading(db) as session:
        return await service.list_actions(
            session, principal=principal, filters=filters, limit=limit, cursor=cursor
        )


@router.post(
    "",
    status_code=201,
    response_model=ActionRead,
    summary="Open a corrective or preventive action from one or many cases",
)
async def open_action(
    body: CorrectiveActionCreate,
    principal: Manager,
    db: DatabaseDep,
    recurring: RecurringDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> ActionRead:
        action = await actions.open_from_cases(
            s, principal=principal, body=body, recurring=recurring
        )
        return await service.to_read(s, action)

    return await respond_once(
        db,
        principal=principal,
        scope="action",
        key=key,
        request=body,
        work=work,
        status=201,
    )


@router.get("/{action_id}", summary="One action with its cases and your next steps")
async def get_action(action_id: ActionId, principal: Reader, db: DatabaseDep) -> ActionDetail:
    async with reading(db) as session:
        return await service.get_detail(session, action_id=action_id, principal=principal)


@router.post(
    "/{action_id}/plan",
    response_model=ActionRead,
    summary="Record the cause, the action, its owner and due time",
)
async def plan(
    action_id: ActionId,
    body: PlanIn,
    principal: Manager,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> ActionRead:
        action = await actions.plan_action(s, action_id=action_id, principal=principal, body=body)
        return await service.to_read(s, action)

    return await respond_once(
        db,
        principal=principal,
        scope=f"action-plan:{action_id}",
        key=key,
        request=body,
        work=work,
        status=200,
    )


@router.post(
    "/{action_id}/completion",
    response_model=ActionRead,
    summary="The owner reports the action carried out",
)
async def complete(
    action_id: ActionId,
    body: CompleteIn,
    principal: Worker,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> ActionRead:
        action = await actions.complete_action(
            s, action_id=action_id, principal=principal, body=body
        )
        return await service.to_read(s, action)

    scope = f"action-complete:{action_id}"
    return await respond_once(
        db,
        principal=principal,
        scope=scope,
        key=key,
        request=body,
        work=work,
        status=200,
    )


@router.post(
    "/{action_id}/verification",
    response_model=ActionRead,
    summary="Record whether the action was effective",
)
async def verify(
    action_id: ActionId,
    body: VerifyIn,
    principal: Manager,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> ActionRead:
        action = await actions.verify_action(s, action_id=action_id, principal=principal, body=body)
        return await service.to_read(s, action)

    scope = f"action-verify:{action_id}"
    return await respond_once(
        db,
        principal=principal,
        scope=scope,
        key=key,
        request=body,
        work=work,
        status=200,
    )
