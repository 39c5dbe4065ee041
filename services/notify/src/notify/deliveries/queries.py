"""Reading deliveries for the API: by site, status, channel, source or complaint."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.deliveries.models import delivery, message
from notify.deliveries.schemas import DeliveryPage, DeliveryRead
from shared.http.auth import Principal
from shared.http.errors import NotFoundError
from shared.http.pagination import decode_cursor, page_of

COLUMNS = (delivery, message.c.kind, message.c.complaint_id)


def _base(principal: Principal) -> Any:
    return (
        select(*COLUMNS)
        .join(message, message.c.id == delivery.c.message_id)
        .where(principal.site_filter(delivery.c.site_id))
    )


async def list_deliveries(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: dict[str, Any],
    limit: int,
    cursor: str | None,
) -> DeliveryPage:
    """Deliveries of the principal's sites, newest first; filters left None are ignored."""
    query = _base(principal)
    columns = {
        "site_id": delivery.c.site_id,
        "status": delivery.c.status,
        "channel": delivery.c.channel,
        "source_id": delivery.c.source_id,
        "complaint_id": message.c.complaint_id,
    }
    for name, value in filters.items():
        if value is not None:
            query = query.where(columns[name] == value)
    after = decode_cursor(cursor, arity=1)
    if after is not None:
        query = query.where(delivery.c.id < int(after[0]))
    rows = (await session.execute(query.order_by(delivery.c.id.desc()).limit(limit + 1))).all()
    page = page_of([DeliveryRead.model_validate(r) for r in rows], limit=limit, key=_key)
    return DeliveryPage(items=page.items, next_cursor=page.next_cursor)


def _key(item: DeliveryRead) -> tuple[int]:
    return (item.id,)


async def get_or_404(
    session: AsyncSession, *, delivery_id: int, principal: Principal
) -> DeliveryRead:
    """One delivery, if the principal may see its site."""
    row = (await session.execute(_base(principal).where(delivery.c.id == delivery_id))).first()
    if row is None:
        raise NotFoundError("Delivery", str(delivery_id))
    return DeliveryRead.model_validate(row)
