"""Event handlers of the timeline: routing's case events and notify's notices."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from intake.timeline import service
from shared.contracts.base import Envelope
from shared.contracts.notify import CallbackCompleted, NotificationSent
from shared.contracts.routing import CaseEvent


async def on_case_event(event: CaseEvent, *, session: AsyncSession, envelope: Envelope) -> None:
    """Any case.* event: on the timeline in case-version order; moves the status."""
    await service.project_case_event(session, event=event, envelope=envelope)


async def on_callback_completed(
    event: CallbackCompleted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A return visit's outcome, on the timeline (routing closes or reopens the case)."""
    await service.project_notice(
        session,
        event=event,
        envelope=envelope,
        complaint_id=event.complaint_id,
        site_id=event.site_id,
        at=event.completed_at,
        actor=event.by,
    )


async def on_notification_sent(
    event: NotificationSent, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A message about a complaint went out; messages about nothing in particular are skipped."""
    if event.complaint_id is None:
        return
    await service.project_notice(
        session,
        event=event,
        envelope=envelope,
        complaint_id=event.complaint_id,
        site_id=event.site_id,
        at=event.sent_at,
    )
