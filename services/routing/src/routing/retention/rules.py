"""Routing's retention rules: which values of a finished record's history are personal.

The cutoff, the 03:00 run and the marker are shared/retention's, the same in every service.
"""

from __future__ import annotations

from typing import Any

from shared.retention import masked_fields

TIMER_KIND = "routing.retention"
CASE_ENTRY_KEYS = frozenset(
    {
        "note",
        "instructions",
        "answer",
        "result",
        "reply",
        "text",
        "added_by",
        "description",
        "location",
        "handler_name",
        "comment",
        "reason",
    }
)
"""Free text and names a case's history carries (its events' data as emitted)."""
RECTIFICATION_ENTRY_KEYS = frozenset(
    {"title", "problem", "measures", "note", "reason", "task", "acceptance_note"}
)
KEPT_FOR_REPORTS = {"case.escalated": frozenset({"reason"})}
"""An escalation's reason is a code the complaint report counts, not the resident's words."""


def case_entry(type_: str, data: dict[str, Any]) -> dict[str, Any]:
    """A case history entry's data with its personal values masked."""
    return masked_fields(data, CASE_ENTRY_KEYS - KEPT_FOR_REPORTS.get(type_, frozenset()))


def rectification_entry(data: dict[str, Any]) -> dict[str, Any]:
    """A rectification history entry's data, its plan items' tasks masked too."""
    masked = masked_fields(data, RECTIFICATION_ENTRY_KEYS)
    if isinstance(data.get("items"), list):
        masked["items"] = [
            masked_fields(i, RECTIFICATION_ENTRY_KEYS) if isinstance(i, dict) else i
            for i in data["items"]
        ]
    return masked
