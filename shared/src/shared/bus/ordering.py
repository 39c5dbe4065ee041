"""Per-aggregate ordering for projections (DESIGN.md §4, "Ordering").

Events carry their aggregate's version. A projection holding state applies an event only
if it is newer than the version it already holds, so a late, older event never overwrites
newer state, and a replayed one is a no-op.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.engine import dialect_insert
from shared.db.tables import aggregate_position


async def advance(session: AsyncSession, *, aggregate_id: str, version: int) -> bool:
    """Record `version` for the aggregate if it is newer; True when it was."""
    if await _raise_to(session, aggregate_id, version):
        return True
    inserted = await session.execute(
        dialect_insert(session)(aggregate_position)
        .values(aggregate_id=aggregate_id, version=version)
        .on_conflict_do_nothing(index_elements=[aggregate_position.c.aggregate_id])
    )
    if inserted.rowcount:  # type: ignore[attr-defined]
        return True
    # A concurrent transaction created the row first; now that it is visible, compare again.
    return await _raise_to(session, aggregate_id, version)


async def _raise_to(session: AsyncSession, aggregate_id: str, version: int) -> bool:
    moved = await session.execute(
        update(aggregate_position)
        .where(aggregate_position.c.aggregate_id == aggregate_id)
        .where(aggregate_position.c.version < version)
        .values(version=version)
    )
    return bool(moved.rowcount)  # type: ignore[attr-defined]


async def position(session: AsyncSession, *, aggregate_id: str) -> int:
    """The newest version applied for the aggregate (0 when none)."""
    found = await session.scalar(
        select(aggregate_position.c.version).where(
            aggregate_position.c.aggregate_id == aggregate_id
        )
    )
    return int(found or 0)
