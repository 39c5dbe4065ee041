"""What became of a delivery: sent, retried after a back-off, failed, or delivered.

Every outcome is a row change in the caller's transaction; counters move after commit.
A message about a complaint that was sent emits `notification.sent` through the outbox,
so that intake's timeline shows it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify import metrics
from notify.channels.base import Outgoing, SendResult
from notify.channels.models import phone_task
from notify.deliveries import rules
from notify.deliveries.models import delivery, message
from notify.settings import NotifySettings
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.notify import NotificationSent
from shared.db.engine import after_commit

QUEUED = ("queued",)
IN_FLIGHT = ("queued", "sent")


async def record(
    session: AsyncSession,
    *,
    sent: Outgoing,
    result: SendResult,
    correlation_id: str | None,
    settings: NotifySettings,
) -> str:
    """Record one send's result; the outcome's name (sent, retry, failed)."""
    now = utcnow()
    if result.ok:
        await _sent(session, sent, result, now, correlation_id)
        return "sent"
    final = rules.gives_up(
        sent.attempt, max_attempts=settings.delivery_max_attempts, permanent=result.permanent
    )
    if final:
        await _failed(session, sent.id, result.error or "failed", now)
    else:
        retry_at = rules.next_attempt(
            now,
            sent.attempt,
            base=settings.delivery_backoff_base,
            cap=settings.delivery_backoff_max,
        )
        await _change(session, sent.id, QUEUED, next_attempt_at=retry_at, last_error=result.error)
        after_commit(session, metrics.retries.labels(sent.channel).inc)
    after_commit(session, metrics.failures.labels(sent.channel, str(final).lower()).inc)
    return "failed" if final else "retry"


async def _sent(
    session: AsyncSession,
    sent: Outgoing,
    result: SendResult,
    now: datetime,
    correlation_id: str | None,
) -> None:
    changed = await _change(
        session,
        sent.id,
        QUEUED,
        status="sent",
        sent_at=now,
        provider_ref=result.provider_ref,
        last_error=None,
        next_attempt_at=None,
    )
    if changed is None:  # another replica recorded it first (its lease had run out)
        return
    if sent.complaint_id is not None:
        event = NotificationSent(
            notification_id=str(sent.id),
            site_id=sent.site_id,
            complaint_id=sent.complaint_id,
            kind=sent.kind,
            channel=sent.channel,
            sent_at=now,
            recipient=sent.recipient_key,
        )
        await outbox.add(session, event, site_id=sent.site_id, correlation_id=correlation_id)
    after_commit(session, metrics.deliveries.labels(sent.channel, "sent").inc)


async def _failed(session: AsyncSession, delivery_id: int, error: str, now: datetime) -> None:
    channel = await _change(
        session,
        delivery_id,
        QUEUED,
        status="failed",
        failed_at=now,
        last_error=error,
        next_attempt_at=None,
    )
    if channel is not None:
        after_commit(session, metrics.deliveries.labels(channel, "failed").inc)


async def _change(
    session: AsyncSession,
    delivery_id: int,
    statuses: tuple[str, ...],
    channel: str | None = None,
    **values: object,
) -> str | None:
    """Change a delivery in one of `statuses` (on `channel`, when given); its channel, or
    None when it had moved on."""
    query = update(delivery).where(delivery.c.id == delivery_id, delivery.c.status.in_(statuses))
    if channel is not None:
        query = query.where(delivery.c.channel == channel)
    moved = await session.execute(query.values(**values).returning(delivery.c.channel))
    found = moved.scalar_one_or_none()
    return str(found) if found is not None else None


async def delivered(session: AsyncSession, *, delivery_id: int, channel: str | None = None) -> bool:
    """A receipt says the delivery arrived; False when it was not in flight (or not on
    `channel`, when given)."""
    channel = await _change(
        session, delivery_id, IN_FLIGHT, channel, status="delivered", delivered_at=utcnow()
    )
    if channel is not None:
        after_commit(session, metrics.deliveries.labels(channel, "delivered").inc)
    return channel is not None


async def receipt_failed(
    session: AsyncSession, *, delivery_id: int, error: str, channel: str | None = None
) -> bool:
    """A receipt says the delivery never arrived: it failed, counted."""
    channel = await _change(
        session,
        delivery_id,
        IN_FLIGHT,
        channel,
        status="failed",
        failed_at=utcnow(),
        last_error=error[:1000],
    )
    if channel is not None:
        after_commit(session, metrics.deliveries.labels(channel, "failed").inc)
    return channel is not None


async def cancel_for_complaint(session: AsyncSession, *, complaint_id: str) -> int:
    """Cancel every delivery still queued about the complaint, and the phone tasks still
    open for its deliveries (it was withdrawn); how many deliveries were cancelled. A
    webhook subscription's status events are not cancelled: the withdrawal is one of them."""
    of_complaint = select(message.c.id).where(message.c.complaint_id == complaint_id)
    queued = (
        delivery.c.message_id.in_(of_complaint)
        & delivery.c.status.in_(QUEUED)
        & delivery.c.subscription_id.is_(None)
    )
    channels = await _cancel(session, queued, next_attempt_at=None)
    of_deliveries = select(delivery.c.id).where(delivery.c.message_id.in_(of_complaint))
    tasks = await session.execute(
        update(phone_task)
        .where(phone_task.c.delivery_id.in_(of_deliveries), phone_task.c.status == "open")
        .values(status="cancelled", done_at=utcnow())
        .returning(phone_task.c.delivery_id)
    )
    # A phone task's delivery is sent until the call is made; now it never will be.
    calls = list(tasks.scalars())
    if calls:
        channels += await _cancel(session, delivery.c.id.in_(calls) & (delivery.c.status == "sent"))
    for channel in channels:
        after_commit(session, metrics.deliveries.labels(channel, "cancelled").inc)
    return len(channels)


async def _cancel(session: AsyncSession, where: ColumnElement[bool], **values: object) -> list[str]:
    cancelled = await session.execute(
        update(delivery)
        .where(where)
        .values(status="cancelled", **values)
        .returning(delivery.c.channel)
    )
    return [str(channel) for channel in cancelled.scalars()]


async def phone_call_made(session: AsyncSession, *, delivery_id: int, reached: bool) -> None:
    """The call-center called: delivered when the person was reached, else failed."""
    if reached:
        await delivered(session, delivery_id=delivery_id, channel="phone_task")
    else:
        await receipt_failed(
            session, delivery_id=delivery_id, error="not reached by phone", channel="phone_task"
        )
