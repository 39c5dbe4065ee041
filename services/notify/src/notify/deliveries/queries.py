"""Reading deliveries for the API: by site, status, channel, source or complaint, and how
many went out on each channel with each outcome.

A household's delivery carries the household's building and unit (whom it was for, as the
office names the place); its address stays inside notify.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts.models import household_contact
from notify.deliveries.models import delivery, message
from notify.deliveries.schemas import DeliveryCount, DeliveryCounts, DeliveryPage, DeliveryRead
from shared.http.auth import Principal
from shared.http.errors import NotFoundError
from shared.http.pagination import decode_cursor, page_of

HOUSEHOLD = "household:"
COLUMNS = (
    delivery,
    message.c.kind,
    message.c.complaint_id,
    household_contact.c.building,
    household_contact.c.unit,
)
# The household of a `household:<id>` recipient, looked up by its primary key.
_OF_HOUSEHOLD = and_(
    delivery.c.recipient_key.startswith(HOUSEHOLD),
    household_contact.c.household_id == func.substr(delivery.c.recipient_key, len(HOUSEHOLD) + 1),
)
FILTERS = {
    "site_id": delivery.c.site_id,
    "status": delivery.c.status,
    "channel": delivery.c.channel,
    "source_id": delivery.c.source_id,
    "complaint_id": message.c.complaint_id,
}


def _base(principal: Principal) -> Any:
    return (
        select(*COLUMNS)
        .join(message, message.c.id == delivery.c.message_id)
        .outerjoin(household_contact, _OF_HOUSEHOLD)
        .where(principal.site_filter(delivery.c.site_id))
    )


def _filtered(query: Any, filters: dict[str, Any], source_ids: Collection[str] | None) -> Any:
    for name, value in filters.items():
        if value is None:
            continue
        if name == "failing":
            failed = delivery.c.last_error.is_not(None)
            query = query.where(failed if value else delivery.c.last_error.is_(None))
        else:
            query = query.where(FILTERS[name] == value)
    if source_ids is not None:
        query = query.where(delivery.c.source_id.in_(sorted(source_ids)))
    return query


async def list_deliveries(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: dict[str, Any],
    limit: int,
    cursor: str | None,
    source_ids: Collection[str] | None = None,
) -> DeliveryPage:
    """Deliveries of the principal's sites, newest first; filters left None are ignored
    (`failing`: only those whose last try failed; `source_ids`: of any of these sources)."""
    query = _filtered(_base(principal), filters, source_ids)
    after = decode_cursor(cursor, arity=1)
    if after is not None:
        query = query.where(delivery.c.id < int(after[0]))
    rows = (await session.execute(query.order_by(delivery.c.id.desc()).limit(limit + 1))).all()
    page = page_of([DeliveryRead.model_validate(r) for r in rows], limit=limit, key=_key)
    return DeliveryPage(items=page.items, next_cursor=page.next_cursor)


def _key(item: DeliveryRead) -> tuple[int]:
    return (item.id,)


async def count_deliveries(
    session: AsyncSession, *, principal: Principal, source_ids: Collection[str]
) -> DeliveryCounts:
    """How many deliveries of these sources went out per message kind, channel and status,
    in one grouped query."""
    query = (
        select(
            message.c.kind,
            delivery.c.channel,
            delivery.c.status,
            func.count(),
            func.count(delivery.c.last_error),
        )
        .join(message, message.c.id == delivery.c.message_id)
        .where(principal.site_filter(delivery.c.site_id))
        .where(delivery.c.source_id.in_(sorted(source_ids)))
        .group_by(message.c.kind, delivery.c.channel, delivery.c.status)
        .order_by(message.c.kind, delivery.c.channel, delivery.c.status)
    )
    rows = (await session.execute(query)).all()
    return DeliveryCounts(
        items=[
            DeliveryCount(kind=k, channel=c, status=s, count=n, failing=f) for k, c, s, n, f in rows
        ]
    )


async def get_or_404(
    session: AsyncSession, *, delivery_id: int, principal: Principal
) -> DeliveryRead:
    """One delivery, if the principal may see its site."""
    row = (await session.execute(_base(principal).where(delivery.c.id == delivery_id))).first()
    if row is None:
        raise NotFoundError("Delivery", str(delivery_id))
    return DeliveryRead.model_validate(row)
