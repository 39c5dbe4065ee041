"""The step every event-driven message shares: queue it, or count why it was not sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify import metrics
from notify.contacts.rules import Recipient
from notify.deliveries.service import queue
from shared.contracts.base import Envelope
from shared.db.engine import after_commit
from shared.logging import get_logger

log = get_logger(__name__)


async def send(
    session: AsyncSession,
    *,
    envelope: Envelope,
    kind: str,
    site_id: str,
    recipients: Sequence[Recipient],
    context: Mapping[str, Any],
    complaint_id: str | None = None,
) -> int:
    """Queue `kind` for the recipients, once per (event, recipient, channel)."""
    if not recipients:
        skip(session, kind, "no_recipient")
        return 0
    return await queue(
        session,
        source_id=envelope.id,
        kind=kind,
        site_id=site_id,
        recipients=recipients,
        context=context,
        complaint_id=complaint_id,
    )


def skip(session: AsyncSession, kind: str, reason: str) -> None:
    """Count (and log) a message that was not sent, and why."""
    log.info("message not sent", kind=kind, reason=reason)
    after_commit(session, metrics.messages_skipped.labels(kind, reason).inc)


def preferred(recipients: Sequence[Recipient]) -> list[Recipient]:
    """Each recipient on its first (preferred) channel only."""
    seen: set[str] = set()
    chosen = []
    for recipient in recipients:
        if recipient.key not in seen:
            seen.add(recipient.key)
            chosen.append(recipient)
    return chosen
