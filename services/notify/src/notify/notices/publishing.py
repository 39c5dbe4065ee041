"""The fan-out: a notice to every household in scope, and its updates to the same ones.

Publishing runs in one transaction (the timer's), a chunk of households at a time: the
households in scope are read, whom the notice reaches is recorded, and every delivery is
queued. A crash before the commit leaves nothing behind and the timer fires again;
deliveries are unique per (source, recipient, channel), so nothing can be sent twice.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts.models import household_contact
from notify.contacts.rules import Recipient
from notify.contacts.service import household_recipients
from notify.deliveries.service import queue
from notify.notices import metrics, rules
from notify.notices.models import notice_recipient
from notify.sites.office import Office, get_office
from shared.db.engine import after_commit

RECIPIENT_COLUMNS = ("notice_id", "recipient_key", "channel", "address", "locale")
# Households (or recorded channels) per round: memory stays flat, round trips stay few, and
# the ids of one round stay under asyncpg's 32,767 query arguments.
CHUNK = 20_000


async def households(session: AsyncSession, row: Row[Any], *, after: str | None) -> list[str]:
    """The next CHUNK live households in the notice's scope, by id, after `after`."""
    c = household_contact.c
    query = select(c.household_id).where(c.site_id == row.site_id, c.removed_at.is_(None))
    ids = list(row.scope_ids or [])
    if row.scope == "buildings":  # by id, or by the code people write on the notice (3栋)
        query = query.where(or_(c.building_id.in_(ids), c.building.in_(ids)))
    elif row.scope == "units":
        query = query.where(c.unit_id.in_(ids))
    if after is not None:
        query = query.where(c.household_id > after)
    found = await session.scalars(query.order_by(c.household_id).limit(CHUNK))
    return list(found.all())


async def in_scope(
    session: AsyncSession, row: Row[Any], household_ids: list[str]
) -> list[Recipient]:
    """The channels the notice goes out on to these households (opt-outs kept for
    non-essential notices)."""
    return await household_recipients(
        session,
        site_id=row.site_id,
        essential=rules.is_essential(row.kind),
        channels=list(row.channels) if row.channels else None,
        household_ids=household_ids,
    )


async def record(session: AsyncSession, notice_id: str, recipients: Sequence[Recipient]) -> None:
    """Remember whom the notice reached; COPY on PostgreSQL, where 100,000 rows count."""
    rows = [(notice_id, r.key, r.channel, r.address, r.locale) for r in recipients]
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        assert raw.driver_connection is not None  # None only once the pool has let it go
        await raw.driver_connection.copy_records_to_table(
            "notice_recipient", records=rows, columns=RECIPIENT_COLUMNS
        )
        return
    await session.execute(
        notice_recipient.insert(), [dict(zip(RECIPIENT_COLUMNS, r, strict=True)) for r in rows]
    )


async def recorded(
    session: AsyncSession, notice_id: str, *, after: Recipient | None
) -> list[Recipient]:
    """The next CHUNK household channels a published notice reached, after `after`."""
    r = notice_recipient.c
    query = select(r.recipient_key, r.channel, r.address, r.locale).where(r.notice_id == notice_id)
    if after is not None:
        query = query.where(
            or_(
                r.recipient_key > after.key,
                and_(r.recipient_key == after.key, r.channel > after.channel),
            )
        )
    rows = await session.execute(query.order_by(r.recipient_key, r.channel).limit(CHUNK))
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
    """Send a scheduled notice to every household in scope, CHUNK households at a time so
    that memory stays flat however large the site; how many household channels."""
    started = time.perf_counter()
    office = await get_office(session, site_id=row.site_id)
    filled, reached, after = context(row, office), 0, None
    while chunk := await households(session, row, after=after):
        recipients = await in_scope(session, row, chunk)
        await record(session, row.id, recipients)
        await _queue(session, row, "notice", recipients, filled)
        reached, after = reached + len(recipients), chunk[-1]
    elapsed = time.perf_counter() - started
    after_commit(session, lambda: metrics.published(row.kind, reached, elapsed))
    return reached


async def resend(session: AsyncSession, row: Row[Any], *, kind: str, **extra: str) -> int:
    """Send a revision (an update or the cancellation) to exactly whom the notice reached."""
    office = await get_office(session, site_id=row.site_id)
    filled, sent, after = context(row, office, **extra), 0, None
    while recipients := await recorded(session, row.id, after=after):
        sent += await _queue(session, row, kind, recipients, filled)
        after = recipients[-1]
    return sent


async def _queue(
    session: AsyncSession,
    row: Row[Any],
    kind: str,
    recipients: Sequence[Recipient],
    filled: dict[str, str],
) -> int:
    return await queue(
        session,
        source_id=rules.source_id(row.id, row.revision),
        kind=kind,
        site_id=row.site_id,
        recipients=recipients,
        context=filled,
    )
