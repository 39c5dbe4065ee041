"""Retention: personal data of finished cases, rectifications and actions is replaced.

A case is finished when it is closed (`closed_at`) or withdrawn (its last change); a
rectification when it was accepted; a corrective action when it was verified. What stays:
ids, site, channel, kind, category, severity, status, validity, levels, departments, staff
ids and times, and the escalations' levels and reasons, so the complaint report still
counts every case. A record is done once: its required text then holds the marker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases.models import AssignmentNotice, Case, CaseEntry, TransmittalSlip
from routing.corrective.models import CorrectiveAction
from routing.rectifications.models import Rectification, RectificationEntry, RectificationItem
from routing.retention import rules
from shared.db.typed import table_of
from shared.retention import MARKER, masked, masked_fields

CASE: Table = table_of(Case)
ENTRY: Table = table_of(CaseEntry)
SLIP: Table = table_of(TransmittalSlip)
NOTICE: Table = table_of(AssignmentNotice)
RECT: Table = table_of(Rectification)
RECT_ITEM: Table = table_of(RectificationItem)
RECT_ENTRY: Table = table_of(RectificationEntry)
ACTION: Table = table_of(CorrectiveAction)


@dataclass(frozen=True)
class Anonymised:
    cases: int
    rectifications: int
    corrective_actions: int


async def anonymise_site(session: AsyncSession, *, site_id: str, cutoff: datetime) -> Anonymised:
    """Anonymise the site's cases, rectifications and actions finished before `cutoff`."""
    return Anonymised(
        cases=await _anonymise_cases(session, site_id, cutoff),
        rectifications=await _anonymise_rectifications(session, site_id, cutoff),
        corrective_actions=await _anonymise_actions(session, site_id, cutoff),
    )


def _expired_cases(site_id: str, cutoff: datetime) -> ColumnElement[bool]:
    c = CASE.c
    finished = or_(c.closed_at < cutoff, and_(c.status == "withdrawn", c.updated_at < cutoff))
    return and_(c.site_id == site_id, finished, c.description != MARKER)


async def _ids(session: AsyncSession, table: Table, where: ColumnElement[bool]) -> list[str]:
    return list((await session.scalars(select(table.c.id).where(where))).all())


async def _anonymise_cases(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    ids = await _ids(session, CASE, _expired_cases(site_id, cutoff))
    if not ids:
        return 0
    await _mask_history(session, ENTRY, ENTRY.c.case_id.in_(ids), rules.case_entry)
    await session.execute(
        update(SLIP)
        .where(SLIP.c.case_id.in_(ids))
        .values(reason=MARKER, decision=masked(SLIP.c.decision), outcome=masked(SLIP.c.outcome))
    )
    await session.execute(
        update(NOTICE)
        .where(NOTICE.c.case_id.in_(ids))
        .values(instructions=MARKER, outcome=masked(NOTICE.c.outcome))
    )
    await session.execute(
        update(CASE)
        .where(CASE.c.id.in_(ids))
        .values(
            description=MARKER,
            location=masked(CASE.c.location),
            result=masked(CASE.c.result),
            reply=masked(CASE.c.reply),
        )
    )
    return len(ids)


async def _anonymise_rectifications(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    r = RECT.c
    expired = and_(r.site_id == site_id, r.accepted_at < cutoff, r.problem != MARKER)
    ids = await _ids(session, RECT, expired)
    if not ids:
        return 0
    await _mask_history(
        session,
        RECT_ENTRY,
        RECT_ENTRY.c.rectification_id.in_(ids),
        lambda _type, data: rules.rectification_entry(data),
    )
    await session.execute(
        update(RECT_ITEM).where(RECT_ITEM.c.rectification_id.in_(ids)).values(task=MARKER)
    )
    await session.execute(
        update(RECT)
        .where(r.id.in_(ids))
        .values(
            title=MARKER,
            problem=MARKER,
            measures=MARKER,
            acceptance_note=masked(r.acceptance_note),
        )
    )
    return len(ids)


async def _anonymise_actions(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    a = ACTION.c
    # Verified not effective, an action goes back to be planned: only a verified one is done.
    verified = and_(a.status == "verified", a.verified_at < cutoff)
    expired = and_(a.site_id == site_id, verified, a.problem != MARKER)
    rows = (await session.execute(select(a.id, a.verification).where(expired))).all()
    for row in rows:
        await session.execute(
            update(ACTION)
            .where(a.id == row.id)
            .values(
                problem=MARKER,
                analysis=masked(a.analysis),
                action=masked(a.action),
                completion_note=masked(a.completion_note),
                verification=masked_fields(row.verification or {}, ["note"]),
            )
        )
    return len(rows)


async def _mask_history(
    session: AsyncSession,
    table: Table,
    where: ColumnElement[bool],
    mask: Callable[[str, dict[str, Any]], dict[str, Any]],
) -> None:
    rows: Sequence[Any] = (
        await session.execute(select(table.c.seq, table.c.type, table.c.data).where(where))
    ).all()
    changed = [{"key": r.seq, "masked": mask(r.type, dict(r.data or {}))} for r in rows]
    if changed:
        statement = (
            update(table)
            .where(table.c.seq == bindparam("key"))
            .values(data=bindparam("masked"))
            .execution_options(synchronize_session=False)
        )
        await session.execute(statement, changed)
