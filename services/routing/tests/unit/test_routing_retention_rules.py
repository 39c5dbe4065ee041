"""Routing's retention rules: which values of a finished record's history are personal."""

from __future__ import annotations

from routing.retention import rules
from shared.retention import MARKER


def test_a_case_entry_loses_its_free_text_and_keeps_its_codes() -> None:
    data = {"note": "Li on 139", "reply": "Dear Li", "department": "cleaning", "reason": "tired"}
    assert rules.case_entry("case.reopened", data) == {
        "note": MARKER,
        "reply": MARKER,
        "department": "cleaning",
        "reason": MARKER,
    }


def test_an_escalation_keeps_the_reason_the_report_counts() -> None:
    data = {"level": "vp", "reason": "sla_breached", "note": "Li waited"}
    assert rules.case_entry("case.escalated", data) == {
        "level": "vp",
        "reason": "sla_breached",
        "note": MARKER,
    }


def test_a_rectification_entry_masks_its_plan_items_tasks() -> None:
    data = {"title": "Li's lamp", "items": [{"team": "engineering", "task": "call Li"}]}
    assert rules.rectification_entry(data) == {
        "title": MARKER,
        "items": [{"team": "engineering", "task": MARKER}],
    }
