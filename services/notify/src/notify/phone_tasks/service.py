"""Use cases of phone tasks: list them, record the call (the phone channel opens them)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.channels.models import PhoneTask, phone_task
from notify.deliveries import outcomes
from notify.phone_tasks.schemas import PhoneTaskDone, PhoneTaskPage, PhoneTaskRead, Status
from shared.clock import utcnow
from shared.http.auth import Principal
from shared.http.errors import NotFoundError
from shared.http.pagination import decode_cursor, page_of


async def list_tasks(
    session: AsyncSession,
    *,
    principal: Principal,
    site_id: str | None,
    status: Status | None,
    limit: int,
    cursor: str | None,
) -> PhoneTaskPage:
    """Phone tasks of the principal's sites, oldest first."""
    query = select(phone_task).where(principal.site_filter(phone_task.c.site_id))
    if site_id is not None:
        query = query.where(phone_task.c.site_id == site_id)
    if status is not None:
        query = query.where(phone_task.c.status == status)
    after = decode_cursor(cursor, arity=1)
    if after is not None:
        query = query.where(phone_task.c.id > int(after[0]))
    rows = (await session.execute(query.order_by(phone_task.c.id).limit(limit + 1))).all()
    items = [PhoneTaskRead.model_validate(r) for r in rows]
    page = page_of(items, limit=limit, key=lambda t: (t.id,))
    return PhoneTaskPage(items=page.items, next_cursor=page.next_cursor)


async def complete(
    session: AsyncSession, *, task_id: int, data: PhoneTaskDone, principal: Principal
) -> PhoneTaskRead:
    """Record the call; the delivery is delivered when the person was reached. Done twice,
    the first record stands."""
    task = await session.get(PhoneTask, task_id, populate_existing=True)
    if task is None or not principal.sees(task.site_id):
        raise NotFoundError("Phone task", str(task_id))
    principal.may_act_on(task.site_id)
    if task.status == "open":
        task.status, task.done_at, task.done_by = "done", utcnow(), principal.sub
        task.reached, task.note = data.reached, data.note
        await outcomes.phone_call_made(session, delivery_id=task.delivery_id, reached=data.reached)
        await session.flush()
    return PhoneTaskRead.model_validate(task)
