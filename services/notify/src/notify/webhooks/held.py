"""Status changes that came before notify received their complaint.

Routing emits a case's events only after it received the complaint, but notify handles
`complaint.received` and a case's events in different lanes, and may retry the first (a
visitor's contact not known yet): a case event can overtake it. Held here, in the consumer's
transaction, the change is fanned out as soon as the complaint is received, in case order.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.webhooks.models import webhook_held_event as table
from shared.clock import utcnow
from shared.contracts.base import Envelope, Event, parse_message
from shared.db.engine import dialect_insert


async def hold(session: AsyncSession, *, complaint_id: str, envelope: Envelope) -> None:
    """Keep the event until its complaint is received (a redelivery keeps it once)."""
    values = {
        "source_id": envelope.id,
        "complaint_id": complaint_id,
        "aggregate_version": envelope.aggregate_version,
        "envelope": envelope.model_dump_json(),
        "created_at": utcnow(),
    }
    await session.execute(dialect_insert(session)(table).values(values).on_conflict_do_nothing())


async def release(session: AsyncSession, *, complaint_id: str) -> list[tuple[Envelope, Event]]:
    """The complaint's held events in case order, removed from the hold."""
    query = (
        select(table.c.envelope)
        .where(table.c.complaint_id == complaint_id)
        .order_by(table.c.aggregate_version, table.c.created_at)
    )
    found = [parse_message(text.encode()) for text in (await session.scalars(query)).all()]
    if found:
        await session.execute(delete(table).where(table.c.complaint_id == complaint_id))
    return found
