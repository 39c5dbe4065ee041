"""Thin HTTP routes of deliveries: what went out, on which channel, and how it went."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notify.access import Reader
from notify.deliveries import queries
from notify.deliveries.schemas import ChannelName, DeliveryPage, DeliveryRead, Status
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.pagination import Cursor, Limit
from shared.http.params import RowId

router = APIRouter(prefix="/deliveries", tags=["deliveries"])


@router.get("", summary="Deliveries of my sites, newest first")
async def list_deliveries(
    principal: Reader,
    db: DatabaseDep,
    site_id: str | None = None,
    status: Status | None = None,
    channel: ChannelName | None = None,
    source_id: str | None = None,
    complaint_id: str | None = None,
    failing: Annotated[
        bool | None, Query(description="true: only those whose last try failed")
    ] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> DeliveryPage:
    filters = {
        "site_id": site_id,
        "status": status,
        "channel": channel,
        "source_id": source_id,
        "complaint_id": complaint_id,
        "failing": failing,
    }
    async with reading(db) as session:
        return await queries.list_deliveries(
            session, principal=principal, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/{delivery_id}", summary="One delivery")
async def get_delivery(delivery_id: RowId, principal: Reader, db: DatabaseDep) -> DeliveryRead:
    async with reading(db) as session:
        return await queries.get_or_404(session, delivery_id=delivery_id, principal=principal)
