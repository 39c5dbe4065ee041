"""The delivery log an integrator reads: each status change sent to its subscription, newest
first, with every try (when, the receiver's status code, what came of it) and the next one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.deliveries.models import delivery, message
from notify.webhooks import service
from notify.webhooks.models import webhook_attempt
from notify.webhooks.schemas import WebhookAttemptRead, WebhookDeliveryPage, WebhookDeliveryRead
from shared.http.auth import Principal
from shared.http.pagination import decode_cursor, page_of


async def list_deliveries(
    session: AsyncSession,
    *,
    subscription_id: int,
    principal: Principal,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> WebhookDeliveryPage:
    """The subscription's deliveries, newest first (404 when the subscription is not visible)."""
    await service.get_or_404(session, subscription_id=subscription_id, principal=principal)
    query = (
        select(delivery, message.c.kind, message.c.complaint_id)
        .join(message, message.c.id == delivery.c.message_id)
        .where(delivery.c.subscription_id == subscription_id)
    )
    if status is not None:
        query = query.where(delivery.c.status == status)
    after = decode_cursor(cursor, arity=1)
    if after is not None:
        query = query.where(delivery.c.id < int(after[0]))
    rows = (await session.execute(query.order_by(delivery.c.id.desc()).limit(limit + 1))).all()
    tries = await _tries(session, [row.id for row in rows])
    items = [_read(row, tries.get(row.id, [])) for row in rows]
    page = page_of(items, limit=limit, key=lambda d: (d.id,))
    return WebhookDeliveryPage(items=page.items, next_cursor=page.next_cursor)


async def _tries(session: AsyncSession, ids: list[int]) -> dict[int, list[WebhookAttemptRead]]:
    found: dict[int, list[WebhookAttemptRead]] = {}
    if not ids:
        return found
    query = (
        select(webhook_attempt)
        .where(webhook_attempt.c.delivery_id.in_(ids))
        .order_by(webhook_attempt.c.id)
    )
    for row in (await session.execute(query)).all():
        found.setdefault(row.delivery_id, []).append(
            WebhookAttemptRead.model_validate(row._mapping)
        )
    return found


def _read(row: Any, tries: list[WebhookAttemptRead]) -> WebhookDeliveryRead:
    return WebhookDeliveryRead(
        id=row.id,
        webhook_id=f"delivery-{row.id}",
        type=row.kind,
        complaint_id=row.complaint_id,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at if row.status == "queued" else None,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
        failed_at=row.failed_at,
        tries=tries,
    )
