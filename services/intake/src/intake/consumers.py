"""Which event types intake handles, and by whom: every event about a complaint, for the
timeline (DESIGN.md §2)."""

from __future__ import annotations

from intake.complaints.projection import on_callback_completed, on_case_event, on_notification_sent
from shared.bus.consumer import Handler
from shared.contracts import registry
from shared.contracts.routing import CaseEvent

CASE_EVENT_TYPES = sorted({c.type for c in registry.all() if issubclass(c, CaseEvent)})

HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(CASE_EVENT_TYPES, on_case_event),
    "callback.completed": on_callback_completed,
    "notification.sent": on_notification_sent,
}
