"""Which event types surveys handles, and by whom (DESIGN.md §2): households for the frame,
complaints and reopened cases for the key-sample registry."""

from __future__ import annotations

from shared.bus.consumer import Handler
from surveys.frame import service as frame
from surveys.retention.handlers import on_site_retention_set

HANDLERS: dict[str, Handler] = {
    "household.upserted": frame.apply_upsert,
    "household.removed": frame.apply_removal,
    "complaint.received": frame.register_complaint,
    "case.reopened": frame.register_reopen,
    "site.retention_set": on_site_retention_set,
}
