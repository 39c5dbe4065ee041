"""The fan-out: a notice to every household in scope, and its updates to the same ones.

Publishing runs in one transaction (the timer's): the households in scope are read, whom
the notice reaches is recorded, and every delivery is queued. A crash before the commit
leaves nothing behind and the timer fires again; deliveries are unique per (source,
recipient, channel), so nothing can be sent twice either way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts.service import household_recipients
from notify.deliveries.service import Recipient, queue
from notify.notices import metrics, rules
from notify.notices.models import notice_recipient
from notify.notices.office import Office, get_office
from shared.db.engine import after_commit

RECIPIENT_COLUMNS = ("notice_id", "recipient_key", "channel", "address", "locale")


async def in_scope(session: AsyncSession, row: Row[Any]) -> list[Recipient]:
    """Every household channel the notice goes to now (opt-outs kept for non-essentials)."""
    ids = list(row.scope_ids or [])
    return await household_recipients(
        session,
        site_id=row.site_id,
        essential=rules.is_essential(row.kind),
        channels=list(row.channels) if row.channels else None,
        building_ids=ids if row.scope == "buildings" else None,
        unit_ids=ids if row.scope == "units" else None,
    )


async def record(session: AsyncSession, notice_id: str, recipients: Sequence[Recipient]) -> None:
    """Remember whom the notice reached; COPY on PostgreSQL, where 100,000 rows count."""
    rows = [(notice_id, r.key, r.channel, r.address, r.locale) for r in recipients]
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            "notice_recipient", records=rows, columns=RECIPIENT_COLUMNS
        )
        return
    await session.execute(
        notice_recipient.insert(), [dict(zip(RECIPIENT_COLUMNS, r, strict=True)) for r in rows]
    )


async def recorded(session: AsyncSession, notice_id: str) -> list[Recipient]:
    """The household channels a published notice reached."""
    rows = await session.execute(
        select(
            notice_recipient.c.recipient_key,
            notice_recipient.c.channel,
            notice_recipient.c.address,
            notice_recipient.c.locale,
        ).where(notice_recipient.c.notice_id == notice_id)
    )
    return [Recipient(key=k, channel=c, address=a, locale=loc) for k, c, a, loc in rows]


def context(row: Row[Any], office: Office, **extra: str) -> dict[str, str]:
    """What the notice templates are filled with: plain strings in the office's terms."""
    return {
        "notice_id": row.id,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "starts_at": office.local(row.starts_at),
        "ends_at": office.local(row.ends_at),
        "site_name": office.name,
        "site_phone": office.phone,
        "revision": str(row.revision),
        **extra,
    }


async def publish(session: AsyncSession, row: Row[Any]) -> int:
    """Send a scheduled notice to every household in scope; how many household channels."""
    started = time.perf_counter()
    recipients = await in_scope(session, row)
    await record(session, row.id, recipients)
    office = await get_office(session, site_id=row.site_id)
    await queue(
        session,
        source_id=rules.source_id(row.id, row.revision),
        kind="notice",
        site_id=row.site_id,
        recipients=recipients,
        context=context(row, office),
    )
    elapsed = time.perf_counter() - started
    after_commit(session, lambda: metrics.published(row.kind, len(recipients), elapsed))
    return len(recipients)


async def resend(session: AsyncSession, row: Row[Any], *, kind: str, **extra: str) -> int:
    """Send a revision (an update or the cancellation) to exactly whom the notice reached."""
    recipients = await recorded(session, row.id)
    office = await get_office(session, site_id=row.site_id)
    return await queue(
        session,
        source_id=rules.source_id(row.id, row.revision),
        kind=kind,
        site_id=row.site_id,
        recipients=recipients,
        context=context(row, office, **extra),
    )
