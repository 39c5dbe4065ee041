"""The JSON a subscription receives: the Standard Webhooks shape `{type, timestamp, data}`.

`data` names the complaint by the integrator's own `external_ref` beside careloop's ids,
says the status it has now and which careloop event made it so, and carries the case's
version (`case_version`: 0 for `complaint.received`, then the case's own, increasing) so a
receiver can put changes in order and drop one older than what it holds.
"""

from __future__ import annotations

from typing import Any

import orjson

from notify.webhooks import rules
from shared.contracts.base import Envelope, Event

DETAILS: dict[str, tuple[str, ...]] = {
    "complaint.received": ("kind", "category", "channel", "received_at"),
    "case.assigned": ("department", "acknowledge_due_at", "resolve_due_at"),
    "case.progressed": ("note",),
    "case.resolved": ("reply",),
    "case.closed_unreachable": ("attempts",),
    "case.reopened": ("reason",),
    "case.withdrawn": ("reason", "withdrawn_at"),
}
"""What each status change adds to `data`: the facts an integrator passes on to the caller."""


def build(*, envelope: Envelope, event: Event, ref: Any) -> dict[str, Any]:
    """The payload of one status change of the complaint `ref` (notify's complaint_ref)."""
    fields = event.model_dump(mode="json")
    occurred_at = fields.get("at") or fields.get("received_at")
    is_case = envelope.type != "complaint.received"
    data = {
        "complaint_id": ref.complaint_id,
        "external_ref": ref.external_ref,
        "reference": ref.reference or fields.get("reference"),
        "site_id": ref.site_id,
        "status": rules.STATUS_OF[envelope.type],
        "event": envelope.type,
        "event_id": envelope.id,
        "case_id": fields.get("case_id") if is_case else None,
        "case_version": (envelope.aggregate_version or 0) if is_case else 0,
        "occurred_at": occurred_at,
    }
    data.update({name: fields.get(name) for name in DETAILS.get(envelope.type, ())})
    return {"type": rules.webhook_type(envelope.type), "timestamp": occurred_at, "data": data}


def encode(payload: dict[str, Any]) -> str:
    """The payload as the exact text that is signed and sent."""
    return orjson.dumps(payload).decode()
