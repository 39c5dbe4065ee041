"""Messages to whoever has work (issue 14.5): each rectification team its items and due
times, each corrective-action owner the action, and the handler before a deadline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import staff as directory
from notify.contacts.rules import Recipient
from notify.deliveries.service import queue
from notify.messages import refs
from notify.messages.sending import skip
from shared.contracts.base import Envelope
from shared.contracts.routing import (
    CorrectiveActionOverdue,
    CorrectiveActionPlanned,
    PlanItem,
    RectificationItemOverdue,
    RectificationOpened,
    SlaWarned,
)


async def rectification_items(
    event: RectificationOpened, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Each rectification team hears of its own items and their due times."""
    for team, items in _by_team(event.items).items():
        context = {
            "number": event.number,
            "title": event.title,
            "problem": event.problem,
            "measures": event.measures,
            "team": team,
            "items": [item.model_dump(include={"position", "task", "due_at"}) for item in items],
            "due_at": event.due_at,
        }
        recipients = await team_contact(session, site_id=event.site_id, team=team)
        source = team_source(envelope.id, team)
        await _send(session, source, "rectification_items", event.site_id, recipients, context)


def team_source(event_id: str, team: str) -> str:
    """One message per team of one event: each team's own items, rendered for it alone."""
    return f"{event_id}:team:{team}"


def _by_team(items: list[PlanItem]) -> dict[str, list[PlanItem]]:
    teams: dict[str, list[PlanItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.position):
        teams[item.team].append(item)
    return dict(teams)


async def team_contact(session: AsyncSession, *, site_id: str, team: str) -> list[Recipient]:
    """A team's contact: its department's head, or everyone of a department without one."""
    heads = await directory.by_role(session, site_id=site_id, role="dept_head", department=team)
    return heads or await directory.department(session, site_id=site_id, department=team)


async def corrective_action(
    event: CorrectiveActionPlanned, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The owner of a planned corrective or preventive action is told what and by when."""
    context = event.model_dump(include={"number", "kind", "analysis", "action", "due_at"})
    recipients = await directory.by_id(session, site_id=event.site_id, staff_ids=[event.owner])
    kind = "corrective_action_assigned"
    await _send(session, envelope.id, kind, event.site_id, recipients, context)


async def corrective_action_overdue(
    event: CorrectiveActionOverdue, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Whoever the overdue action went up to is told what was not done, and by whom."""
    context = event.model_dump(include={"number", "kind", "action", "due_at", "level"})
    context["owner"] = await directory.name_of(session, site_id=event.site_id, staff_id=event.owner)
    recipients = await level_holder(
        session,
        site_id=event.site_id,
        level=event.level,
        named=event.escalated_to,
        department=event.department,
    )
    kind = "corrective_action_overdue"
    await _send(session, envelope.id, kind, event.site_id, recipients, context)


async def rectification_item_overdue(
    event: RectificationItemOverdue, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Whoever the overdue item went up to is told which team's task was not done."""
    context = event.model_dump(
        include={"number", "title", "position", "team", "task", "due_at", "level"}
    )
    recipients = await level_holder(
        session, site_id=event.site_id, level=event.level, named=event.owner, department=event.team
    )
    kind = "rectification_item_overdue"
    await _send(session, envelope.id, kind, event.site_id, recipients, context)


async def level_holder(
    session: AsyncSession, *, site_id: str, level: str, named: str | None, department: str | None
) -> list[Recipient]:
    """The staff routing named for the level of overdue work; else whoever holds its role
    (of the work's department, below the VP)."""
    if named:
        found = await directory.by_id(session, site_id=site_id, staff_ids=[named])
        if found:
            return found
    if level in ("vp", "gm"):
        return await directory.by_role(session, site_id=site_id, role=level)
    if department is None:
        return []
    return await directory.by_role(session, site_id=site_id, role=level, department=department)


async def sla_warning(event: SlaWarned, *, session: AsyncSession, envelope: Envelope) -> None:
    """The handler hears that a deadline is near; the department when the case has none."""
    department = event.department_name or event.department
    context = {
        "reference": await refs.reference(
            session, complaint_id=event.complaint_id, given=event.reference
        ),
        "deadline": event.deadline,
        "due_at": event.due_at,
        "share": event.share,
        "department": department,
        "department_zh": event.department_name_zh or department,
        "handler": event.handler_name or event.handler,
        "description": event.description,
    }
    recipients = await _handler(session, event)
    await _send(
        session, envelope.id, "sla_warning", event.site_id, recipients, context, event.complaint_id
    )


async def _handler(session: AsyncSession, event: SlaWarned) -> list[Recipient]:
    if event.handler:
        found = await directory.by_id(session, site_id=event.site_id, staff_ids=[event.handler])
        if found:
            return found
    return await directory.department(session, site_id=event.site_id, department=event.department)


async def _send(
    session: AsyncSession,
    source_id: str,
    kind: str,
    site_id: str,
    recipients: list[Recipient],
    context: Mapping[str, object],
    complaint_id: str | None = None,
) -> None:
    """Queue `kind` once per (source, recipient, channel), or count that nobody was there."""
    if not recipients:
        skip(session, kind, "no_recipient")
        return
    await queue(
        session,
        source_id=source_id,
        kind=kind,
        site_id=site_id,
        recipients=recipients,
        context=context,
        complaint_id=complaint_id,
    )
