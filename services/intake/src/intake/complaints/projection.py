"""The complaint as others' events move it: every case event goes on its timeline in the
case's version order and moves its status; a callback's outcome and a message sent about
it go on its timeline. The handlers of the events intake consumes; they never commit.

Case events are applied strictly in the case's version order (`ordering.apply_in_order`):
an early one is retried by the consumer until the one before it has been applied, a
repeated one is skipped. The complaint's status moves only with case events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake import metrics
from intake.complaints import rules
from intake.complaints.models import complaint
from intake.timeline import service as timeline
from shared.bus import ordering
from shared.contracts.base import Envelope, Event
from shared.contracts.notify import CallbackCompleted, NotificationSent
from shared.contracts.routing import CaseEvent
from shared.db.engine import after_commit
from shared.logging import get_logger

log = get_logger(__name__)


class UnknownComplaintError(LookupError):
    """An event names a complaint intake does not have (or of another site)."""


async def on_case_event(event: CaseEvent, *, session: AsyncSession, envelope: Envelope) -> None:
    """Any case.* event: on the timeline in case-version order; moves the status."""
    current = await _complaint(session, event.complaint_id, event.site_id)
    fresh = await _in_order(session, envelope)
    _count(session, event.type, fresh)
    if not fresh:
        return
    await timeline.record(
        session, timeline.entry_of(event, envelope, at=event.at, actor=event.actor)
    )
    status = rules.next_status(
        current.status, event.type, already_resolved=bool(getattr(event, "already_resolved", False))
    )
    values: dict[str, Any] = {"status": status, "case_id": event.case_id}
    values["closed_at"] = rules.closed_at(
        current.status, status, at=event.at, was=current.closed_at
    )
    if department := getattr(event, "department", None):
        values["department"] = str(department)[:100]
    await session.execute(
        update(complaint).where(complaint.c.id == event.complaint_id).values(values)
    )


async def on_callback_completed(
    event: CallbackCompleted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A return visit's outcome, on the timeline (routing closes or reopens the case)."""
    await _noted(
        session, event, envelope, event.complaint_id, event.site_id, event.completed_at, event.by
    )


async def on_notification_sent(
    event: NotificationSent, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A message about a complaint went out; messages about nothing in particular are skipped."""
    if event.complaint_id is not None:
        await _noted(session, event, envelope, event.complaint_id, event.site_id, event.sent_at)


async def _noted(
    session: AsyncSession,
    event: Event,
    envelope: Envelope,
    complaint_id: str,
    site_id: str,
    at: datetime,
    actor: str | None = None,
) -> None:
    await _complaint(session, complaint_id, site_id)
    entry = timeline.entry_of(event, envelope, at=at, actor=actor, complaint_id=complaint_id)
    await timeline.record(session, entry)
    _count(session, event.type, True)


async def _complaint(session: AsyncSession, complaint_id: str, site_id: str) -> Any:
    # Locked: a withdrawal racing a case event must not be overwritten by it.
    row = (
        await session.execute(
            select(complaint.c.status, complaint.c.site_id, complaint.c.closed_at)
            .where(complaint.c.id == complaint_id)
            .with_for_update()
        )
    ).first()
    if row is None or row.site_id != site_id:
        raise UnknownComplaintError(f"complaint {complaint_id} of site {site_id} is not known")
    return row


async def _in_order(session: AsyncSession, envelope: Envelope) -> bool:
    if envelope.aggregate_id is None or envelope.aggregate_version is None:
        log.warning("case event without aggregate version; applied unordered")
        return True
    return await ordering.apply_in_order(
        session, aggregate_id=envelope.aggregate_id, version=envelope.aggregate_version
    )


def _count(session: AsyncSession, event_type: str, applied: bool) -> None:
    outcome = "applied" if applied else "stale"
    after_commit(session, metrics.timeline_events.labels(event_type, outcome).inc)
