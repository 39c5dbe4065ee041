"""What the improvement pages make of routing's answers: pure, no I/O."""

from __future__ import annotations

from typing import Any

from console.backend.organisation import Organisation
from console.improvement import service
from console.improvement.service import RectificationFile
from console.web.messages import MESSAGES


def item(position: int, team: str, status: str = "open") -> dict[str, Any]:
    return {"position": position, "team": team, "status": status, "task": f"t{position}"}


def entry(position: int | None, type_: str, **data: Any) -> dict[str, Any]:
    return {"position": position, "type": type_, "actor": "eng-1", "at": "2026-12-01", "data": data}


RECT = {
    "items": [item(1, "customer_service", "done"), item(2, "engineering"), item(3, "engineering")],
    "reportable": [2],
    "history": [
        entry(None, "rectification.opened"),
        entry(2, "rectification.item_reported", note="已采购", done=False),
        entry(1, "rectification.item_reported", note="已通知", done=True),
        entry(2, "rectification.item_overdue", level="dept_head", owner="head-1"),
        entry(None, "rectification.rejected", reason="r", reopened=[2]),
    ],
}


def test_each_item_has_its_own_reports_and_whether_the_reader_may_report() -> None:
    rows = RectificationFile(RECT, Organisation("s-1")).items()
    assert [r.item["position"] for r in rows] == [1, 2, 3]
    assert [[e["data"].get("note") for e in r.entries] for r in rows] == [
        ["已通知"],
        ["已采购", None],
        [],
    ]
    assert [r.reportable for r in rows] == [False, True, False]
    assert [r.last_open for r in rows] == [False, False, False]


def test_the_last_open_item_is_the_one_that_submits() -> None:
    last = {**RECT, "items": [item(1, "customer_service", "done"), item(2, "engineering")]}
    assert [r.last_open for r in RectificationFile(last, Organisation("s-1")).items()] == [
        False,
        True,
    ]


def test_teams_in_the_order_they_first_appear_and_progress() -> None:
    assert RectificationFile(RECT, Organisation("s-1")).teams() == [
        "customer_service",
        "engineering",
    ]
    assert service.progress(RECT) == (1, 3)


def test_a_list_takes_only_its_own_filters_and_overdue_only_as_true() -> None:
    query = {"status": "in_progress", "overdue": "yes", "kind": "corrective", "site_id": ""}
    assert service.wanted(query, service.RECTIFICATION_FILTERS) == {"status": "in_progress"}
    asked = {"overdue": "true", "kind": "corrective", "source": "survey"}
    assert service.wanted(asked, service.ACTION_FILTERS) == asked


def test_every_done_notice_has_its_words() -> None:
    done = [f"rect.done.{d}" for d in ("opened", "reported", "submitted", "accept", "reject")]
    done += [f"act.done.{s}" for s in service.STEPS]
    assert sorted(set(done) - MESSAGES.keys()) == []
