"""Who handles a new case: the department's handlers take new cases in turn (轮流派单).

One UPDATE picks the handler whose turn it is and moves them to the back of the line;
concurrent openings skip a handler another transaction is assigning, so they never wait
on each other for the same row. The statements are built once: composing them cost more
than running them, on the path every complaint takes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from routing.organisation.models import Staff
from shared.db.typed import table_of

STAFF: Table = table_of(Staff)


def _pool(staff: FromClause) -> list[ColumnElement[bool]]:
    return [
        staff.c.site_id == bindparam("pool_site"),
        staff.c.department == bindparam("pool_department"),
        staff.c.role == "handler",
        staff.c.active.is_(True),
    ]


def _first_in_turn(staff: FromClause) -> Select[tuple[Any]]:
    return (
        select(staff.c.staff_id)
        .where(*_pool(staff))
        .order_by(func.coalesce(staff.c.last_turn, 0), staff.c.staff_id)
        .limit(1)
    )


def _take_turn() -> Any:
    # The subqueries read the table the UPDATE writes: aliases keep them from correlating.
    first, everyone = STAFF.alias("first_in_turn"), STAFF.alias("everyone")
    next_id = _first_in_turn(first).with_only_columns(first.c.id).with_for_update(skip_locked=True)
    newest = select(func.coalesce(func.max(everyone.c.last_turn), 0) + 1).where(*_pool(everyone))
    return (
        update(STAFF)
        .where(STAFF.c.id == next_id.scalar_subquery())
        .values(last_turn=newest.scalar_subquery())
        .returning(STAFF.c.staff_id)
    )


TAKE_TURN = _take_turn()
FIRST_IN_TURN = _first_in_turn(STAFF)


async def pick_handler(session: AsyncSession, *, site_id: str, department: str) -> str | None:
    """The department's active handler whose turn it is (None: the department has none)."""
    params = {"pool_site": site_id, "pool_department": department}
    found: str | None = (await session.execute(TAKE_TURN, params)).scalar_one_or_none()
    if found is None:  # every handler is being assigned right now: share the first in turn
        found = await session.scalar(FIRST_IN_TURN, params)
    return found
