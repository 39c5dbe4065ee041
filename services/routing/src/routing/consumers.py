"""Which event types routing handles, and by whom: the whole handler registry, bound to the
settings."""

from __future__ import annotations

from routing.cases.handlers import (
    on_callback_completed,
    on_callback_unreachable,
    on_complaint_received,
    on_complaint_supplemented,
    on_complaint_withdrawn,
)
from routing.corrective.handlers import handlers as corrective_handlers
from routing.retention.handlers import on_site_retention_set
from routing.settings import RoutingSettings
from shared.bus.consumer import Handler

HANDLERS: dict[str, Handler] = {
    "complaint.received": on_complaint_received,
    "complaint.withdrawn": on_complaint_withdrawn,
    "complaint.supplemented": on_complaint_supplemented,
    "callback.completed": on_callback_completed,
    "callback.unreachable": on_callback_unreachable,
    "site.retention_set": on_site_retention_set,
}


def handlers(settings: RoutingSettings) -> dict[str, Handler]:
    """Every handler of routing: the corrective actions' bound to the settings' policy."""
    return {**HANDLERS, **corrective_handlers(settings)}
