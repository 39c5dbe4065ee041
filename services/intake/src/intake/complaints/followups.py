"""Follow-ups from the resident: supplements and withdrawal, each an event. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.complaints import rules
from intake.complaints.models import complaint
from intake.complaints.queries import visible_row
from intake.complaints.schemas import ComplaintSummary, SupplementCreate, WithdrawalCreate
from intake.complaints.views import links
from intake.timeline import service as timeline
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.base import Event
from shared.contracts.intake import ComplaintSupplemented, ComplaintWithdrawn
from shared.http.auth import Principal
from shared.http.errors import ConflictError
from shared.words import value


async def _open_for_follow_up(
    session: AsyncSession, complaint_id: str, principal: Principal
) -> Any:
    row = await visible_row(session, complaint_id=complaint_id, principal=principal)
    if not rules.open_to_follow_up(row.status):
        status_zh = value("complaint_status", row.status, "zh")
        raise ConflictError(
            f"Complaint {row.reference} is {row.status}; it takes no follow-ups",
            zh=f"投诉 {row.reference} {status_zh}，不能再补充内容或撤回",
        )
    return row


async def _bump(session: AsyncSession, row: Any, **values: Any) -> int:
    """The complaint's next version, if it is still open (a racing writer may have won)."""
    version = await session.scalar(
        update(complaint)
        .where(complaint.c.id == row.id, complaint.c.status.not_in(sorted(rules.FINISHED)))
        .values(**values, version=complaint.c.version + 1)
        .returning(complaint.c.version)
    )
    if version is None:
        raise ConflictError(
            f"Complaint {row.reference} was finished meanwhile",
            zh=f"投诉 {row.reference} 刚刚已办结",
        )
    return int(version)


async def _publish(
    session: AsyncSession, row: Any, event: Event, version: int, **entry: Any
) -> None:
    message_id = await outbox.add(
        session,
        event,
        site_id=row.site_id,
        aggregate_id=row.id,
        aggregate_version=version,
        correlation_id=row.correlation_id,
    )
    await timeline.record(
        session,
        timeline.entry(
            complaint_id=row.id,
            event_id=message_id,
            type_=event.type,
            source="intake",
            aggregate_version=version,
            **entry,
        ),
    )


async def add_supplement(
    session: AsyncSession, *, complaint_id: str, data: SupplementCreate, by: Principal
) -> ComplaintSummary:
    """Add the resident's further information to an open complaint."""
    row = await _open_for_follow_up(session, complaint_id, by)
    now = utcnow()
    version = await _bump(session, row)
    added_by = data.added_by or by.name[:100]
    event = ComplaintSupplemented(
        complaint_id=row.id, site_id=row.site_id, text=data.text, added_by=added_by, added_at=now
    )
    await _publish(session, row, event, version, at=now, actor=added_by, detail=data.text)
    return ComplaintSummary(
        id=row.id,
        reference=row.reference,
        status=row.status,
        version=version,
        links=links(row._mapping),
    )


async def withdraw(
    session: AsyncSession, *, complaint_id: str, data: WithdrawalCreate, by: Principal
) -> ComplaintSummary:
    """The resident withdraws the complaint; it is finished."""
    row = await _open_for_follow_up(session, complaint_id, by)
    now = utcnow()
    version = await _bump(session, row, status=rules.WITHDRAWN, withdrawn_at=now, closed_at=now)
    event = ComplaintWithdrawn(
        complaint_id=row.id, site_id=row.site_id, reason=data.reason, withdrawn_at=now
    )
    await _publish(session, row, event, version, at=now, actor=by.name[:100], detail=data.reason)
    return ComplaintSummary(
        id=row.id,
        reference=row.reference,
        status=rules.WITHDRAWN,
        version=version,
        links=links(row._mapping),
    )
