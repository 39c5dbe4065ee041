"""Which event types surveys handles, and by whom (DESIGN.md §2): households for the frame,
complaints and reopened cases for the key-sample registry."""

from __future__ import annotations

from shared.bus.consumer import Handler
from surveys.frame.handlers import (
    on_case_reopened,
    on_complaint_received,
    on_household_removed,
    on_household_upserted,
)
from surveys.retention.handlers import on_site_retention_set

HANDLERS: dict[str, Handler] = {
    "household.upserted": on_household_upserted,
    "household.removed": on_household_removed,
    "complaint.received": on_complaint_received,
    "case.reopened": on_case_reopened,
    "site.retention_set": on_site_retention_set,
}
