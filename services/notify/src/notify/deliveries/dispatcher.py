"""The dispatcher: claims due deliveries, sends them on their channels, records outcomes.

It runs in every replica (a `Periodic`). Claiming takes due rows with `FOR UPDATE SKIP
LOCKED` on PostgreSQL (SQLite's writers queue on `BEGIN IMMEDIATE`) and moves their next
attempt a lease ahead in the same short transaction, so two replicas never send one
delivery at once and no transaction stays open across a network call. A replica that dies
mid-send leaves its claims to be taken again when the lease runs out: at least once.

Deliveries to webhook subscriptions are held, addressed, signed and recorded by
`notify.webhooks`, which lives above deliveries: main.py hands the dispatcher its
`Subscriptions` (`notify.webhooks.gate.SUBSCRIPTIONS`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify import metrics
from notify.channels.base import Channel, Outgoing, SendResult
from notify.channels.email import EmailChannel
from notify.channels.phone import PhoneTaskChannel
from notify.channels.sms import SmsChannel
from notify.channels.webhook import WebhookChannel
from notify.deliveries import outcomes
from notify.deliveries.models import delivery, message
from notify.settings import NotifySettings
from shared.clock import utcnow
from shared.db.engine import Database, transaction
from shared.logging import get_logger

log = get_logger(__name__)

Claimed = tuple[Outgoing, str | None]  # the delivery and its message's correlation id


class Subscriptions(Protocol):
    """What the dispatcher asks of webhook subscriptions about their deliveries."""

    def sendable(self) -> ColumnElement[bool]:
        """True for a due delivery that may be claimed now (correlated with `delivery`)."""
        ...

    def joined(self, query: Select[Any]) -> Select[Any]:
        """`query` of deliveries, with what `target_of` reads of each one's subscription."""
        ...

    def target_of(self, row: Any, now: datetime) -> tuple[str | None, tuple[str, ...]]:
        """Where a loaded delivery's subscription points now (None for other deliveries),
        and the secrets it is signed with."""
        ...

    async def record(
        self,
        session: AsyncSession,
        *,
        sent: Outgoing,
        result: SendResult,
        outcome: str,
        settings: NotifySettings,
    ) -> None:
        """What one try of a subscription delivery leaves behind."""
        ...


async def claim(
    session: AsyncSession,
    *,
    limit: int,
    lease: float,
    postgresql: bool,
    subscriptions: Subscriptions,
) -> list[Claimed]:
    """Take up to `limit` due deliveries for one lease and count the attempt."""
    now = utcnow()
    due = (
        select(delivery.c.id)
        .where(
            delivery.c.status == "queued",
            delivery.c.next_attempt_at <= now,
            subscriptions.sendable(),
        )
        .order_by(delivery.c.next_attempt_at, delivery.c.id)
        .limit(limit)
    )
    if postgresql:
        due = due.with_for_update(skip_locked=True)
    ids = list((await session.scalars(due)).all())
    if not ids:
        return []
    await session.execute(
        update(delivery)
        .where(delivery.c.id.in_(ids))
        .values(next_attempt_at=now + timedelta(seconds=lease), attempts=delivery.c.attempts + 1)
    )
    return await _load(session, ids, subscriptions)


async def _load(
    session: AsyncSession, ids: list[int], subscriptions: Subscriptions
) -> list[Claimed]:
    query = (
        select(delivery, message.c.kind, message.c.locale, message.c.subject, message.c.body)
        .add_columns(message.c.complaint_id, message.c.correlation_id)
        .join(message, message.c.id == delivery.c.message_id)
        .where(delivery.c.id.in_(ids))
        .order_by(delivery.c.id)
    )
    now = utcnow()
    rows = (await session.execute(subscriptions.joined(query))).all()
    return [
        (_outgoing(row, *subscriptions.target_of(row, now)), row.correlation_id) for row in rows
    ]


def _outgoing(row: Any, url: str | None, secrets: tuple[str, ...]) -> Outgoing:
    return Outgoing(
        id=row.id,
        channel=row.channel,
        # A subscription's delivery goes where the subscription points now.
        address=url or row.address,
        recipient_key=row.recipient_key,
        site_id=row.site_id,
        source_id=row.source_id,
        kind=row.kind,
        locale=row.locale,
        subject=row.subject,
        body=row.body,
        complaint_id=row.complaint_id,
        attempt=row.attempts,
        subscription_id=row.subscription_id,
        secrets=secrets,
    )


class Dispatcher:
    """Sends due deliveries; call it with the service's database (a `Periodic` job)."""

    def __init__(self, settings: NotifySettings, *, subscriptions: Subscriptions) -> None:
        self.settings = settings
        self.subscriptions = subscriptions

    async def __call__(self, db: Database) -> int:
        """Send every due delivery, batch by batch; how many were tried."""
        tried = 0
        async with httpx.AsyncClient(follow_redirects=False) as client:
            channels = self.channels(db, client)
            while True:
                batch = await self.send_batch(db, channels)
                tried += batch
                if batch < self.settings.dispatcher_batch:
                    return tried

    def channels(self, db: Database, client: httpx.AsyncClient) -> dict[str, Channel]:
        """Every channel by name."""
        found: list[Channel] = [
            EmailChannel(self.settings),
            SmsChannel(self.settings, client),
            WebhookChannel(self.settings, client),
            PhoneTaskChannel(db),
        ]
        return {channel.name: channel for channel in found}

    async def send_batch(self, db: Database, channels: Mapping[str, Channel]) -> int:
        """Claim one batch, send it concurrently, record every outcome in one transaction."""
        s = self.settings
        async with transaction(db) as session:
            claimed = await claim(
                session,
                limit=s.dispatcher_batch,
                lease=s.delivery_lease,
                postgresql=db.is_postgresql,
                subscriptions=self.subscriptions,
            )
        if not claimed:
            return 0
        results = await asyncio.gather(*(_send(channels, item) for item, _ in claimed))
        async with transaction(db) as session:
            for (item, correlation), result in zip(claimed, results, strict=True):
                outcome = await outcomes.record(
                    session, sent=item, result=result, correlation_id=correlation, settings=s
                )
                if item.subscription_id is not None:
                    await self.subscriptions.record(
                        session, sent=item, result=result, outcome=outcome, settings=s
                    )
        return len(claimed)


async def _send(channels: Mapping[str, Channel], item: Outgoing) -> SendResult:
    channel = channels.get(item.channel)
    if channel is None:
        return SendResult.failed(f"no channel {item.channel!r}", permanent=True)
    started = time.perf_counter()
    try:
        result = await channel.send(item)
    except Exception as exc:  # a channel's bug must not lose the batch's other outcomes
        log.exception("channel failed", channel=item.channel, delivery_id=item.id)
        result = SendResult.failed(f"{item.channel} channel error: {exc!r}")
    metrics.send_seconds.labels(item.channel).observe(time.perf_counter() - started)
    if not result.ok:
        log.warning("send failed", channel=item.channel, delivery_id=item.id, error=result.error)
    return result
