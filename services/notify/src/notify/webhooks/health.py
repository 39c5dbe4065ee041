"""What each try of a subscription delivery leaves behind: a line of the delivery log, and
the subscription's health — a success clears its failure streak; a delivery failed for good
lengthens it, and `webhook_pause_after` of them in a row pause the subscription, announced
by `webhook_subscription.paused`, counted and logged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify import metrics
from notify.channels.base import Outgoing, SendResult
from notify.deliveries.models import delivery
from notify.settings import NotifySettings
from notify.webhooks import rules
from notify.webhooks.models import webhook_attempt, webhook_subscription, webhook_subscription_site
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.notify import WebhookSubscriptionPaused
from shared.db.engine import after_commit
from shared.logging import get_logger

log = get_logger(__name__)
table = webhook_subscription


async def record(
    session: AsyncSession,
    *,
    sent: Outgoing,
    result: SendResult,
    outcome: str,
    settings: NotifySettings,
) -> None:
    """Log the try and update the subscription's failure streak (pausing it at the limit)."""
    now = utcnow()
    await session.execute(
        insert(webhook_attempt).values(
            delivery_id=sent.id,
            attempt=sent.attempt,
            attempted_at=now,
            status_code=result.status_code,
            outcome=outcome,
            error=result.error,
        )
    )
    if outcome == "sent":
        await session.execute(
            update(table)
            .where(table.c.id == sent.subscription_id, table.c.consecutive_failures > 0)
            .values(consecutive_failures=0, failing_since=None)
        )
    elif outcome == "failed":
        await _failed(session, sent, result.error, now, settings)


async def _failed(
    session: AsyncSession,
    sent: Outgoing,
    error: str | None,
    now: datetime,
    settings: NotifySettings,
) -> None:
    streak = await session.execute(
        update(table)
        .where(table.c.id == sent.subscription_id)
        .values(
            consecutive_failures=table.c.consecutive_failures + 1,
            # The streak starts when its first delivery failed, as that delivery says.
            failing_since=func.coalesce(table.c.failing_since, _failed_at(sent.id)),
        )
        .returning(table.c.consecutive_failures, table.c.status)
    )
    row = streak.first()
    if row is None or not rules.pauses(row.consecutive_failures, row.status, settings):
        return
    await _pause(session, sent.subscription_id, row.consecutive_failures, error, now)


def _failed_at(delivery_id: int) -> Any:
    return select(delivery.c.failed_at).where(delivery.c.id == delivery_id).scalar_subquery()


async def _pause(
    session: AsyncSession,
    subscription_id: int | None,
    failures: int,
    error: str | None,
    now: datetime,
) -> None:
    paused = await session.execute(
        update(table)
        .where(table.c.id == subscription_id, table.c.status == rules.ACTIVE)
        .values(status=rules.PAUSED, paused_reason=rules.FAILING, paused_at=now, updated_at=now)
        .returning(table.c.owner)
    )
    owner = paused.scalar_one_or_none()
    if owner is None:
        return
    sites = sorted(
        (
            await session.scalars(
                select(webhook_subscription_site.c.site_id).where(
                    webhook_subscription_site.c.subscription_id == subscription_id
                )
            )
        ).all()
    )
    event = WebhookSubscriptionPaused(
        subscription_id=str(subscription_id),
        owner=owner,
        site_ids=sites,
        consecutive_failures=failures,
        last_error=error,
        paused_at=now,
    )
    site = sites[0] if len(sites) == 1 and sites[0] != rules.EVERY_SITE else None
    await outbox.add(
        session, event, site_id=site, aggregate_id=f"webhook-subscription-{subscription_id}"
    )
    after_commit(session, lambda: _announce(subscription_id, failures))


def _announce(subscription_id: int | None, failures: int) -> None:
    metrics.webhook_subscriptions_paused.inc()
    log.warning(
        "webhook subscription paused: its deliveries keep failing",
        subscription_id=subscription_id,
        consecutive_failures=failures,
    )
