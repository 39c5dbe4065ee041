"""Retention: personal data of finished messages, callbacks and contacts is replaced.

Finished: a message once none of its deliveries is queued or waits for a call (its age
counted from when it was written), a phone task once done or cancelled, a callback once
completed, unreachable or cancelled, a notice's recipients once it was published or
cancelled, and a household's contact once intake removed it. Addresses, bodies, comments
and names get the marker; kinds, channels, statuses, outcomes and times stay, so the
figures by channel and outcome and the callbacks' results are still counted. A record is
done once: it then holds the marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify.callbacks.models import callback, callback_attempt
from notify.channels.models import phone_task
from notify.contacts.models import HouseholdContact
from notify.deliveries.models import delivery, message
from notify.messages.models import complaint_ref
from notify.notices.models import Notice, NoticeRecipient
from notify.retention import rules
from shared.db.typed import rowcount, table_of
from shared.retention import MARKER, masked

contact = table_of(HouseholdContact)
notice = table_of(Notice)
notice_recipient = table_of(NoticeRecipient)


@dataclass(frozen=True)
class Anonymised:
    messages: int
    phone_tasks: int
    callbacks: int
    contacts: int
    visitors: int


def _holds(column: ColumnElement[str]) -> ColumnElement[bool]:
    """Something personal is still there: neither nothing nor the marker."""
    return and_(column.is_not(None), column != "", column != MARKER)


async def anonymise_site(session: AsyncSession, *, site_id: str, cutoff: datetime) -> Anonymised:
    """Anonymise what of the site finished before `cutoff`: messages, calls, callbacks, contacts."""
    await _anonymise_notice_recipients(session, site_id, cutoff)
    return Anonymised(
        messages=await _anonymise_messages(session, site_id, cutoff),
        phone_tasks=await _anonymise_phone_tasks(session, site_id, cutoff),
        callbacks=await _anonymise_callbacks(session, site_id, cutoff),
        contacts=await _anonymise_contacts(session, site_id, cutoff),
        visitors=await _anonymise_visitors(session, site_id, cutoff),
    )


async def _anonymise_messages(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    m, d = message.c, delivery.c
    queued = exists().where(d.message_id == m.id, d.status.not_in(rules.FINISHED_DELIVERY))
    # A delivery handed to the call-center is sent, but the call is still to be made.
    calling = exists().where(
        d.message_id == m.id,
        phone_task.c.delivery_id == d.id,
        phone_task.c.status.not_in(rules.FINISHED_PHONE_TASK),
    )
    expired = and_(m.site_id == site_id, m.created_at < cutoff, ~queued, ~calling, m.body != MARKER)
    ids = list((await session.scalars(select(m.id).where(expired))).all())
    if not ids:
        return 0
    await session.execute(
        update(delivery)
        .where(d.message_id.in_(ids))
        .values(address=MARKER, last_error=masked(d.last_error))
    )
    await session.execute(update(message).where(m.id.in_(ids)).values(subject=MARKER, body=MARKER))
    return len(ids)


async def _anonymise_phone_tasks(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    t = phone_task.c
    result = await session.execute(
        update(phone_task)
        .where(
            t.site_id == site_id,
            t.status.in_(rules.FINISHED_PHONE_TASK),
            func.coalesce(t.done_at, t.created_at) < cutoff,
            t.body != MARKER,
        )
        .values(phone=MARKER, subject=MARKER, body=MARKER, note=masked(t.note))
    )
    return rowcount(result)


async def _anonymise_callbacks(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    c, a = callback.c, callback_attempt.c
    finished = and_(c.site_id == site_id, c.completed_at < cutoff)
    ids = select(c.id).where(finished).scalar_subquery()
    await session.execute(
        update(callback_attempt)
        .where(a.callback_id.in_(ids), _holds(a.comment))
        .values(comment=MARKER)
    )
    result = await session.execute(
        update(callback)
        .where(finished, or_(_holds(c.summary), _holds(c.comment)))
        .values(summary=masked(c.summary), comment=masked(c.comment))
    )
    return rowcount(result)


async def _anonymise_contacts(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    h = contact.c
    result = await session.execute(
        update(contact)
        .where(h.site_id == site_id, h.removed_at < cutoff, h.name != MARKER)
        .values(
            name=MARKER,
            phone=masked(h.phone),
            email=masked(h.email),
            webhook_url=masked(h.webhook_url),
        )
    )
    return rowcount(result)


async def _anonymise_visitors(session: AsyncSession, site_id: str, cutoff: datetime) -> int:
    r, c = complaint_ref.c, callback.c
    # A callback still to make, or made after the cutoff, still needs whom to call.
    needed = exists().where(
        c.complaint_id == r.complaint_id, or_(c.completed_at.is_(None), c.completed_at >= cutoff)
    )
    result = await session.execute(
        update(complaint_ref)
        .where(r.site_id == site_id, r.received_at < cutoff, _holds(r.visitor_name), ~needed)
        .values(
            visitor_name=MARKER,
            visitor_phone=masked(r.visitor_phone),
            visitor_email=masked(r.visitor_email),
        )
    )
    return rowcount(result)


async def _anonymise_notice_recipients(
    session: AsyncSession, site_id: str, cutoff: datetime
) -> None:
    n = notice.c
    done = func.coalesce(n.ends_at, n.published_at, n.cancelled_at, n.updated_at)
    finished = select(n.id).where(
        n.site_id == site_id, n.status.in_(rules.FINISHED_NOTICE), done < cutoff
    )
    await session.execute(
        update(notice_recipient)
        .where(
            notice_recipient.c.notice_id.in_(finished.scalar_subquery()),
            notice_recipient.c.address != MARKER,
        )
        .values(address=MARKER)
    )
