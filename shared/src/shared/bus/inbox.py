"""The inbox: each handled message id is claimed in the handler's own transaction.

A redelivered message finds its id taken, and the consumer acks and skips it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import utcnow
from shared.db.engine import dialect_insert
from shared.db.tables import inbox
from shared.db.typed import rowcount


async def claim(session: AsyncSession, *, message_id: str, event_type: str) -> bool:
    """True when this message id is new; False when it was handled before."""
    statement = (
        dialect_insert(session)(inbox)
        .values(message_id=message_id, type=event_type, handled_at=utcnow())
        .on_conflict_do_nothing(index_elements=[inbox.c.message_id])
    )
    result = await session.execute(statement)
    return bool(rowcount(result))


async def claim_many(session: AsyncSession, messages: list[tuple[str, str]]) -> set[str]:
    """Claim several (message id, type) pairs in one statement; returns the ids that were new."""
    now = utcnow()
    statement = (
        dialect_insert(session)(inbox)
        .values([{"message_id": m, "type": t, "handled_at": now} for m, t in messages])
        .on_conflict_do_nothing(index_elements=[inbox.c.message_id])
        .returning(inbox.c.message_id)
    )
    return set((await session.execute(statement)).scalars())


async def purge(session: AsyncSession, *, older_than: timedelta) -> int:
    """Forget ids handled longer ago than any redelivery can come; returns rows removed."""
    result = await session.execute(delete(inbox).where(inbox.c.handled_at < utcnow() - older_than))
    return rowcount(result)
