"""The complaint projection: which household, site, reference, case and department.

`complaint.received` and `case.assigned` may arrive in either order: each fills its own
columns and never clears the other's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.messages.models import complaint_ref
from shared.bus.ordering import OutOfOrderError
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintContactGiven, ComplaintReceived
from shared.contracts.routing import CaseAssigned
from shared.db.engine import dialect_insert


async def _upsert(session: AsyncSession, values: dict[str, Any]) -> None:
    statement = dialect_insert(session)(complaint_ref).values(values)
    changes = {k: statement.excluded[k] for k in values if k != "complaint_id"}
    await session.execute(
        statement.on_conflict_do_update(index_elements=["complaint_id"], set_=changes)
    )


async def remember_complaint(session: AsyncSession, *, event: ComplaintReceived) -> Any:
    """Keep who complained and the complaint's reference; the row. A visitor's complaint
    waits (is retried) until the contact they left is known."""
    await _upsert(
        session,
        {
            "complaint_id": event.complaint_id,
            "site_id": event.site_id,
            "household_id": event.household_id,
            "reference": event.reference,
            "received_at": event.received_at,
            "received": True,
            "filed_by": event.filed_by,
            "external_ref": event.external_ref,
        },
    )
    found = await received(session, complaint_id=event.complaint_id)
    if event.contact_given and found.visitor_name is None:
        raise ContactNotKnownYetError(f"complaint {event.complaint_id} came before its contact")
    return found


async def remember_contact(
    event: ComplaintContactGiven, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Keep how to answer the visitor who made the complaint, for the acknowledgement and
    the reply: here only, until retention."""
    values = {
        "complaint_id": event.complaint_id,
        "site_id": event.site_id,
        "visitor_name": event.name,
        "visitor_phone": event.phone,
        "visitor_email": event.email,
    }
    await _upsert(session, values)


async def remember_case(session: AsyncSession, *, event: CaseAssigned) -> None:
    """Keep the complaint's case and responsible department."""
    values = {
        "complaint_id": event.complaint_id,
        "site_id": event.site_id,
        "case_id": event.case_id,
        "department": event.department,
    }
    if event.reference:
        values["reference"] = event.reference
    await _upsert(session, values)


async def remember_withdrawal(
    session: AsyncSession, *, complaint_id: str, site_id: str, at: datetime
) -> None:
    """Keep that the complaint was withdrawn: nothing more is sent to the resident about it."""
    await _upsert(session, {"complaint_id": complaint_id, "site_id": site_id, "withdrawn_at": at})


async def get(session: AsyncSession, *, complaint_id: str) -> Any | None:
    """The complaint's projection row, or None when notify never heard of it."""
    query = select(complaint_ref).where(complaint_ref.c.complaint_id == complaint_id)
    return (await session.execute(query)).first()


class ComplaintNotKnownYetError(LookupError):
    """A case event overtook its `complaint.received`; the consumer retries it."""


class ContactNotKnownYetError(OutOfOrderError):
    """A visitor's complaint overtook the contact they left (written just before it); the
    consumer retries it, as long as an out-of-order event."""


async def received(session: AsyncSession, *, complaint_id: str) -> Any:
    """The projection row of a complaint notify has received; retried until then."""
    found = await get(session, complaint_id=complaint_id)
    if found is None or not found.received:
        raise ComplaintNotKnownYetError(f"complaint {complaint_id} is not known to notify yet")
    return found


async def reference(session: AsyncSession, *, complaint_id: str, given: str | None) -> str:
    """The complaint's reference for a message: the event's, the projection's, or its id."""
    if given:
        return given
    found = await get(session, complaint_id=complaint_id)
    if found is not None and found.reference:
        return str(found.reference)
    return complaint_id[:8]
