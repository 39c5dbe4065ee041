"""Which subscription deliveries the dispatcher may take now, and with what to sign them.

A subscription's delivery waits while the subscription is paused (or gone), and while an
earlier delivery of the same complaint to the same subscription is still queued — being
tried or backing off — so that one complaint's status changes reach a receiver in the order
notify learnt them. Other deliveries pass untouched.

`SUBSCRIPTIONS` answers the dispatcher's questions (`notify.deliveries.dispatcher.
Subscriptions`); main.py hands it over, since deliveries never import webhooks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_
from sqlalchemy.ext.asyncio import AsyncSession

from notify.channels.base import Outgoing, SendResult
from notify.deliveries.models import delivery, message
from notify.settings import NotifySettings
from notify.webhooks import health
from notify.webhooks.models import webhook_subscription

ACTIVE = "active"
_earlier = delivery.alias("earlier")
_earlier_message = message.alias("earlier_message")
_own_message = message.alias("own_message")


def sendable() -> ColumnElement[bool]:
    """True for a due delivery the dispatcher may claim (correlated with `delivery`)."""
    active = (
        exists()
        .where(
            webhook_subscription.c.id == delivery.c.subscription_id,
            webhook_subscription.c.status == ACTIVE,
        )
        .correlate(delivery)
    )
    waiting_before = (
        exists()
        .where(
            _own_message.c.id == delivery.c.message_id,
            _earlier.c.subscription_id == delivery.c.subscription_id,
            _earlier.c.status == "queued",
            _earlier.c.id < delivery.c.id,
            _earlier_message.c.id == _earlier.c.message_id,
            _earlier_message.c.complaint_id == _own_message.c.complaint_id,
        )
        .correlate(delivery)
    )
    return or_(delivery.c.subscription_id.is_(None), and_(active, ~waiting_before))


SIGNING_COLUMNS = (
    webhook_subscription.c.url.label("subscription_url"),
    webhook_subscription.c.secret.label("subscription_secret"),
    webhook_subscription.c.previous_secret.label("subscription_previous_secret"),
    webhook_subscription.c.previous_secret_until.label("subscription_previous_until"),
)
"""What the dispatcher loads of a delivery's subscription (outer-joined: null for others)."""


def secrets_of(row: Any, now: datetime) -> tuple[str, ...]:
    """The secrets a subscription delivery is signed with: the current one, and the previous
    one while its rotation's grace lasts."""
    if row.subscription_secret is None:
        return ()
    previous = row.subscription_previous_secret
    until = row.subscription_previous_until
    if previous and until is not None and until > now:
        return (row.subscription_secret, previous)
    return (row.subscription_secret,)


class Gate:
    """The dispatcher's view of webhook subscriptions: which deliveries wait, where the
    others go and with what they are signed, and what each try leaves behind."""

    def sendable(self) -> ColumnElement[bool]:
        """True for a due delivery the dispatcher may claim (see `sendable`)."""
        return sendable()

    def joined(self, query: Select[Any]) -> Select[Any]:
        """`query` of deliveries with their subscription's address and secrets."""
        subscription = webhook_subscription.c.id == delivery.c.subscription_id
        return query.add_columns(*SIGNING_COLUMNS).outerjoin(webhook_subscription, subscription)

    def target_of(self, row: Any, now: datetime) -> tuple[str | None, tuple[str, ...]]:
        """Where the subscription points now (None for other deliveries), and its secrets."""
        return row.subscription_url, secrets_of(row, now)

    async def record(
        self,
        session: AsyncSession,
        *,
        sent: Outgoing,
        result: SendResult,
        outcome: str,
        settings: NotifySettings,
    ) -> None:
        """Log the try and keep the subscription's failure streak (`health.record`)."""
        await health.record(session, sent=sent, result=result, outcome=outcome, settings=settings)


SUBSCRIPTIONS = Gate()
