"""The transactional outbox: events are rows written in the same transaction as the change.

Nothing is published inside a request. The relay (`shared.bus.relay`) publishes committed
rows; a crash between commit and publish loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
    outgoing = Outgoing(event, site_id, aggregate_id, aggregate_version)
    ids = await add_many(
        session, [outgoing], correlation_id=correlation_id, causation_id=causation_id
    )
    return ids[0]


@dataclass(frozen=True)
class Outgoing:
    """One event for `add_many`, with the envelope facts `add` takes as arguments."""

    event: Event
    site_id: str | None = None
    aggregate_id: str | None = None
    aggregate_version: int | None = None


async def add_many(
    session: AsyncSession,
    events: Iterable[Outgoing],
    *,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> list[str]:
    """Write many events to the outbox with one executemany; returns their message ids.

    For bulk changes (a directory import): one statement instead of one per event, and the
    events keep their order in the outbox, so the relay publishes them in that order.
    """
    now = utcnow()
    correlation = correlation_id or context.correlation_id.get()
    causation = causation_id or context.causation_id.get()
    rows = [_row(item, now=now, correlation=correlation, causation=causation) for item in events]
    if not rows:
        return []
    # One row goes as a plain execute: executemany costs more for a single row.
    await session.execute(_INSERT, rows if len(rows) > 1 else rows[0])
    session.info[OUTBOX_PENDING] = True
    return [row["id"] for row in rows]


def _row(
    item: Outgoing, *, now: datetime, correlation: str | None, causation: str | None
) -> dict[str, Any]:
    message_id = context.new_id()
    event = item.event
    body = orjson.dumps(
        {
            "id": message_id,
            "type": event.type,
            "version": event.version,
            "occurred_at": now,
            "source": event.source,
            "site_id": item.site_id,
            "correlation_id": correlation or message_id,
            "causation_id": causation,
            "aggregate_id": item.aggregate_id,
            "aggregate_version": item.aggregate_version,
            "data": event.model_dump(mode="json"),
        }
    )
    return {
        "id": message_id,
        "type": event.type,
        "version": event.version,
        "body": body,
        "correlation_id": correlation or message_id,
        "created_at": now,
    }
