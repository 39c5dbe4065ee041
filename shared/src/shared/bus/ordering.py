"""Per-aggregate ordering for projections (DESIGN.md §4, "Ordering").

Events carry their aggregate's version. Two ways to use it:
- `advance()`: a projection holding only the latest state applies an event only if it is
  newer than what it holds; a late, older event never overwrites newer state.
- `apply_in_order()`: a projection that must see every event in order (a timeline) applies
  version n only after n-1; an early event raises OutOfOrderError, which the consumer
  retries after a back-off, by when the missing one has normally arrived.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.base import Envelope
from shared.db.engine import dialect_insert
from shared.db.tables import aggregate_position
from shared.db.typed import rowcount


async def advance(session: AsyncSession, *, aggregate_id: str, version: int) -> bool:
    """Record `version` for the aggregate if it is newer; True when it was."""
    if await _raise_to(session, aggregate_id, version):
        return True
    inserted = await session.execute(
        dialect_insert(session)(aggregate_position)
        .values(aggregate_id=aggregate_id, version=version)
        .on_conflict_do_nothing(index_elements=[aggregate_position.c.aggregate_id])
    )
    if rowcount(inserted):
        return True
    # A concurrent transaction created the row first; now that it is visible, compare again.
    return await _raise_to(session, aggregate_id, version)


async def is_newer(session: AsyncSession, envelope: Envelope) -> bool | None:
    """`advance()` for the envelope's aggregate: True/False when the envelope has a version
    to judge by; None when it has none (the projection then decides by time)."""
    if envelope.aggregate_id is None or envelope.aggregate_version is None:
        return None
    return await advance(
        session, aggregate_id=envelope.aggregate_id, version=envelope.aggregate_version
    )


async def _raise_to(session: AsyncSession, aggregate_id: str, version: int) -> bool:
    moved = await session.execute(
        update(aggregate_position)
        .where(aggregate_position.c.aggregate_id == aggregate_id)
        .where(aggregate_position.c.version < version)
        .values(version=version)
    )
    return bool(rowcount(moved))


class OutOfOrderError(Exception):
    """An event arrived before an earlier version of its aggregate; retry it later."""


async def apply_in_order(session: AsyncSession, *, aggregate_id: str, version: int) -> bool:
    """True when `version` is the aggregate's next one (and records it); False when it was
    applied before; OutOfOrderError when an earlier version is still missing."""
    held = await position(session, aggregate_id=aggregate_id)
    if version <= held:
        return False
    if version > held + 1:
        raise OutOfOrderError(f"{aggregate_id} v{version} arrived before v{held + 1}")
    return await advance(session, aggregate_id=aggregate_id, version=version)


async def position(session: AsyncSession, *, aggregate_id: str) -> int:
    """The newest version applied for the aggregate (0 when none)."""
    found = await session.scalar(
        select(aggregate_position.c.version).where(
            aggregate_position.c.aggregate_id == aggregate_id
        )
    )
    return int(found or 0)
