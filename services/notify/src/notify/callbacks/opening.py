"""Opening callbacks: after a case's final reply (which carries the resident's link), and
after a survey answer that asked for one.

A repeated event opens nothing new: each callback's origin is unique (the case and the
moment it was resolved, or the survey's callback key), and the reply's deliveries are
unique per (source, recipient, channel).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify.callbacks import rules, service
from notify.callbacks.service import LINK_PATH, Policy
from notify.contacts.rules import Recipient
from notify.deliveries.service import queue
from notify.messages import complainants, refs
from notify.sites.office import Office, get_office
from shared.clock import utcnow
from shared.context import new_id
from shared.contracts.routing import CaseResolved
from shared.contracts.surveys import SurveyCallbackRequested
from shared.logging import get_logger

log = get_logger(__name__)


def _values(office: Office, policy: Policy, *, since: datetime, delay: timedelta) -> dict[str, Any]:
    due = rules.due_at(since, delay=delay, hours=office.hours)
    return {
        "id": new_id(),
        "status": rules.Status.OPEN.value,
        "due_at": due,
        "overdue_at": due + policy.overdue_after,
        "attempts": 0,
        "created_at": utcnow(),
    }


async def open_for_case(
    session: AsyncSession, *, event: CaseResolved, correlation_id: str | None, policy: Policy
) -> str | None:
    """Open the case's callback and send the final reply with its link; None if the same
    resolution was handled before."""
    found = await refs.received(session, complaint_id=event.complaint_id)
    if found.withdrawn_at is not None:  # a resolution that reached notify after the withdrawal
        log.info("withdrawn complaint gets no reply or callback", case_id=event.case_id)
        return None
    office = await get_office(session, site_id=event.site_id, working_days=policy.working_days)
    recipients = await complainants.recipients(session, ref=found, essential=True)
    token, token_hash = service.new_token()
    values = {
        **_values(office, policy, since=event.at, delay=office.callback_delay),
        "site_id": event.site_id,
        "origin": "case",
        "origin_key": f"case:{event.case_id}:{event.at.isoformat()}",
        "case_id": event.case_id,
        "complaint_id": event.complaint_id,
        "household_id": found.household_id,
        "reference": found.reference,
        "summary": event.reply,
        "locale": recipients[0].locale if recipients else office.locale,
        "correlation_id": correlation_id,
        "token_hash": token_hash,
        "link_expires_at": utcnow() + policy.link_ttl,
    }
    if not await service.insert(session, values):
        log.info("case resolution already has its callback", case_id=event.case_id)
        return None
    await _reply(session, values, recipients, office, link=policy.link_base + LINK_PATH + token)
    return str(values["id"])


async def _reply(
    session: AsyncSession,
    values: dict[str, Any],
    recipients: list[Recipient],
    office: Office,
    *,
    link: str,
) -> None:
    await queue(
        session,
        source_id=f"callback:{values['id']}",
        kind="case_reply",
        site_id=values["site_id"],
        recipients=recipients,
        context={
            "reference": values["reference"] or "",
            "reply": values["summary"],
            "link": link,
            "link_expires_at": office.local(values["link_expires_at"]),
        },
        complaint_id=values["complaint_id"],
    )


async def open_for_survey(
    session: AsyncSession, *, event: SurveyCallbackRequested, policy: Policy
) -> str | None:
    """A resident left a low score and a comment: call them back before the survey's
    deadline. There is no case, so its outcome closes or reopens nothing."""
    office = await get_office(session, site_id=event.site_id, working_days=policy.working_days)
    values = {
        **_values(office, policy, since=utcnow(), delay=timedelta(0)),
        "site_id": event.site_id,
        "origin": "survey",
        "origin_key": f"survey:{event.callback_key}",
        "household_id": event.household_id,
        "summary": event.comment,
        "locale": office.locale,
    }
    values["overdue_at"] = max(event.due_at, values["due_at"])
    return str(values["id"]) if await service.insert(session, values) else None
