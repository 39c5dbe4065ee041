"""The complaint's status as case events move it, and the timeline's rules: the facts kept
and how entries read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.complaints import rules as status
from intake.timeline import rules
from shared.contracts.notify import CallbackCompleted
from shared.contracts.routing import (
    CaseAssigned,
    CaseDeveloperAnswered,
    CaseProgressed,
    CaseResolved,
)

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
IDS = {"case_id": "c1", "complaint_id": "k1", "site_id": "s1", "at": AT}


@pytest.mark.parametrize(
    ("current", "event_type", "after"),
    [
        ("received", "case.assigned", "assigned"),
        ("assigned", "case.accepted", "in_progress"),
        ("received", "case.progressed", "in_progress"),
        ("in_progress", "case.escalated", "in_progress"),
        ("resolved", "case.validity_judged", "resolved"),
        ("in_progress", "case.resolved", "resolved"),
        ("resolved", "case.closed", "closed"),
        ("resolved", "case.closed_unreachable", "closed"),
        ("withdrawn", "case.closed_unreachable", "withdrawn"),
        ("closed", "case.reopened", "reopened"),
        ("reopened", "case.accepted", "in_progress"),
        ("closed", "case.assigned", "closed"),
        ("closed", "case.resolved", "closed"),
        ("withdrawn", "case.assigned", "withdrawn"),
        ("withdrawn", "case.closed", "withdrawn"),
        ("assigned", "sla.breached", "assigned"),
        ("in_progress", "case.follow_up_reminded", "in_progress"),
    ],
)
def test_case_events_move_the_status(current: str, event_type: str, after: str) -> None:
    assert status.next_status(current, event_type) == after


def test_a_case_opened_already_answered_is_resolved_at_once() -> None:
    assert status.next_status("received", "case.assigned", already_resolved=True) == "resolved"


def test_closing_sets_the_finish_time_and_reopening_clears_it() -> None:
    before = datetime(2025, 1, 1, tzinfo=UTC)
    assert status.closed_at("resolved", "closed", at=AT, was=None) == AT
    assert status.closed_at("closed", "closed", at=AT, was=before) == before
    assert status.closed_at("closed", "reopened", at=AT, was=before) is None
    assert status.closed_at("assigned", "in_progress", at=AT, was=None) is None


def test_facts_keep_closed_sets_and_detail_keeps_the_residents_text() -> None:
    assigned = CaseAssigned(**IDS, department="maintenance", handler="Wang Fang")
    resolved = CaseResolved(**IDS, result="internal note", reply="Fixed on Monday.")
    progressed = CaseProgressed(**IDS, note="Parts ordered.")

    assert rules.facts_of(assigned) == {"department": "maintenance", "already_resolved": False}
    assert rules.detail_of(assigned) is None
    assert rules.detail_of(resolved) == "Fixed on Monday."
    assert rules.detail_of(progressed) == "Parts ordered."


def test_the_developers_answer_is_on_the_timeline_in_both_languages() -> None:
    answered = CaseDeveloperAnswered(**IDS, answer="发展商下周维修外墙。")

    assert rules.detail_of(answered) == "发展商下周维修外墙。"
    assert status.next_status("in_progress", "case.developer_answered") == "in_progress"
    assert rules.describe("case.developer_answered", {}) == "The developer answered"
    assert rules.describe("case.developer_answered", {}, lang="zh") == "发展商已答复"
    assert rules.describe("case.forwarded_to_developer", {}, lang="zh") == "已转交发展商"


def test_callback_reads_by_its_outcome() -> None:
    unhappy = CallbackCompleted(
        callback_id="cb",
        case_id="c1",
        complaint_id="k1",
        site_id="s1",
        satisfied=False,
        comment="still broken",
        completed_at=AT,
    )

    facts = rules.facts_of(unhappy)

    assert facts == {"satisfied": False}
    assert rules.describe("callback.completed", facts) == "Callback: the resident is not satisfied"
    assert rules.describe("callback.completed", facts, lang="zh") == "回访：业户不满意"


@pytest.mark.parametrize(
    ("event_type", "facts", "english", "chinese"),
    [
        (
            "complaint.received",
            {
                "channel": "call_center",
                "kind": "complaint",
                "category": "housing_management",
                "reference": "GH-20260301-0001",
            },
            "Received by call center as a complaint about housing management (GH-20260301-0001)",
            "经呼叫中心受理投诉（房管），编号 GH-20260301-0001",
        ),
        (
            "case.assigned",
            {"department": "security", "already_resolved": True},
            "Assigned to security, already answered",
            "已分派至治安，已即时答复",
        ),
        (
            "case.validity_judged",
            {"valid": False, "reason": "developer"},
            "Judged not a valid complaint against the company (developer)",
            "判定为无效投诉（发展商原因）",
        ),
        (
            "case.validity_judged",
            {"valid": True, "reason": None},
            "Judged a valid complaint",
            "判定为有效投诉",
        ),
        (
            "case.escalated",
            {"level": "vp", "reason": "transmittal", "slip_number": "S-1"},
            "Escalated to the vice general manager in charge (transmittal)",
            "已上报主管副总经理（工作传签单）",
        ),
        (
            "case.escalated",
            {"level": "dept_head", "reason": "unreachable", "slip_number": None},
            "Escalated to the department head (resident not reachable for the callback)",
            "已上报部门负责人（回访未能联系上业户）",
        ),
        (
            "case.closed_unreachable",
            {},
            "Closed: the resident could not be reached for the callback",
            "回访未能联系上业户，已关闭",
        ),
        (
            "notification.sent",
            {"kind": "case_reply", "channel": "sms", "recipient": "household:h-1"},
            "Reply sent to the resident (SMS)",
            "已通过短信向业户发送处理答复",
        ),
        (
            "notification.sent",
            {"kind": "work_assignment", "channel": "email", "recipient": "staff:s-9"},
            "Work assignment sent to a staff member (E-mail)",
            "已通过电子邮件向员工发送派工通知",
        ),
        (
            "notification.sent",
            {"kind": "acknowledgement", "channel": "sms", "recipient": "visitor:c-1"},
            "Acknowledgement sent to the complainant (SMS)",
            "已通过短信向投诉人发送受理回执",
        ),
        (
            "notification.sent",
            {"kind": "case_reply", "channel": "sms", "recipient": None},
            "Reply sent (SMS)",
            "已通过短信发送处理答复",
        ),
    ],
)
def test_entries_read_in_english_and_chinese(
    event_type: str, facts: dict[str, object], english: str, chinese: str
) -> None:
    assert rules.describe(event_type, facts) == english
    assert rules.describe(event_type, facts, lang="zh") == chinese


def test_an_event_type_without_wording_reads_as_its_type() -> None:
    assert rules.describe("case.teleported", {}) == "case.teleported"
