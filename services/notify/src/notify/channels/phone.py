"""Phone tasks: the delivery becomes a work item the call-center works by calling.

Creating the task counts as sent; the caller marking it done counts as delivered.
"""

from __future__ import annotations

from notify.channels.base import Outgoing, SendResult
from notify.phone_tasks import service
from shared.db.engine import Database, transaction


class PhoneTaskChannel:
    """Turns each delivery into one open phone task (once, however often it is sent)."""

    name = "phone_task"

    def __init__(self, db: Database) -> None:
        self.db = db

    async def send(self, delivery: Outgoing) -> SendResult:
        """Open the task; the database being down is worth a retry."""
        try:
            async with transaction(self.db) as session:
                await service.open_task(session, delivery=delivery)
        except Exception as exc:  # the database's own errors vary by driver
            return SendResult.failed(f"phone task not recorded: {exc!r}")
        return SendResult.sent()
