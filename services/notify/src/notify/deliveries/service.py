"""Use cases of deliveries: queue a message for many recipients; read deliveries.

`queue` is the one way a message enters notify: it renders the kind once per locale into a
`message` row and inserts one delivery per (source, recipient, channel) with Core bulk
inserts in chunks, so that a notice to 100,000 households costs a few statements, not
100,000 ORM objects. The unique (source_id, recipient_key, channel) absorbs duplicates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify import metrics
from notify.contacts.rules import Recipient
from notify.deliveries.models import delivery, message
from notify.sites import service as sites
from notify.templates import loader
from shared import context as request_context
from shared.clock import utcnow
from shared.db.engine import after_commit, dialect_insert

CHUNK = 2000  # rows per executemany: bounded memory, and well under parameter limits


async def queue(
    session: AsyncSession,
    *,
    source_id: str,
    kind: str,
    site_id: str,
    recipients: Sequence[Recipient],
    context: Mapping[str, Any],
    complaint_id: str | None = None,
) -> int:
    """Render `kind` once per locale, insert one delivery per (source_id, recipient key,
    channel) — duplicates are skipped by a unique constraint (ON CONFLICT DO NOTHING) —
    return how many were new."""
    if not recipients:
        return 0
    full = {"site": await sites.template_site(session, site_id=site_id), **context}
    by_locale: dict[str, list[Recipient]] = defaultdict(list)
    for recipient in recipients:
        by_locale[loader.normal_locale(recipient.locale)].append(recipient)
    before = await _per_channel(session, source_id)
    now = utcnow()
    for locale, group in by_locale.items():
        rendered = loader.render(kind, locale, full)
        message_id = await _message(
            session, source_id, kind, locale, site_id, complaint_id, rendered, now
        )
        await _insert(session, message_id, source_id, site_id, group, now)
    after = await _per_channel(session, source_id)
    added = {channel: count - before.get(channel, 0) for channel, count in after.items()}
    after_commit(session, lambda: _inc_queued(added))
    return sum(added.values())


async def queue_prepared(
    session: AsyncSession,
    *,
    source_id: str,
    kind: str,
    locale: str,
    site_id: str,
    complaint_id: str | None,
    text: loader.Rendered,
    recipients: Sequence[Recipient],
) -> int:
    """`queue` for a message that needs no template (a webhook subscription's JSON
    payload): one message row, one delivery per recipient; how many were new."""
    before = await _per_channel(session, source_id)
    now = utcnow()
    message_id = await _message(session, source_id, kind, locale, site_id, complaint_id, text, now)
    await _insert(session, message_id, source_id, site_id, list(recipients), now)
    after = await _per_channel(session, source_id)
    added = {channel: count - before.get(channel, 0) for channel, count in after.items()}
    after_commit(session, lambda: _inc_queued(added))
    return sum(added.values())


async def _message(
    session: AsyncSession,
    source_id: str,
    kind: str,
    locale: str,
    site_id: str,
    complaint_id: str | None,
    rendered: loader.Rendered,
    now: datetime,
) -> int:
    values = {
        "source_id": source_id,
        "kind": kind,
        "locale": locale,
        "site_id": site_id,
        "complaint_id": complaint_id,
        "correlation_id": request_context.correlation_id.get(),
        "subject": rendered.subject,
        "body": rendered.body,
        "created_at": now,
    }
    await session.execute(dialect_insert(session)(message).values(values).on_conflict_do_nothing())
    found = await session.scalar(
        select(message.c.id).where(
            message.c.source_id == source_id, message.c.kind == kind, message.c.locale == locale
        )
    )
    return int(found or 0)


async def _insert(
    session: AsyncSession,
    message_id: int,
    source_id: str,
    site_id: str,
    recipients: list[Recipient],
    now: datetime,
) -> None:
    statement = dialect_insert(session)(delivery).on_conflict_do_nothing()
    common = {
        "message_id": message_id,
        "source_id": source_id,
        "site_id": site_id,
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    for start in range(0, len(recipients), CHUNK):
        rows = [
            {
                **common,
                "recipient_key": r.key,
                "channel": r.channel,
                "address": r.address,
                "subscription_id": r.subscription_id,
            }
            for r in recipients[start : start + CHUNK]
        ]
        await session.execute(statement, rows)


async def _per_channel(session: AsyncSession, source_id: str) -> dict[str, int]:
    rows = await session.execute(
        select(delivery.c.channel, func.count())
        .where(delivery.c.source_id == source_id)
        .group_by(delivery.c.channel)
    )
    return {str(channel): int(count) for channel, count in rows.all()}


def _inc_queued(per_channel: Mapping[str, int]) -> None:
    for channel, count in per_channel.items():
        if count:
            metrics.queued.labels(channel).inc(count)
