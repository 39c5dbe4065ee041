"""What staff do to a rectification (DESIGN.md §1 rule 8): take a session, never commit.

Opening fixes the problem, the measures, the completion time and the plan; each team
reports on its item; the last item done submits the work for acceptance (验收), which
accepts it or rejects it back to the teams. Each step emits one event.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.cases import rules as case_rules
from routing.cases import service as cases
from routing.cases.events import emit_new as emit_case_event
from routing.cases.models import Case
from routing.organisation import service as organisation
from routing.rectifications import rules, service
from routing.rectifications.events import emit, emit_new
from routing.rectifications.models import Rectification, RectificationItem
from routing.rectifications.schemas import AcceptIn, ItemIn, RectificationCreate, RejectIn, ReportIn
from shared import timers
from shared.clock import utcnow
from shared.contracts.routing import (
    CaseProgressed,
    PlanItem,
    RectificationAccepted,
    RectificationItemReported,
    RectificationOpened,
    RectificationRejected,
    RectificationSubmitted,
)
from shared.http.auth import Principal
from shared.http.errors import NotFoundError, ProblemError
from shared.logging import get_logger

log = get_logger(__name__)
A = rules.Action


async def open_rectification(
    session: AsyncSession, *, principal: Principal, body: RectificationCreate
) -> Rectification:
    """Open a rectification from a case, a staff finding, or on a manager's own account."""
    case = await _source_case(session, body, principal)
    site_id = case.site_id if case is not None else str(body.site_id)
    principal.may_act_on(site_id)
    await _check_plan(session, site_id, body)
    rect = _new(body, site_id=site_id, case=case, by=principal.sub)
    session.add(rect)
    await session.flush()  # the items and the history name it
    items = [_item(rect, position, spec) for position, spec in enumerate(body.items, start=1)]
    session.add_all(items)
    for item in items:
        await _arm(session, rect, item)
    await _announce(session, rect, items, principal.sub)
    return rect


async def _announce(
    session: AsyncSession, rect: Rectification, items: list[RectificationItem], actor: str
) -> None:
    plan = [PlanItem(position=i.position, team=i.team, task=i.task, due_at=i.due_at) for i in items]
    facts = rect.model_dump(include={"origin", "case_id", "complaint_id", "title", "problem"})
    facts.update(measures=rect.measures, due_at=rect.due_at, items=plan)
    await emit_new(session, rect, RectificationOpened, actor=actor, **facts)


async def _source_case(
    session: AsyncSession, body: RectificationCreate, principal: Principal
) -> Case | None:
    if body.case_id is None:
        return None
    case = await session.get(Case, body.case_id)
    if case is None:
        raise NotFoundError("Case", body.case_id)
    principal.visible("Case", body.case_id, case.site_id)
    if body.site_id is not None and body.site_id != case.site_id:
        raise ProblemError(
            422,
            f"Case {case.id} belongs to site {case.site_id}, not {body.site_id}",
            zh=f"投诉案件 {case.id} 属于管理处 {case.site_id}，不属于 {body.site_id}",
        )
    return case


async def _check_plan(session: AsyncSession, site_id: str, body: RectificationCreate) -> None:
    if body.due_at <= utcnow():
        raise ProblemError(
            422, "The completion time must be in the future", zh="整改完成时间必须是将来的时间"
        )
    for team in sorted({item.team for item in body.items}):
        if not await organisation.department_exists(session, site_id=site_id, code=team):
            raise ProblemError(
                422,
                f"Site {site_id} has no department {team} to form a team",
                zh=f"管理处 {site_id} 没有部门 {team}，无法组成整改小组",
            )


def _new(body: RectificationCreate, *, site_id: str, case: Case | None, by: str) -> Rectification:
    now = utcnow()
    ident = uuid.uuid4().hex
    return Rectification(
        id=ident,
        number=f"ZG-{now:%Y%m%d}-{ident[:8].upper()}",
        site_id=site_id,
        origin=_origin(case),
        case_id=case.id if case else None,
        complaint_id=case.complaint_id if case else None,
        correlation_id=case.correlation_id if case else None,
        title=body.title,
        problem=body.problem,
        measures=body.measures,
        due_at=body.due_at,
        status=rules.Status.IN_PROGRESS,
        opened_by=by,
        opened_at=now,
        updated_at=now,
    )


def _origin(case: Case | None) -> str:
    if case is None:
        return "manager"
    staff_found = case.channel == "staff_finding" or case.reporter_type == "staff"
    return "finding" if staff_found else "case"


def _item(rect: Rectification, position: int, spec: ItemIn) -> RectificationItem:
    return RectificationItem(
        rectification_id=rect.id,
        position=position,
        team=spec.team,
        task=spec.task,
        due_at=spec.due_at,
        status=rules.ItemStatus.OPEN,
    )


async def _arm(session: AsyncSession, rect: Rectification, item: RectificationItem) -> None:
    """One timer per item, at its due time: an item still open then is escalated once."""
    await timers.schedule(
        session,
        kind=service.ITEM_TIMER,
        key=service.timer_key(rect.id, item.position),
        due_at=item.due_at,
        site_id=rect.site_id,
    )


async def report_item(
    session: AsyncSession, *, rect_id: str, position: int, principal: Principal, body: ReportIn
) -> Rectification:
    """A team reports on its item; the last item done submits the work for acceptance."""
    rect = await service.lock(session, rect_id=rect_id, principal=principal)
    items = await service.items_of(session, rect_id=rect_id)
    item = next((i for i in items if i.position == position), None)
    if item is None:
        raise ProblemError(
            404, f"Rectification item {position} does not exist", zh=f"整改项 {position} 不存在"
        )
    await _check_reporter(session, rect, item, principal)
    open_items = sum(1 for i in items if i.status == rules.ItemStatus.OPEN)
    steps = rules.after_report(done=body.done, open_items=open_items)
    rect.status = service.decide(steps[0], rect, item)
    item.reports += 1
    if body.done:
        item.status, item.done_at = rules.ItemStatus.DONE, utcnow()
        await timers.cancel(
            session, kind=service.ITEM_TIMER, key=service.timer_key(rect.id, position)
        )
    facts = {"position": position, "team": item.team, "note": body.note, "done": body.done}
    await emit_new(session, rect, RectificationItemReported, actor=principal.sub, **facts)
    if A.SUBMIT in steps:
        await _submit(session, rect, len(items))
    return rect


async def _check_reporter(
    session: AsyncSession, rect: Rectification, item: RectificationItem, principal: Principal
) -> None:
    reporter = await service.reporter_of(session, site_id=rect.site_id, principal=principal)
    if not rules.may_report(reporter, item.team):
        raise ProblemError(
            403,
            f"Only the {item.team} team, its head and the site's leaders report on this item",
            zh=f"只有 {item.team} 整改小组、其部门负责人和管理处领导可以汇报此整改项",
        )


async def _submit(session: AsyncSession, rect: Rectification, items: int) -> None:
    rect.status = service.decide(A.SUBMIT, rect)
    rect.submitted_at = utcnow()
    await emit_new(session, rect, RectificationSubmitted, actor=None, items=items)


async def accept_rectification(
    session: AsyncSession, *, rect_id: str, principal: Principal, body: AcceptIn
) -> Rectification:
    """The work passed acceptance: every department hears of it, and the case moves on."""
    rect = await service.lock(session, rect_id=rect_id, principal=principal)
    rect.status = service.decide(A.ACCEPT, rect)
    now = utcnow()
    rect.accepted_by, rect.accepted_at, rect.acceptance_note = principal.sub, now, body.note
    items = await service.items_of(session, rect_id=rect_id)
    event = RectificationAccepted(
        rectification_id=rect.id,
        number=rect.number,
        site_id=rect.site_id,
        title=rect.title,
        problem=rect.problem,
        measures=rect.measures,
        case_id=rect.case_id,
        complaint_id=rect.complaint_id,
        items=len(items),
        accepted_by=principal.sub,
        accepted_at=now,
        report_url=service.report_path(rect.id),
    )
    await emit(session, rect, event, actor=principal.sub, at=now)
    await _case_moves_on(session, rect, principal.sub)
    return rect


async def _case_moves_on(session: AsyncSession, rect: Rectification, actor: str) -> None:
    """Tell the resident, through the case's own history, that the rectification was accepted."""
    if rect.case_id is None:
        return
    query = select(Case).where(col(Case.id) == rect.case_id).with_for_update()
    case = await session.scalar(query)
    if case is None:
        return
    try:
        case_rules.next_status(case_rules.Action.PROGRESS, cases.state_of(case))
    except case_rules.IllegalTransition:
        log.info("case no longer open; rectification noted on it only", case_id=case.id)
        return
    note = f"整改已验收（{rect.number}）：{rect.title} / Rectification {rect.number} accepted"
    await emit_case_event(session, case, CaseProgressed, actor=actor, note=note)


async def reject_rectification(
    session: AsyncSession, *, rect_id: str, principal: Principal, body: RejectIn
) -> Rectification:
    """The work failed acceptance: the named items (all by default) go back to their teams."""
    rect = await service.lock(session, rect_id=rect_id, principal=principal)
    rect.status = service.decide(A.REJECT, rect)
    if body.due_at is not None and body.due_at <= utcnow():
        raise ProblemError(
            422, "The new due time must be in the future", zh="新的完成时限必须是将来的时间"
        )
    items = await service.items_of(session, rect_id=rect_id)
    chosen = _chosen(items, body.items)
    for item in chosen:
        await _reopen(session, rect, item, body)
    rect.rejections += 1
    rect.submitted_at = None
    if body.due_at is not None and body.due_at > rect.due_at:
        rect.due_at = body.due_at
    reopened = [i.position for i in chosen]
    await emit_new(
        session,
        rect,
        RectificationRejected,
        actor=principal.sub,
        reason=body.reason,
        reopened=reopened,
        due_at=body.due_at,
    )
    return rect


def _chosen(items: list[RectificationItem], positions: list[int] | None) -> list[RectificationItem]:
    if positions is None:
        return items
    unknown = sorted(set(positions) - {i.position for i in items})
    if unknown or not positions:
        raise ProblemError(
            422,
            f"Name items of the plan to reopen; unknown: {unknown}",
            zh=f"请指明要重新整改的整改项；不在整改计划中的：{unknown}",
        )
    return [i for i in items if i.position in set(positions)]


async def _reopen(
    session: AsyncSession, rect: Rectification, item: RectificationItem, body: RejectIn
) -> None:
    item.status, item.done_at = rules.ItemStatus.OPEN, None
    if body.due_at is not None:
        # A new deadline may be missed again: it escalates once more, one level higher.
        item.due_at, item.overdue_at = body.due_at, None
    await _arm(session, rect, item)
