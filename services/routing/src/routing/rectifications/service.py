"""Reading rectifications and taking hold of one to change it: take a session, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import paging
from routing.access import CASE_ROLES, MANAGER_ROLES
from routing.cases.models import Case
from routing.organisation import service as organisation
from routing.rectifications import rules
from routing.rectifications.models import Rectification, RectificationEntry, RectificationItem
from routing.rectifications.schemas import (
    EntryRead,
    ItemRead,
    RectificationDetail,
    RectificationRead,
)
from shared.clock import utcnow
from shared.http.auth import Principal, Role
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
    overdue: bool | None = None


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
            409, exc.detail, zh=exc.zh, action=action.value, rectification_status=rect.status
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


async def reporter_of(
    session: AsyncSession, *, site_id: str, principal: Principal
) -> rules.Reporter:
    """Where the principal stands towards the teams of a site (for reporting on items)."""
    member = await organisation.membership(session, site_id=site_id, staff_id=principal.sub)
    return rules.Reporter(
        department=member.department,
        heads=member.heads,
        leader=member.is_vp or member.is_gm,
        admin=principal.has_any(Role.ADMIN),
    )


async def get_detail(
    session: AsyncSession, *, rect_id: str, principal: Principal
) -> RectificationDetail:
    """The rectification with its items and history, and what the principal may do now."""
    rect = await get_visible(session, rect_id=rect_id, principal=principal)
    read = await to_read(session, rect)
    history = [
        EntryRead.model_validate(e, from_attributes=True)
        for e in await history_of(session, rect_id=rect_id)
    ]
    actions, reportable = await _may(session, rect, read, principal)
    return RectificationDetail(
        **read.model_dump(), history=history, actions=actions, reportable=reportable
    )


async def _may(
    session: AsyncSession, rect: Rectification, read: RectificationRead, principal: Principal
) -> tuple[list[str], list[int]]:
    """The decisions and the item reports the routes would let the principal make now."""
    status = rules.Status(rect.status)
    manager = principal.has_any(*MANAGER_ROLES, Role.ADMIN)
    actions = rules.acceptance_actions(status, manager=manager)
    if not principal.has_any(*CASE_ROLES, Role.ADMIN):
        return actions, []
    reporter = await reporter_of(session, site_id=rect.site_id, principal=principal)
    items = [(i.position, i.team, rules.ItemStatus(i.status)) for i in read.items]
    return actions, rules.reportable(status, items, reporter)


def overdue_clause(overdue: bool, now: datetime) -> ColumnElement[bool]:
    """Rectifications that are overdue (or, with False, that are not): see `rules.is_overdue`."""
    late_item = exists().where(
        col(RectificationItem.rectification_id) == col(Rectification.id),
        col(RectificationItem.status) == rules.ItemStatus.OPEN,
        col(RectificationItem.due_at) < now,
    )
    late = and_(
        col(Rectification.status) != rules.Status.ACCEPTED,
        or_(col(Rectification.due_at) < now, late_item),
    )
    return late if overdue else not_(late)


async def list_rectifications(
    session: AsyncSession, *, principal: Principal, filters: Filters, limit: int, cursor: str | None
) -> Page[RectificationRead]:
    """One page of rectifications on the principal's sites, oldest first."""
    wanted = {k: v for k, v in vars(filters).items() if v is not None and k != "overdue"}
    query = select(Rectification).where(
        principal.site_filter(col(Rectification.site_id)),
        *(col(getattr(Rectification, k)) == v for k, v in wanted.items()),
    )
    if filters.overdue is not None:
        query = query.where(overdue_clause(filters.overdue, utcnow()))
    later = paging.after(cursor, col(Rectification.opened_at), col(Rectification.id))
    if later is not None:
        query = query.where(later)
    query = query.order_by(col(Rectification.opened_at), col(Rectification.id)).limit(limit + 1)
    rows = list(await session.scalars(query))
    plans = await _items_of_many(session, [r.id for r in rows])
    references = await _references(session, [r.case_id for r in rows if r.case_id])
    items = [_read(r, plans.get(r.id, []), references) for r in rows]
    return page_of(items, limit=limit, key=lambda r: (r.opened_at.isoformat(), r.id))


async def _references(session: AsyncSession, case_ids: list[str]) -> dict[str, str]:
    """The references of the cases rectifications came from, in one query."""
    if not case_ids:
        return {}
    query = select(col(Case.id), col(Case.reference)).where(col(Case.id).in_(set(case_ids)))
    return {str(i): str(r) for i, r in (await session.execute(query)).all()}


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
    references = await _references(session, [rect.case_id] if rect.case_id else [])
    return _read(rect, await items_of(session, rect_id=rect.id), references)


def _read(
    rect: Rectification, items: list[RectificationItem], references: dict[str, str]
) -> RectificationRead:
    now = utcnow()
    read = [_item(i, now) for i in items]
    overdue = rules.is_overdue(
        rules.Status(rect.status), rect.due_at, late_items=any(i.overdue for i in read), now=now
    )
    facts = rect.model_dump()
    facts.update(items=read, report_url=report_path(rect.id), overdue=overdue)
    facts.update(case_reference=references.get(rect.case_id or ""))
    return RectificationRead.model_validate(facts)


def is_overdue(item: RectificationItem, now: datetime) -> bool:
    """True when an open item is past its due time."""
    return item.status == rules.ItemStatus.OPEN and item.due_at < now


def _item(row: RectificationItem, now: datetime) -> ItemRead:
    return ItemRead.model_validate({**row.model_dump(), "overdue": is_overdue(row, now)})
