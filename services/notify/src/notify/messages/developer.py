"""A complaint forwarded to the developer (发展商): the site's developer contact receives
it by mail with how to answer the office, and each follow-up reminder reaches the handler
and, once more, the developer. Each runs in the consumer's transaction, after its inbox
claim."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import staff as directory
from notify.contacts.rules import Recipient
from notify.messages import refs
from notify.messages.sending import send, skip
from notify.sites import service as sites
from shared.contracts.base import Envelope
from shared.contracts.routing import CaseFollowUpReminded, CaseForwardedToDeveloper


async def forwarded(
    event: CaseForwardedToDeveloper, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The forwarded complaint, its place and the handler's note, to the developer."""
    context = {
        **await _facts(session, event),
        "location": event.location,
        "note": event.note,
        "follow_up_due_at": event.follow_up_due_at,
    }
    await _to_developer(session, envelope, "developer_forwarded", event, context)


async def reminded(
    event: CaseFollowUpReminded, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The handler is reminded to chase the developer; the developer, that the office waits."""
    context = {
        **await _facts(session, event),
        "reminder": event.reminder,
        "forwarded_at": event.forwarded_at,
    }
    handlers = await directory.by_id(
        session, site_id=event.site_id, staff_ids=[event.handler] if event.handler else []
    )
    if not handlers and event.department:
        handlers = await directory.department(
            session, site_id=event.site_id, department=event.department
        )
    await send(
        session,
        envelope=envelope,
        kind="follow_up_reminder",
        site_id=event.site_id,
        recipients=handlers,
        context=context,
        complaint_id=event.complaint_id,
    )
    await _to_developer(session, envelope, "developer_reminder", event, context)


async def _facts(
    session: AsyncSession, event: CaseForwardedToDeveloper | CaseFollowUpReminded
) -> dict[str, Any]:
    """What both messages say: the complaint, its text, and who handles it, by name."""
    department = event.department_name or event.department
    return {
        "reference": await refs.reference(
            session, complaint_id=event.complaint_id, given=event.reference
        ),
        "description": event.description,
        "department": department,
        "department_zh": event.department_name_zh or department,
        "handler": event.handler_name or event.handler,
    }


async def _to_developer(
    session: AsyncSession,
    envelope: Envelope,
    kind: str,
    event: CaseForwardedToDeveloper | CaseFollowUpReminded,
    context: dict[str, Any],
) -> None:
    """Mail the site's developer contact; counted as not sent when the site has none."""
    site = await sites.get(session, site_id=event.site_id)
    if not site.developer_email:
        skip(session, kind, "no_developer_contact")
        return
    developer = Recipient(
        key=f"developer:{event.site_id}",
        channel="email",
        address=site.developer_email,
        locale=site.default_locale,
    )
    await send(
        session,
        envelope=envelope,
        kind=kind,
        site_id=event.site_id,
        recipients=[developer],
        context={**context, "developer": site.developer_name},
        complaint_id=event.complaint_id,
    )
