"""Reading rectifications and taking hold of one to change it: take a session, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import paging
from routing.rectifications import rules
from routing.rectifications.models import Rectification, RectificationEntry, RectificationItem
from routing.rectifications.schemas import (
    EntryRead,
    ItemRead,
    RectificationDetail,
    RectificationRead,
)
from shared.clock import utcnow
from shared.http.auth import Principal
from shared.http.errors import NotFoundError, ProblemError
from shared.http.pagination import Page, page_of

ITEM_TIMER = "rectification-item"


class RectificationBusy(Exception):
    """Another transaction holds the rectification; a timer tries again a moment later."""


@dataclass(frozen=True)
class Filters:
    """What a list of rectifications can be narrowed to."""

    site_id: str | None = None
    status: str | None = None
    origin: str | None = None
    case_id: str | None = None


def report_path(rectification_id: str) -> str:
    """Where the printable rectification report is served."""
    return f"/v1/rectifications/{rectification_id}/report"


def timer_key(rect_id: str, position: int) -> str:
    """The key of one item's due-time timer."""
    return f"{rect_id}:{position}"


async def lock(session: AsyncSession, *, rect_id: str, principal: Principal) -> Rectification:
    """The rectification, locked for this transaction; 404 when missing or on another site."""
    query = select(Rectification).where(col(Rectification.id) == rect_id).with_for_update()
    rect = await session.scalar(query)
    if rect is None:
        raise NotFoundError("Rectification", rect_id)
    principal.visible("Rectification", rect_id, rect.site_id)
    return rect


async def lock_for_routing(session: AsyncSession, *, rect_id: str) -> Rectification | None:
    """The rectification, locked without waiting (None when missing; busy when held)."""
    query = select(Rectification).where(col(Rectification.id) == rect_id)
    rect = await session.scalar(query.with_for_update(skip_locked=True))
    if rect is None and await session.scalar(
        select(col(Rectification.id)).where(col(Rectification.id) == rect_id)
    ):
        raise RectificationBusy(f"rectification {rect_id} is being changed")
    return rect


async def items_of(session: AsyncSession, *, rect_id: str) -> list[RectificationItem]:
    """The plan's items in order."""
    query = (
        select(RectificationItem)
        .where(col(RectificationItem.rectification_id) == rect_id)
        .order_by(col(RectificationItem.position))
    )
    return list(await session.scalars(query))


async def item_of(session: AsyncSession, *, rect_id: str, position: int) -> RectificationItem:
    """One item of the plan; 404 when it has no such position."""
    for item in await items_of(session, rect_id=rect_id):
        if item.position == position:
            return item
    raise NotFoundError("Rectification item", str(position))


async def history_of(session: AsyncSession, *, rect_id: str) -> list[RectificationEntry]:
    """The rectification's events, in version order."""
    query = (
        select(RectificationEntry)
        .where(col(RectificationEntry.rectification_id) == rect_id)
        .order_by(col(RectificationEntry.version))
    )
    return list(await session.scalars(query))


def decide(
    action: rules.Action, rect: Rectification, item: RectificationItem | None = None
) -> rules.Status:
    """The next status, or the 409 problem that says why not."""
    item_status = rules.ItemStatus(item.status) if item is not None else None
    try:
        return rules.next_status(action, rules.Status(rect.status), item_status)
    except rules.IllegalTransition as exc:
        raise ProblemError(
            409, exc.detail, action=action.value, rectification_status=rect.status
        ) from exc


async def get_visible(
    session: AsyncSession, *, rect_id: str, principal: Principal
) -> Rectification:
    """The rectification, unlocked; 404 when missing or on another site."""
    rect = await session.get(Rectification, rect_id)
    if rect is None:
        raise NotFoundError("Rectification", rect_id)
    principal.visible("Rectification", rect_id, rect.site_id)
    return rect


async def get_detail(
    session: AsyncSession, *, rect_id: str, principal: Principal
) -> RectificationDetail:
    """The rectification with its items and history."""
    rect = await get_visible(session, rect_id=rect_id, principal=principal)
    read = await to_read(session, rect)
    history = [
        EntryRead.model_validate(e, from_attributes=True)
        for e in await history_of(session, rect_id=rect_id)
    ]
    return RectificationDetail(**read.model_dump(), history=history)


async def list_rectifications(
    session: AsyncSession, *, principal: Principal, filters: Filters, limit: int, cursor: str | None
) -> Page[RectificationRead]:
    """One page of rectifications on the principal's sites, oldest first."""
    wanted = {k: v for k, v in vars(filters).items() if v is not None}
    query = select(Rectification).where(
        principal.site_filter(col(Rectification.site_id)),
        *(col(getattr(Rectification, k)) == v for k, v in wanted.items()),
    )
    later = paging.after(cursor, col(Rectification.opened_at), col(Rectification.id))
    if later is not None:
        query = query.where(later)
    query = query.order_by(col(Rectification.opened_at), col(Rectification.id)).limit(limit + 1)
    rows = list(await session.scalars(query))
    plans = await _items_of_many(session, [r.id for r in rows])
    items = [_read(r, plans.get(r.id, [])) for r in rows]
    return page_of(items, limit=limit, key=lambda r: (r.opened_at.isoformat(), r.id))


async def _items_of_many(
    session: AsyncSession, ids: list[str]
) -> dict[str, list[RectificationItem]]:
    """The items of many rectifications in one query, by rectification."""
    query = (
        select(RectificationItem)
        .where(col(RectificationItem.rectification_id).in_(ids))
        .order_by(col(RectificationItem.rectification_id), col(RectificationItem.position))
    )
    found: dict[str, list[RectificationItem]] = {}
    for item in await session.scalars(query):
        found.setdefault(item.rectification_id, []).append(item)
    return found


async def to_read(session: AsyncSession, rect: Rectification) -> RectificationRead:
    """The API view of a rectification with its items."""
    return _read(rect, await items_of(session, rect_id=rect.id))


def _read(rect: Rectification, items: list[RectificationItem]) -> RectificationRead:
    now = utcnow()
    facts = rect.model_dump()
    facts.update(items=[_item(i, now) for i in items], report_url=report_path(rect.id))
    return RectificationRead.model_validate(facts)


def is_overdue(item: RectificationItem, now: datetime) -> bool:
    """True when an open item is past its due time."""
    return item.status == rules.ItemStatus.OPEN and item.due_at < now


def _item(row: RectificationItem, now: datetime) -> ItemRead:
    return ItemRead.model_validate({**row.model_dump(), "overdue": is_overdue(row, now)})
