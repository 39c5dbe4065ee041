"""Status changes of complaints, fanned out to the subscriptions of whoever filed them.

Each careloop event of `rules.STATUS_OF` runs notify's own handler for it (if any) and then
queues one delivery per matching subscription, in the same consumer transaction: the event
is acked only once its deliveries are rows, so none is lost. A subscription paused at that
moment still gets its row; the dispatcher holds it until the subscription is resumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, cast

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts.rules import Recipient
from notify.deliveries.service import queue_prepared
from notify.messages import refs
from notify.templates.loader import Rendered
from notify.webhooks import held, payloads, rules
from notify.webhooks.models import webhook_subscription, webhook_subscription_site
from shared.bus.consumer import Handler
from shared.contracts.base import Envelope, Event


class AboutComplaint(Protocol):
    """Every status-changing event names its complaint."""

    complaint_id: str


def with_status_webhooks(handlers: Mapping[str, Handler]) -> dict[str, Handler]:
    """`handlers`, each status-changing event type also fanned out to subscriptions (and
    the types notify did not handle yet bound for that alone)."""
    combined = dict(handlers)
    for event_type in rules.STATUS_OF:
        combined[event_type] = _also_fanned_out(handlers.get(event_type))
    return combined


def _also_fanned_out(first: Handler | None) -> Handler:
    async def handle(event: Event, *, session: AsyncSession, envelope: Envelope) -> None:
        if first is not None:
            await first(event, session=session, envelope=envelope)
        await status_changed(session, event=event, envelope=envelope)

    handle.__doc__ = "Notify's own handling of the event, then its status webhooks."
    return handle


async def status_changed(session: AsyncSession, *, event: Event, envelope: Envelope) -> int:
    """Queue the status change for every subscription of the complaint's filer that covers
    its site and type; how many deliveries were new. A change about a complaint notify has
    not received yet is held until it has (never failing the event's other handling)."""
    complaint_id = cast(AboutComplaint, event).complaint_id
    ref = await refs.get(session, complaint_id=complaint_id)
    if ref is None or not ref.received:
        await held.hold(session, complaint_id=complaint_id, envelope=envelope)
        return 0
    queued = await _fan_out(session, ref=ref, event=event, envelope=envelope)
    if envelope.type == "complaint.received":
        for later_envelope, later_event in await held.release(session, complaint_id=complaint_id):
            queued += await _fan_out(session, ref=ref, event=later_event, envelope=later_envelope)
    return queued


async def _fan_out(session: AsyncSession, *, ref: Any, event: Event, envelope: Envelope) -> int:
    if not ref.filed_by:
        return 0
    kind = rules.webhook_type(envelope.type)
    found = await subscribers(session, filer=ref.filed_by, site_id=ref.site_id, kind=kind)
    if not found:
        return 0
    body = payloads.encode(payloads.build(envelope=envelope, event=event, ref=ref))
    recipients = [
        Recipient(f"{rules.RECIPIENT}{ident}", "webhook", url, rules.LOCALE, ident)
        for ident, url in found
    ]
    return await queue_prepared(
        session,
        source_id=envelope.id,
        kind=kind,
        locale=rules.LOCALE,
        site_id=ref.site_id,
        complaint_id=ref.complaint_id,
        text=Rendered(subject=kind, body=body),
        recipients=recipients,
    )


async def subscribers(
    session: AsyncSession, *, filer: str, site_id: str, kind: str
) -> list[tuple[int, str]]:
    """(id, url) of the filer's subscriptions covering the site and the webhook type."""
    query = (
        select(webhook_subscription.c.id, webhook_subscription.c.url)
        .add_columns(webhook_subscription.c.event_types)
        .join(
            webhook_subscription_site,
            webhook_subscription_site.c.subscription_id == webhook_subscription.c.id,
        )
        .where(webhook_subscription.c.filer == filer)
        .where(
            or_(
                webhook_subscription_site.c.site_id == site_id,
                webhook_subscription_site.c.site_id == rules.EVERY_SITE,
            )
        )
        .order_by(webhook_subscription.c.id)
    )
    rows = (await session.execute(query)).all()
    found = {int(r.id): str(r.url) for r in rows if kind in (r.event_types or [])}
    return sorted(found.items())
