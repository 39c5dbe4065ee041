"""Which event types routing handles, and by whom."""

from __future__ import annotations

from routing.cases.handlers import on_callback_completed, on_complaint_received
from shared.bus.consumer import Handler

HANDLERS: dict[str, Handler] = {
    "complaint.received": on_complaint_received,
    "callback.completed": on_callback_completed,
}
