"""What department heads and owners do to corrective/preventive actions: never commit.

A department head opens an action from one or many cases of one site, records the cause
and the action (the plan), the owner carries it out, and its effectiveness is verified:
by hand, by the next survey of its topic, or by the complaint count after it
(`routing.corrective.automatic`). Each step emits one event.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.access import MANAGER_ROLES
from routing.cases.models import Case
from routing.corrective import escalation, policy, rules, service
from routing.corrective.events import emit_new
from routing.corrective.models import CorrectiveAction, CorrectiveActionCase
from routing.corrective.schemas import CompleteIn, CorrectiveActionCreate, PlanIn, VerifyIn
from routing.organisation import service as organisation
from shared import timers
from shared.clock import utcnow
from shared.contracts.routing import (
    CorrectiveActionCompleted,
    CorrectiveActionOpened,
    CorrectiveActionPlanned,
    CorrectiveActionVerified,
)
from shared.http.auth import Principal
from shared.http.errors import ProblemError

A = rules.Action


def new_action(
    *, site_id: str, kind: str, source: str, problem: str, window_days: int, **facts: Any
) -> CorrectiveAction:
    """A new, open action (not yet added to the session)."""
    now = utcnow()
    ident = uuid.uuid4().hex
    return CorrectiveAction(
        id=ident,
        number=f"CA-{now:%Y%m%d}-{ident[:8].upper()}",
        site_id=site_id,
        kind=kind,
        source=source,
        problem=problem,
        status=rules.Status.OPEN,
        opened_at=now,
        updated_at=now,
        window_days=window_days,
        **facts,
    )


async def announce(
    session: AsyncSession, action: CorrectiveAction, case_ids: list[str], actor: str | None
) -> None:
    """Link the action's cases and emit corrective_action.opened."""
    session.add_all(CorrectiveActionCase(action_id=action.id, case_id=c) for c in case_ids)
    await emit_new(
        session,
        action,
        CorrectiveActionOpened,
        actor=actor,
        origin=action.source,
        problem=action.problem,
        case_ids=case_ids,
        **action.model_dump(include={"category", "topic", "campaign_id"}),
    )


async def open_from_cases(
    session: AsyncSession,
    *,
    principal: Principal,
    body: CorrectiveActionCreate,
    recurring: rules.RecurringPolicy,
) -> CorrectiveAction:
    """A department head opens an action from one or many cases of one site."""
    cases = await _cases(session, sorted(set(body.case_ids)), principal)
    site_id = cases[0].site_id
    principal.may_act_on(site_id)
    action = new_action(
        site_id=site_id,
        kind=body.kind,
        source="cases",
        problem=body.problem,
        window_days=recurring.window_days,
        category=body.category,
        topic=body.topic,
        opened_by=principal.sub,
    )
    if body.category is not None:
        action.complaints_before = await valid_complaints(
            session,
            site_id=site_id,
            category=body.category,
            since=action.opened_at - timedelta(days=action.window_days),
            until=action.opened_at,
        )
    session.add(action)
    await session.flush()  # the links name it
    await announce(session, action, [c.id for c in cases], principal.sub)
    if body.plan is not None:
        await _plan(session, action, body.plan, principal.sub)
    return action


async def _cases(session: AsyncSession, ids: list[str], principal: Principal) -> list[Case]:
    found = list(await session.scalars(select(Case).where(col(Case.id).in_(ids))))
    missing = sorted(set(ids) - {c.id for c in found if principal.sees(c.site_id)})
    if missing:
        raise ProblemError(
            404,
            f"Cases {missing} do not exist or are not visible to you",
            zh=f"投诉案件 {missing} 不存在，或您无权查看",
        )
    if len({c.site_id for c in found}) > 1:
        raise ProblemError(
            422,
            "An action is opened from the cases of one site",
            zh="一项措施只能由同一个管理处的投诉案件提出",
        )
    return found


async def valid_complaints(
    session: AsyncSession,
    *,
    site_id: str,
    category: str,
    since: datetime,
    until: datetime | None = None,
) -> int:
    """Valid complaints of a category at a site received in [since, until)."""
    query = (
        select(func.count())
        .select_from(Case)
        .where(
            col(Case.site_id) == site_id,
            col(Case.category) == category,
            col(Case.validity) == "valid",
            col(Case.received_at) >= since,
        )
    )
    if until is not None:
        query = query.where(col(Case.received_at) < until)
    return int(await session.scalar(query) or 0)


async def plan_action(
    session: AsyncSession, *, action_id: str, principal: Principal, body: PlanIn
) -> CorrectiveAction:
    """Record the cause, the action, its owner and due time (again, to revise them)."""
    action = await service.lock(session, action_id=action_id, principal=principal)
    await _plan(session, action, body, principal.sub)
    return action


async def _plan(session: AsyncSession, action: CorrectiveAction, body: PlanIn, actor: str) -> None:
    action.status = service.decide(A.PLAN, action)
    if body.due_at <= utcnow():
        raise ProblemError(422, "The due time must be in the future", zh="完成时限必须是将来的时间")
    member = await organisation.membership(session, site_id=action.site_id, staff_id=body.owner)
    if member.role is None:
        raise ProblemError(
            422,
            f"{body.owner} is not active staff of site {action.site_id}",
            zh=f"{body.owner} 不是管理处 {action.site_id} 的在职员工",
        )
    action.analysis, action.action = body.analysis, body.action
    action.owner, action.due_at = body.owner, body.due_at
    action.kind = body.kind or action.kind
    facts = body.model_dump(include={"analysis", "action", "owner", "due_at"})
    await escalation.arm(session, action, body.due_at)
    await emit_new(session, action, CorrectiveActionPlanned, actor=actor, **facts)


async def complete_action(
    session: AsyncSession, *, action_id: str, principal: Principal, body: CompleteIn
) -> CorrectiveAction:
    """The owner (or a manager) reports the action carried out; verification comes next."""
    action = await service.lock(session, action_id=action_id, principal=principal)
    owner, manager = principal.sub == action.owner, principal.has_any(*MANAGER_ROLES)
    if not rules.may_complete(owner=owner, manager=manager):
        raise ProblemError(
            403,
            "Only the action's owner or a manager reports it carried out",
            zh="只有该措施的负责人或管理人员可以报告完成",
        )
    action.status = service.decide(A.COMPLETE, action)
    action.completed_at, action.completion_note = utcnow(), body.note
    await timers.cancel(session, kind=escalation.DUE_TIMER, key=action.id)
    if action.category is not None:
        due = action.completed_at + timedelta(days=action.window_days)
        await timers.schedule(
            session, kind=service.VERIFY_TIMER, key=action.id, due_at=due, site_id=action.site_id
        )
    await emit_new(session, action, CorrectiveActionCompleted, actor=principal.sub, note=body.note)
    return action


async def verify_action(
    session: AsyncSession, *, action_id: str, principal: Principal, body: VerifyIn
) -> CorrectiveAction:
    """A department head records by hand whether the action was effective."""
    action = await service.lock(session, action_id=action_id, principal=principal)
    await record_verification(
        session,
        action,
        effective=body.effective,
        basis="manual",
        actor=principal.sub,
        note=body.note,
    )
    return action


async def record_verification(
    session: AsyncSession,
    action: CorrectiveAction,
    *,
    effective: bool,
    basis: str,
    actor: str | None,
    **figures: Any,
) -> None:
    """Verified effective closes the action; not effective sends it back to be planned."""
    action.status = service.decide(rules.verification(effective), action)
    action.verified_at, action.verified_by = utcnow(), actor
    action.effective, action.basis = effective, basis
    action.rate_after = figures.get("rate_after", action.rate_after)
    action.complaints_after = figures.get("complaints_after", action.complaints_after)
    action.verification = {k: v for k, v in figures.items() if v is not None}
    if effective:
        action.dedupe_key = _kept_key(action.dedupe_key)
    else:
        action.completed_at = None
    await timers.cancel(session, kind=service.VERIFY_TIMER, key=action.id)
    facts = {k: figures.get(k) for k in ("rate_after", "complaints_after", "note")}
    facts.update(rate_before=action.rate_before, target=action.target)
    facts.update(complaints_before=action.complaints_before)
    await emit_new(
        session,
        action,
        CorrectiveActionVerified,
        actor=actor,
        effective=effective,
        basis=basis,
        **facts,
    )


def _kept_key(key: str | None) -> str | None:
    """A survey's key stays for ever; a recurring problem's is freed to open a new action."""
    return None if key is not None and key.startswith(policy.KEY_PREFIX) else key
