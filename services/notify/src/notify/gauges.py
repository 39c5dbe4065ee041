"""The delivery backlog gauge, read from the database on a timer by every replica.

A replica only sees its own sends, so counting up and down in memory would be wrong with
two of them; reading the count keeps every replica's figure whole and the same.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from notify import metrics
from notify.deliveries.models import delivery
from shared.db.engine import Database, reading


async def refresh_backlog(db: Database) -> None:
    """Set the backlog gauge: deliveries waiting, by channel, never tried or retrying."""
    state = case((delivery.c.attempts == 0, "queued"), else_="retrying")
    query = (
        select(delivery.c.channel, state, func.count())
        .where(delivery.c.status == "queued")
        .group_by(delivery.c.channel, state)
    )
    async with reading(db) as session:
        rows = (await session.execute(query)).all()
    metrics.set_backlog((str(channel), str(s), int(n)) for channel, s, n in rows)
