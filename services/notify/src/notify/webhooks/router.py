"""Thin HTTP routes of webhook subscriptions: subscribe, read, change (pause, resume),
rotate the secret, unsubscribe, and read the delivery log."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from notify.access import Integrator
from notify.settings import NotifySettings
from notify.webhooks import log, service
from notify.webhooks.schemas import (
    Status,
    WebhookDeliveryPage,
    WebhookSecretRotated,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionPage,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
)
from shared.db.engine import reading
from shared.http.app import DatabaseDep, RuntimeDep
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit
from shared.http.params import RowId
from shared.http.writing import writing

router = APIRouter(prefix="/webhook-subscriptions", tags=["webhook subscriptions"])


def current_settings(runtime: RuntimeDep) -> NotifySettings:
    """The running service's settings."""
    settings = runtime.settings
    return settings if isinstance(settings, NotifySettings) else NotifySettings()


SettingsDep = Annotated[NotifySettings, Depends(current_settings)]


@router.post(
    "",
    status_code=201,
    response_model=WebhookSubscriptionCreated,
    summary="Subscribe to the status changes of the complaints I file; the secret is shown once",
)
async def post_subscription(
    body: WebhookSubscriptionCreate,
    principal: Integrator,
    db: DatabaseDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def work(session: AsyncSession) -> WebhookSubscriptionCreated:
        return await service.create_subscription(
            session, data=body, by=principal, settings=settings
        )

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope="notify:webhook-subscriptions",
        request=body.model_dump(mode="json"),
        work=work,
    )


@router.get("", summary="My webhook subscriptions (an admin's: all of its sites), oldest first")
async def list_subscriptions(
    principal: Integrator,
    db: DatabaseDep,
    site_id: str | None = None,
    status: Status | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> WebhookSubscriptionPage:
    async with reading(db) as session:
        return await service.list_subscriptions(
            session,
            principal=principal,
            site_id=site_id,
            status=status,
            limit=limit,
            cursor=cursor,
        )


@router.get("/{subscription_id}", summary="One webhook subscription")
async def get_subscription(
    subscription_id: RowId, principal: Integrator, db: DatabaseDep
) -> WebhookSubscriptionRead:
    async with reading(db) as session:
        return await service.get_or_404(
            session, subscription_id=subscription_id, principal=principal
        )


@router.patch(
    "/{subscription_id}",
    summary="Change a webhook subscription: its URL, types or sites; pause or resume it",
)
async def patch_subscription(
    subscription_id: RowId,
    body: WebhookSubscriptionUpdate,
    principal: Integrator,
    db: DatabaseDep,
    settings: SettingsDep,
) -> WebhookSubscriptionRead:
    async with writing(db) as session:
        return await service.update_subscription(
            session,
            subscription_id=subscription_id,
            data=body,
            principal=principal,
            settings=settings,
        )


@router.post(
    "/{subscription_id}/secret-rotation",
    summary="A new signing secret, shown once; the old one signs too for a grace period",
)
async def post_secret_rotation(
    subscription_id: RowId, principal: Integrator, db: DatabaseDep, settings: SettingsDep
) -> WebhookSecretRotated:
    async with writing(db) as session:
        return await service.rotate_secret(
            session, subscription_id=subscription_id, principal=principal, settings=settings
        )


@router.delete(
    "/{subscription_id}",
    status_code=204,
    summary="Unsubscribe: what is still queued for it is cancelled",
)
async def delete_subscription(
    subscription_id: RowId, principal: Integrator, db: DatabaseDep
) -> Response:
    async with writing(db) as session:
        await service.delete_subscription(
            session, subscription_id=subscription_id, principal=principal
        )
    return Response(status_code=204)


@router.get(
    "/{subscription_id}/deliveries",
    summary="The delivery log: each status change sent, newest first, with every try",
)
async def list_subscription_deliveries(
    subscription_id: RowId,
    principal: Integrator,
    db: DatabaseDep,
    status: Annotated[Literal["queued", "sent", "failed", "cancelled"] | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> WebhookDeliveryPage:
    async with reading(db) as session:
        return await log.list_deliveries(
            session,
            subscription_id=subscription_id,
            principal=principal,
            status=status,
            limit=limit,
            cursor=cursor,
        )
