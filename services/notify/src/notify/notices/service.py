"""Use cases of notices: schedule one, change or cancel it, read them.

Services take the caller's session and never commit. A notice is always published by its
timer (`notify.notices.timers`), even when its publish time is now: the request returns at
once, the fan-out runs in the scheduler's transaction, and a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify.deliveries import queries as deliveries
from notify.deliveries.schemas import DeliveryCounts, DeliveryPage
from notify.notices import publishing, rules
from notify.notices.models import notice
from notify.notices.schemas import NoticeCreate, NoticePage, NoticeRead, NoticeUpdate
from shared import timers
from shared.clock import utcnow
from shared.context import new_id
from shared.db.tables import timer
from shared.http.auth import Principal
from shared.http.errors import ConflictError, NotFoundError, ProblemError
from shared.http.pagination import newest_first, page_of

PUBLISH_TIMER = "notify.notice_publish"


def read(row: Row[Any]) -> NoticeRead:
    """The API view of a notice row."""
    return NoticeRead.model_validate({**row._mapping, "essential": rules.is_essential(row.kind)})


def _checked(values: dict[str, Any]) -> None:
    timing = rules.Timing(values["starts_at"], values["ends_at"], values["publish_at"])
    try:
        rules.check_timing(values["kind"], timing)
        rules.check_scope(values["scope"], values["scope_ids"])
    except rules.NoticeError as exc:
        raise ProblemError(
            422, f"The notice is not valid: {exc.detail}", zh=f"通知单无效：{exc.zh}"
        ) from exc


async def _arm(session: AsyncSession, row: Row[Any] | dict[str, Any]) -> None:
    values = row if isinstance(row, dict) else row._mapping
    await timers.schedule(
        session,
        kind=PUBLISH_TIMER,
        key=values["id"],
        due_at=values["publish_at"],
        payload={"notice_id": values["id"]},
        site_id=values["site_id"],
    )


async def create_notice(session: AsyncSession, *, data: NoticeCreate, by: Principal) -> NoticeRead:
    """Schedule a notice; it goes out at its publish time (now when none is given)."""
    now = utcnow()
    values = {
        **data.model_dump(),
        "publish_at": data.publish_at or now,
        "id": new_id(),
        "status": rules.Status.SCHEDULED.value,
        "revision": 1,
        "recipients": 0,
        "created_by": by.sub,
        "created_at": now,
        "updated_at": now,
    }
    _checked(values)
    await session.execute(notice.insert().values(values))
    await _arm(session, values)
    return await get(session, notice_id=values["id"], principal=by)


async def get_row(
    session: AsyncSession, *, notice_id: str, principal: Principal, lock: bool = False
) -> Row[Any]:
    """The notice row, or 404 (also when it belongs to a site the principal does not see)."""
    query = select(notice).where(notice.c.id == notice_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        await _lock_timer(session, notice_id)
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFoundError("Notice", notice_id)
    principal.visible("Notice", notice_id, row.site_id)
    return row


async def _lock_timer(session: AsyncSession, notice_id: str) -> None:
    # The scheduler holds the timer row, then takes the notice's; a change takes them in
    # the same order, or a change racing the publish time could deadlock with it.
    await session.execute(
        select(timer.c.id)
        .where(timer.c.kind == PUBLISH_TIMER, timer.c.key == notice_id)
        .with_for_update()
    )


async def get(session: AsyncSession, *, notice_id: str, principal: Principal) -> NoticeRead:
    """One notice."""
    return read(await get_row(session, notice_id=notice_id, principal=principal))


async def list_notices(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: dict[str, Any],
    window: tuple[datetime | None, datetime | None] = (None, None),
    limit: int,
    cursor: str | None,
) -> NoticePage:
    """Notices of the principal's sites, newest first, filtered (`window`: publish times)."""
    query = select(notice).where(principal.site_filter(notice.c.site_id))
    for name, value in filters.items():
        if value is not None:
            query = query.where(notice.c[name] == value)
    if window[0] is not None:
        query = query.where(notice.c.publish_at >= window[0])
    if window[1] is not None:
        query = query.where(notice.c.publish_at < window[1])
    query = newest_first(query, notice.c.created_at, notice.c.id, cursor).limit(limit + 1)
    rows = [read(r) for r in (await session.execute(query)).all()]
    return page_of(rows, limit=limit, key=lambda n: (n.created_at.isoformat(), n.id))


async def list_deliveries(
    session: AsyncSession,
    *,
    notice_id: str,
    principal: Principal,
    filters: dict[str, Any],
    limit: int,
    cursor: str | None,
) -> DeliveryPage:
    """The deliveries of every revision of a notice (404 when the notice is not visible)."""
    row = await get_row(session, notice_id=notice_id, principal=principal)
    return await deliveries.list_deliveries(
        session,
        principal=principal,
        filters=filters,
        limit=limit,
        cursor=cursor,
        source_ids=rules.source_ids(row.id, row.revision),
    )


async def count_deliveries(
    session: AsyncSession, *, notice_id: str, principal: Principal
) -> DeliveryCounts:
    """How a notice's deliveries went, per message kind, channel and status."""
    row = await get_row(session, notice_id=notice_id, principal=principal)
    sources = rules.source_ids(row.id, row.revision)
    return await deliveries.count_deliveries(session, principal=principal, source_ids=sources)


def _refuse(exc: rules.TransitionError, row: Row[Any]) -> ConflictError:
    return ConflictError(
        f"Notice {row.id}: {exc.detail}", zh=f"通知单 {row.id}：{exc.zh}", state=row.status
    )


REQUIRED = ("scope", "scope_ids", "kind", "title", "body", "publish_at")


def _changes(row: Row[Any], data: NoticeUpdate) -> dict[str, Any]:
    given = data.model_dump(include=data.model_fields_set)
    cleared = sorted(k for k in REQUIRED if k in given and given[k] is None)
    if cleared:
        names = ", ".join(cleared)
        raise ProblemError(
            422,
            f"The notice is not valid: {names} cannot be null",
            zh=f"通知单无效：{names} 不能为空",
        )
    return {k: v for k, v in given.items() if v != row._mapping[k]}


async def update_notice(
    session: AsyncSession, *, notice_id: str, data: NoticeUpdate, by: Principal
) -> NoticeRead:
    """Change a notice: rescheduled before it is out, a new revision sent to the same
    households after."""
    row = await get_row(session, notice_id=notice_id, principal=by, lock=True)
    changes = _changes(row, data)
    try:
        rules.check_update(row.status, changes, ended=rules.has_ended(row.ends_at, utcnow()))
    except rules.TransitionError as exc:
        raise _refuse(exc, row) from exc
    if not changes:
        return read(row)
    merged = {**row._mapping, **changes}
    _checked(merged)
    if row.status == rules.Status.PUBLISHED:
        changes["revision"] = row.revision + 1
    changed = await _store(session, row, {**changes, "updated_at": utcnow()})
    if changed.status == rules.Status.SCHEDULED:
        await _arm(session, changed)
    else:
        await publishing.resend(session, changed, kind="notice_updated")
    return read(changed)


async def cancel_notice(
    session: AsyncSession, *, notice_id: str, reason: str | None, by: Principal
) -> NoticeRead:
    """Cancel a notice: dropped before it is out, the households told after."""
    row = await get_row(session, notice_id=notice_id, principal=by, lock=True)
    try:
        rules.check_cancel(row.status, ended=rules.has_ended(row.ends_at, utcnow()))
    except rules.TransitionError as exc:
        raise _refuse(exc, row) from exc
    now = utcnow()
    values: dict[str, Any] = {"status": "cancelled", "cancelled_at": now, "updated_at": now}
    if row.status == rules.Status.SCHEDULED:
        await timers.cancel(session, kind=PUBLISH_TIMER, key=row.id)
        return read(await _store(session, row, values))
    cancelled = await _store(session, row, {**values, "revision": row.revision + 1})
    await publishing.resend(session, cancelled, kind="notice_cancelled", reason=reason or "")
    return read(cancelled)


async def _store(session: AsyncSession, row: Row[Any], values: dict[str, Any]) -> Row[Any]:
    changed = (
        await session.execute(
            update(notice).where(notice.c.id == row.id).values(values).returning(*notice.c)
        )
    ).one()
    return changed


async def publish_due(session: AsyncSession, *, notice_id: str) -> int:
    """The publish time came: send the notice if it is still scheduled; whom it reached."""
    query = select(notice).where(notice.c.id == notice_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None or row.status != rules.Status.SCHEDULED:
        return 0
    reached = await publishing.publish(session, row)
    await session.execute(
        update(notice)
        .where(notice.c.id == row.id)
        .values(status="published", published_at=utcnow(), recipients=reached)
    )
    return reached
