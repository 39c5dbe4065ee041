"""The desk's complaint form as intake's `ComplaintCreate`: pure, no I/O.

The form has one set of fields per reporter kind (a household picked from the caller
pop-up, a visitor, a staff finding); only the chosen kind's fields are sent. A staff
finding always comes through the staff-finding channel. Times typed in the site's local
time are sent as aware times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from console.web.forms import optional, text

REPORTER_FIELDS = {
    "reporter.household_id": "household_id",
    "reporter.name": "visitor_name",
    "reporter.phone": "visitor_phone",
    "reporter.staff_member": "staff_member",
    "reporter.department": "staff_department",
    "reporter": "reporter_type",
    "immediate_reply.text": "reply_text",
    "immediate_reply": "reply_text",
    "location": "building_id",
    "location.common_area": "common_area",
}
"""Where intake's field errors belong on the form."""


def complaint_body(form: FormData, *, zone: str, replied_by: str) -> dict[str, Any]:
    """The JSON intake records a complaint from."""
    reporter = _reporter(form)
    channel = "staff_finding" if reporter["type"] == "staff" else text(form, "channel")
    body: dict[str, Any] = {
        "site_id": text(form, "site_id"),
        "channel": channel,
        "kind": text(form, "kind"),
        "category": text(form, "category"),
        "severity": text(form, "severity") or "normal",
        "description": text(form, "description"),
        "reporter": reporter,
    }
    location = _location(form)
    if location:
        body["location"] = location
    occurred = local_time(optional(form, "occurred_at"), zone)
    if occurred:
        body["occurred_at"] = occurred
    if form.get("reply_given") and text(form, "reply_text"):
        body["immediate_reply"] = {"text": text(form, "reply_text"), "replied_by": replied_by}
    return body


def _reporter(form: FormData) -> dict[str, Any]:
    kind = text(form, "reporter_type") or "household"
    if kind == "visitor":
        return {
            "type": "visitor",
            "name": text(form, "visitor_name"),
            "phone": text(form, "visitor_phone"),
        }
    if kind == "staff":
        return {
            "type": "staff",
            "staff_member": text(form, "staff_member"),
            "department": text(form, "staff_department"),
        }
    return {"type": "household", "household_id": text(form, "household_id")}


def _location(form: FormData) -> dict[str, str]:
    found = {
        "building_id": optional(form, "building_id"),
        "unit_id": optional(form, "unit_id"),
        "common_area": optional(form, "common_area"),
    }
    return {k: v for k, v in found.items() if v}


def local_time(value: str | None, zone: str) -> str | None:
    """`2026-12-02T14:30` typed in the site's zone, as an ISO time with its offset
    (the text itself when it is not a time, for the service to refuse in its words)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(zone)).isoformat()
    except ValueError:
        return value


def form_field(api_field: str) -> str:
    """The form's field that an intake error about `api_field` belongs to."""
    return REPORTER_FIELDS.get(api_field, api_field)
