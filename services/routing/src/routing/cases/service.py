"""Reading cases and taking hold of one to change it: take a session, never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.access import CASE_ROLES
from routing.cases import rules
from routing.cases.models import AssignmentNotice, Case, CaseEntry, TransmittalSlip
from routing.cases.schemas import CaseDetail, CaseRead, EntryRead, NoticeRead, SlipRead
from routing.organisation import service as organisation
from routing.organisation.rules import LEVELS, Level
from shared.clock import utcnow
from shared.http.auth import Principal, Role
from shared.http.errors import NotFoundError, ProblemError

T = TypeVar("T", CaseEntry, TransmittalSlip, AssignmentNotice)


class CaseBusy(Exception):
    """Another transaction holds the case; a timer tries again a moment later."""


async def lock(session: AsyncSession, *, case_id: str, principal: Principal) -> Case:
    """The case, locked for this transaction; 404 when missing or on another site."""
    case = await session.scalar(select(Case).where(col(Case.id) == case_id).with_for_update())
    if case is None:
        raise NotFoundError("Case", case_id)
    principal.visible("Case", case_id, case.site_id)
    return case


async def lock_for_routing(session: AsyncSession, *, case_id: str) -> Case | None:
    """The case, locked without waiting (None when it does not exist; CaseBusy when held).

    Timers hold their own row locked while they run; waiting here for a request that in
    turn waits for that timer row would deadlock.
    """
    query = select(Case).where(col(Case.id) == case_id)
    case = await session.scalar(query.with_for_update(skip_locked=True))
    if case is None and await session.scalar(select(col(Case.id)).where(col(Case.id) == case_id)):
        raise CaseBusy(f"case {case_id} is being changed")
    return case


async def find_by_complaint(session: AsyncSession, *, complaint_id: str) -> Case | None:
    """The case of a complaint, locked for this transaction, if it was opened."""
    query = select(Case).where(col(Case.complaint_id) == complaint_id).with_for_update()
    return await session.scalar(query)


async def standing(session: AsyncSession, *, case: Case, actor: str) -> rules.Standing:
    """Which levels of the case's chain `actor` holds."""
    chain = await organisation.chain_for(
        session, site_id=case.site_id, department=case.department, handler_id=case.handler_id
    )
    member = await organisation.membership(session, site_id=case.site_id, staff_id=actor)
    return rules.standing_of(actor, chain=chain, in_department=member.department == case.department)


def decide(action: rules.Action, case: Case, standing: rules.Standing | None) -> rules.Status:
    """The case's next status, or the 403/409 problem that says why not."""
    try:
        return rules.decide(action, state_of(case), standing)
    except rules.Refused as exc:
        raise ProblemError(
            exc.status, exc.detail, zh=exc.zh, action=action.value, case_status=case.status
        ) from exc


def state_of(case: Case) -> rules.CaseState:
    """The decision-relevant state of a case."""
    return rules.CaseState(
        status=rules.Status(case.status),
        level=_level(case.level),
        validity=case.validity,
        invalid_reason=case.invalid_reason,
        answered_immediately=case.answered_immediately,
    )


def _level(value: str) -> Level:
    for level in LEVELS:
        if level == value:
            return level
    raise ValueError(f"unknown level {value}")


async def get_detail(session: AsyncSession, *, case_id: str, principal: Principal) -> CaseDetail:
    """The case with its history, slips and notices; 404 when not visible."""
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFoundError("Case", case_id)
    principal.visible("Case", case_id, case.site_id)
    return CaseDetail(
        **to_read(case).model_dump(),
        description=case.description,
        received_at=case.received_at,
        actions=await actions_for(session, case=case, principal=principal),
        history=[_entry(e) for e in await history_of(session, case_id=case_id)],
        slips=[_slip(s) for s in await slips_of(session, case_id=case_id)],
        notices=[_notice(n) for n in await notices_of(session, case_id=case_id)],
    )


async def actions_for(session: AsyncSession, *, case: Case, principal: Principal) -> list[str]:
    """The human actions the principal may take on the case now, in the order a page offers them."""
    if not principal.has_any(*CASE_ROLES, Role.ADMIN):
        return []  # the action routes refuse such a caller before the case is even read
    mine = await standing(session, case=case, actor=principal.sub)
    return [action.value for action in rules.available_actions(state_of(case), mine)]


async def history_of(session: AsyncSession, *, case_id: str) -> list[CaseEntry]:
    """The case's events, in version order."""
    return await _all(session, CaseEntry, case_id, CaseEntry.version)


async def slips_of(session: AsyncSession, *, case_id: str) -> list[TransmittalSlip]:
    """The case's transmittal slips, oldest first."""
    return await _all(session, TransmittalSlip, case_id, TransmittalSlip.id)


async def notices_of(session: AsyncSession, *, case_id: str) -> list[AssignmentNotice]:
    """The case's work assignment notices, oldest first."""
    return await _all(session, AssignmentNotice, case_id, AssignmentNotice.id)


async def _all(session: AsyncSession, model: type[T], case_id: str, order: Any) -> list[T]:
    query = select(model).where(col(model.case_id) == case_id).order_by(col(order))
    return list(await session.scalars(query))


def to_read(case: Case) -> CaseRead:
    """The API view of a case."""
    facts = case.model_dump()
    facts.update(
        handler=case.handler_id,
        owner=case.owner_id,
        overdue=is_overdue(case),
        summary=rules.summary_of(case.description),
    )
    return CaseRead.model_validate(facts)


def is_overdue(case: Case) -> bool:
    """True when an open case is past a deadline it has not met."""
    now = utcnow()
    unacknowledged = case.status == rules.Status.ASSIGNED and _past(case.acknowledge_due_at, now)
    unresolved = case.status in rules.OPEN_STATUSES and case.status != rules.Status.WITH_DEVELOPER
    return unacknowledged or (unresolved and _past(case.resolve_due_at, now))


def _past(due: datetime | None, now: datetime) -> bool:
    return due is not None and due < now


def _entry(row: CaseEntry) -> EntryRead:
    return EntryRead(version=row.version, type=row.type, actor=row.actor, at=row.at, data=row.data)


def _slip(row: TransmittalSlip) -> SlipRead:
    return SlipRead.model_validate(row, from_attributes=True)


def _notice(row: AssignmentNotice) -> NoticeRead:
    return NoticeRead.model_validate({**row.model_dump(), "handler": row.handler_id})
