"""What every routing aggregate (a case, a rectification, a corrective action) does with
each of its events: its version goes up by one and the event goes to the outbox under it,
in the same transaction, so consumers can apply its events in order."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus import outbox
from shared.contracts.base import Event


class Aggregate(Protocol):
    id: str
    site_id: str
    version: int
    updated_at: datetime


async def publish(
    session: AsyncSession,
    aggregate: Aggregate,
    event: Event,
    *,
    at: datetime,
    correlation_id: str | None = None,
) -> int:
    """Bump the aggregate's version, stamp its change time and write `event` to the outbox
    as that version; returns the new version."""
    aggregate.version += 1
    aggregate.updated_at = at
    await outbox.add(
        session,
        event,
        site_id=aggregate.site_id,
        aggregate_id=aggregate.id,
        aggregate_version=aggregate.version,
        correlation_id=correlation_id,
    )
    return aggregate.version
