"""Which deadline a case's single SLA timer waits for, in every status."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from routing.cases.deadlines import clock_start, pending_deadlines
from routing.cases.models import Case
from routing.cases.rules import Status

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
ACK, RES = NOW + timedelta(hours=1), NOW + timedelta(hours=8)


def case(status: Status, **changes: Any) -> Case:
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "status": status,
        "acknowledge_due_at": ACK,
        "resolve_due_at": RES,
    }
    values.update(changes)
    return Case(**values)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.ASSIGNED, {"acknowledge": ACK, "resolve": RES}),
        (Status.IN_PROGRESS, {"resolve": RES}),
        (Status.TRANSMITTED, {"resolve": RES}),
        (Status.WITH_DEVELOPER, {}),  # the resolve clock stops for the developer
        (Status.RESOLVED, {}),
        (Status.CLOSED, {}),
    ],
)
def test_pending_deadlines_by_status(status: Status, expected: dict[str, datetime]) -> None:
    assert pending_deadlines(case(status)) == expected


def test_a_missed_deadline_is_no_longer_pending() -> None:
    late = case(Status.ASSIGNED, acknowledge_breached_at=ACK)
    assert pending_deadlines(late) == {"resolve": RES}
    later = case(Status.IN_PROGRESS, resolve_breached_at=RES)
    assert pending_deadlines(later) == {}


def test_a_case_without_deadlines_waits_for_nothing() -> None:
    assert (
        pending_deadlines(case(Status.ASSIGNED, acknowledge_due_at=None, resolve_due_at=None)) == {}
    )


def test_the_sla_clock_starts_at_receipt_but_never_after_opening() -> None:
    earlier, later = NOW - timedelta(minutes=5), NOW + timedelta(minutes=5)
    assert clock_start(case(Status.ASSIGNED, received_at=earlier, opened_at=NOW)) == earlier
    assert clock_start(case(Status.ASSIGNED, received_at=later, opened_at=NOW)) == NOW
