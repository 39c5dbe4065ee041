"""The transactional outbox: events are rows written in the same transaction as the change.

Nothing is published inside a request. The relay (`shared.bus.relay`) publishes committed
rows; a crash between commit and publish loses nothing.
"""

from __future__ import annotations

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from shared import context
from shared.clock import utcnow
from shared.contracts.base import Event
from shared.db.engine import OUTBOX_PENDING
from shared.db.tables import outbox

_INSERT = outbox.insert()


async def add(
    session: AsyncSession,
    event: Event,
    *,
    site_id: str | None = None,
    aggregate_id: str | None = None,
    aggregate_version: int | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> str:
    """Write `event` to the outbox in the session's transaction; returns the message id."""
    message_id = context.new_id()
    now = utcnow()
    correlation = correlation_id or context.correlation_id.get() or message_id
    body = orjson.dumps(
        {
            "id": message_id,
            "type": event.type,
            "version": event.version,
            "occurred_at": now,
            "source": event.source,
            "site_id": site_id,
            "correlation_id": correlation,
            "causation_id": causation_id or context.causation_id.get(),
            "aggregate_id": aggregate_id,
            "aggregate_version": aggregate_version,
            "data": event.model_dump(mode="json"),
        }
    )
    await session.execute(
        _INSERT,
        {
            "id": message_id,
            "type": event.type,
            "version": event.version,
            "body": body,
            "correlation_id": correlation,
            "created_at": now,
        },
    )
    session.info[OUTBOX_PENDING] = True
    return message_id
