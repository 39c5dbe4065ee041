"""Phone tasks: the delivery becomes a work item the call-center works by calling.

Creating the task counts as sent; the caller marking it done counts as delivered.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify.channels.base import Outgoing, SendResult
from notify.channels.models import phone_task
from shared.clock import utcnow
from shared.db.engine import Database, dialect_insert, transaction


class PhoneTaskChannel:
    """Turns each delivery into one open phone task (once, however often it is sent)."""

    name = "phone_task"

    def __init__(self, db: Database) -> None:
        self.db = db

    async def send(self, delivery: Outgoing) -> SendResult:
        """Open the task; the database being down is worth a retry."""
        try:
            async with transaction(self.db) as session:
                await open_task(session, delivery=delivery)
        except Exception as exc:  # the database's own errors vary by driver
            return SendResult.failed(f"phone task not recorded: {exc!r}")
        return SendResult.sent()


async def open_task(session: AsyncSession, *, delivery: Outgoing) -> None:
    """Open the phone task of a delivery (nothing when it is open already)."""
    values = {
        "delivery_id": delivery.id,
        "site_id": delivery.site_id,
        "recipient_key": delivery.recipient_key,
        "phone": delivery.address,
        "kind": delivery.kind,
        "subject": delivery.subject,
        "body": delivery.body,
        "status": "open",
        "created_at": utcnow(),
    }
    statement = dialect_insert(session)(phone_task).values(values)
    await session.execute(statement.on_conflict_do_nothing(index_elements=["delivery_id"]))
