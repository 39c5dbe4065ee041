"""The resident's follow-ups as routing passes them on: a withdrawal cancels everything
notify still has pending for the complaint and tells the handler; a supplement reaches the
handler. Each runs in the consumer's transaction, after its inbox claim."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import staff as directory
from notify.contacts.rules import Recipient
from notify.deliveries import outcomes
from notify.messages import refs
from notify.messages.sending import send
from shared.contracts.base import Envelope
from shared.contracts.routing import CaseSupplemented, CaseWithdrawn
from shared.logging import get_logger

log = get_logger(__name__)


async def withdrawal(
    session: AsyncSession, *, event: CaseWithdrawn, envelope: Envelope, callbacks: int
) -> None:
    """No reply or queued message goes out for a withdrawn complaint any more (its
    `callbacks` open callbacks were cancelled by `notify.callbacks.handlers`, above)."""
    complaint_id = event.complaint_id
    await refs.remember_withdrawal(
        session, complaint_id=complaint_id, site_id=event.site_id, at=event.withdrawn_at
    )
    queued = await outcomes.cancel_for_complaint(session, complaint_id=complaint_id)
    log.info("withdrawn complaint's pending work cancelled", callbacks=callbacks, deliveries=queued)
    context = {
        "reference": await refs.reference(session, complaint_id=complaint_id, given=None),
        "reason": event.reason,
        "withdrawn_at": event.withdrawn_at,
    }
    recipients = await _handlers(session, event)
    await _send(session, envelope, "case_withdrawn", event, recipients, context)


async def supplement(event: CaseSupplemented, *, session: AsyncSession, envelope: Envelope) -> None:
    """What the resident added reaches the case's handler."""
    context = {
        "reference": await refs.reference(session, complaint_id=event.complaint_id, given=None),
        "text": event.text,
        "added_by": event.added_by,
        "added_at": event.added_at,
    }
    recipients = await _handlers(session, event)
    await _send(session, envelope, "case_supplemented", event, recipients, context)


async def _handlers(
    session: AsyncSession, event: CaseWithdrawn | CaseSupplemented
) -> list[Recipient]:
    """The handler and whoever holds the case now; the department when neither is known."""
    ids = {i for i in (event.handler, event.owner) if i}
    found = await directory.by_id(session, site_id=event.site_id, staff_ids=ids) if ids else []
    if found:
        return found
    return await directory.department(session, site_id=event.site_id, department=event.department)


async def _send(
    session: AsyncSession,
    envelope: Envelope,
    kind: str,
    event: CaseWithdrawn | CaseSupplemented,
    recipients: list[Recipient],
    context: Mapping[str, object],
) -> None:
    await send(
        session,
        envelope=envelope,
        kind=kind,
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )
