"""Messages to residents: acknowledgement, progress, survey invitations and reminders
(DESIGN.md §1 rules 2, 5, 12). Each goes on the household's preferred channel only (a
visitor who left a phone or e-mail is answered on it like a household); the final
reply on `case.resolved` is the callbacks' (it carries the callback link)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts.rules import Recipient
from notify.contacts.service import household_recipients
from notify.messages import complainants, refs
from notify.messages.sending import preferred, send, skip
from notify.sites import service as sites
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintReceived
from shared.contracts.routing import CaseProgressed
from shared.contracts.surveys import SurveyInvitationIssued, SurveyReminderIssued


async def acknowledgement(
    event: ComplaintReceived, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Tell the resident, or the visitor who left a contact, that the complaint was received
    (when the site switched it on)."""
    ref = await refs.remember_complaint(session, event=event)
    if event.household_id is None and not event.contact_given:
        skip(session, "acknowledgement", "no_household")
        return
    settings = await sites.get(session, site_id=event.site_id)
    if not settings.acknowledge:
        skip(session, "acknowledgement", "switched_off")
        return
    recipients = await _complainant(session, ref)
    context = {"reference": event.reference, "received_at": event.received_at}
    await send(
        session,
        envelope=envelope,
        kind="acknowledgement",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )


async def progress(event: CaseProgressed, *, session: AsyncSession, envelope: Envelope) -> None:
    """Keep the resident informed: the handler's progress note."""
    ref = await refs.received(session, complaint_id=event.complaint_id)
    if ref.household_id is None and ref.visitor_name is None:
        skip(session, "progress", "no_household")
        return
    recipients = await _complainant(session, ref)
    context = {"reference": ref.reference or event.complaint_id[:8], "note": event.note}
    await send(
        session,
        envelope=envelope,
        kind="progress",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )


async def survey_invitation(
    event: SurveyInvitationIssued, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Invite a sampled household, with its single-use link, in the survey's language."""
    await _survey_link(session, event=event, envelope=envelope, kind="survey_invitation")


async def survey_reminder(
    event: SurveyReminderIssued, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Remind a household that has not answered, the same way it was invited."""
    await _survey_link(session, event=event, envelope=envelope, kind="survey_reminder")


async def _survey_link(
    session: AsyncSession,
    *,
    event: SurveyInvitationIssued | SurveyReminderIssued,
    envelope: Envelope,
    kind: str,
) -> None:
    """A survey message with its link: the household's preferred channel, unless it opted out
    (a survey is not essential), in the survey's language."""
    found = await _resident(session, event.site_id, event.household_id, essential=False)
    recipients = [replace(r, locale=event.language) for r in found]
    context = {"title": event.title, "url": event.url, "expires_at": event.expires_at}
    await send(
        session,
        envelope=envelope,
        kind=kind,
        site_id=event.site_id,
        recipients=recipients,
        context=context,
    )


async def _complainant(session: AsyncSession, ref: Any) -> list[Recipient]:
    return preferred(await complainants.recipients(session, ref=ref, essential=True))


async def _resident(
    session: AsyncSession, site_id: str, household_id: str, *, essential: bool
) -> list[Recipient]:
    found = await household_recipients(
        session, site_id=site_id, essential=essential, household_ids=[household_id]
    )
    return preferred(found)
