"""Reading corrective actions and taking hold of one to change it: never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, not_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import paging
from routing.access import CASE_ROLES, MANAGER_ROLES
from routing.cases.models import Case
from routing.corrective import rules
from routing.corrective.models import CorrectiveAction, CorrectiveActionCase
from routing.corrective.schemas import ActionDetail, ActionRead, CaseLink
from shared.clock import utcnow
from shared.http.auth import Principal, Role
from shared.http.errors import NotFoundError, ProblemError
from shared.http.pagination import Page, page_of

VERIFY_TIMER = "corrective-verify"


class ActionBusy(Exception):
    """Another transaction holds the action; a timer tries again a moment later."""


@dataclass(frozen=True)
class Filters:
    """What a list of actions can be narrowed to."""

    site_id: str | None = None
    status: str | None = None
    kind: str | None = None
    source: str | None = None
    category: str | None = None
    topic: str | None = None
    overdue: bool | None = None


async def lock(session: AsyncSession, *, action_id: str, principal: Principal) -> CorrectiveAction:
    """The action, locked for this transaction; 404 when missing or on another site."""
    query = select(CorrectiveAction).where(col(CorrectiveAction.id) == action_id)
    action = await session.scalar(query.with_for_update())
    if action is None:
        raise NotFoundError("Corrective action", action_id)
    principal.visible("Corrective action", action_id, action.site_id)
    return action


async def lock_for_routing(session: AsyncSession, *, action_id: str) -> CorrectiveAction | None:
    """The action, locked without waiting (None when missing; ActionBusy when held)."""
    query = select(CorrectiveAction).where(col(CorrectiveAction.id) == action_id)
    action = await session.scalar(query.with_for_update(skip_locked=True))
    if action is None and await session.scalar(
        select(col(CorrectiveAction.id)).where(col(CorrectiveAction.id) == action_id)
    ):
        raise ActionBusy(f"corrective action {action_id} is being changed")
    return action


def decide(step: rules.Action, action: CorrectiveAction) -> rules.Status:
    """The next status, or the 409 problem that says why not."""
    try:
        return rules.next_status(step, rules.Status(action.status))
    except rules.IllegalTransition as exc:
        raise ProblemError(
            409, exc.detail, zh=exc.zh, action=step.value, action_status=action.status
        ) from exc


async def get_detail(
    session: AsyncSession, *, action_id: str, principal: Principal
) -> ActionDetail:
    """One action with its cases and the principal's next steps; 404 when not visible."""
    action = await session.get(CorrectiveAction, action_id)
    if action is None:
        raise NotFoundError("Corrective action", action_id)
    principal.visible("Corrective action", action_id, action.site_id)
    read = await to_read(session, action)
    return ActionDetail(
        **read.model_dump(),
        cases=await _cases(session, read.case_ids),
        actions=steps_for(action, principal),
    )


def steps_for(action: CorrectiveAction, principal: Principal) -> list[str]:
    """The steps the principal may take on the action now (as the routes would decide)."""
    worker = principal.has_any(*CASE_ROLES, Role.ADMIN)
    completes = worker and rules.may_complete(
        owner=principal.sub == action.owner, manager=principal.has_any(*MANAGER_ROLES)
    )
    return rules.available(
        rules.Status(action.status),
        manager=principal.has_any(*MANAGER_ROLES, Role.ADMIN),
        completes=completes,
    )


async def _cases(session: AsyncSession, case_ids: list[str]) -> list[CaseLink]:
    """The cases an action came from, oldest first, in one query."""
    if not case_ids:
        return []
    query = (
        select(Case).where(col(Case.id).in_(case_ids)).order_by(col(Case.received_at), col(Case.id))
    )
    return [CaseLink.model_validate(c, from_attributes=True) for c in await session.scalars(query)]


def overdue_clause(overdue: bool, now: datetime) -> ColumnElement[bool]:
    """Actions not yet carried out past their due time (or, with False, the others)."""
    late = and_(
        col(CorrectiveAction.status).in_(sorted(rules.NOT_CARRIED_OUT)),
        col(CorrectiveAction.due_at).is_not(None),
        col(CorrectiveAction.due_at) < now,
    )
    return late if overdue else not_(late)


async def list_actions(
    session: AsyncSession, *, principal: Principal, filters: Filters, limit: int, cursor: str | None
) -> Page[ActionRead]:
    """One page of actions on the principal's sites, oldest first."""
    wanted = {k: v for k, v in vars(filters).items() if v is not None and k != "overdue"}
    query = select(CorrectiveAction).where(
        principal.site_filter(col(CorrectiveAction.site_id)),
        *(col(getattr(CorrectiveAction, k)) == v for k, v in wanted.items()),
    )
    if filters.overdue is not None:
        query = query.where(overdue_clause(filters.overdue, utcnow()))
    later = paging.after(cursor, col(CorrectiveAction.opened_at), col(CorrectiveAction.id))
    if later is not None:
        query = query.where(later)
    query = query.order_by(col(CorrectiveAction.opened_at), col(CorrectiveAction.id))
    rows = list(await session.scalars(query.limit(limit + 1)))
    cases = await _case_ids_of_many(session, [a.id for a in rows])
    items = [_read(a, cases.get(a.id, [])) for a in rows]
    return page_of(items, limit=limit, key=lambda a: (a.opened_at.isoformat(), a.id))


async def _case_ids_of_many(session: AsyncSession, ids: list[str]) -> dict[str, list[str]]:
    """The cases of many actions in one query, by action."""
    query = (
        select(col(CorrectiveActionCase.action_id), col(CorrectiveActionCase.case_id))
        .where(col(CorrectiveActionCase.action_id).in_(ids))
        .order_by(col(CorrectiveActionCase.action_id), col(CorrectiveActionCase.case_id))
    )
    found: dict[str, list[str]] = {}
    for action_id, case_id in (await session.execute(query)).all():
        found.setdefault(str(action_id), []).append(str(case_id))
    return found


async def to_read(session: AsyncSession, action: CorrectiveAction) -> ActionRead:
    """The API view of an action."""
    cases = await _case_ids_of_many(session, [action.id])
    return _read(action, cases.get(action.id, []))


def _read(action: CorrectiveAction, case_ids: list[str]) -> ActionRead:
    facts = action.model_dump()
    overdue = rules.is_overdue(rules.Status(action.status), action.due_at, utcnow())
    facts.update(overdue=overdue, case_ids=case_ids)
    return ActionRead.model_validate(facts)
