"""Each case action's form becomes routing's request body."""

from __future__ import annotations

from starlette.datastructures import FormData

from console.cases.actions import ACTIONS, ORDER


def body(action: str, **fields: str) -> object:
    return ACTIONS[action].body(FormData(fields), "Asia/Shanghai")


def test_every_action_routing_offers_has_a_form_in_routings_order() -> None:
    assert ORDER == (
        "accept",
        "progress",
        "judge_validity",
        "transmit",
        "issue_notice",
        "forward_to_developer",
        "record_developer_answer",
        "resolve",
    )
    assert {a.path for a in ACTIONS.values()} == {
        "accept",
        "progress",
        "validity",
        "transmittals",
        "assignment-notices",
        "developer-forwarding",
        "developer-answer",
        "resolution",
    }


def test_accept_sends_no_body_and_text_actions_send_their_fields() -> None:
    assert body("accept") is None
    assert body("progress", note=" 已安排 ") == {"note": "已安排"}
    assert body("resolve", result="换灯", reply="已修好", extra="x") == {
        "result": "换灯",
        "reply": "已修好",
    }


def test_validity_sends_a_reason_only_when_invalid() -> None:
    assert body("judge_validity", valid="true", reason="developer") == {
        "valid": True,
        "reason": None,
    }
    assert body("judge_validity", valid="false", reason="developer") == {
        "valid": False,
        "reason": "developer",
    }
    assert body("judge_validity", valid="false") == {"valid": False, "reason": None}


def test_a_notice_is_due_in_the_sites_local_time_and_names_a_handler_only_when_chosen() -> None:
    sent = body(
        "issue_notice", department="engineering", instructions="换线路", due_at="2026-12-03T10:00"
    )
    assert sent == {
        "department": "engineering",
        "instructions": "换线路",
        "due_at": "2026-12-03T10:00:00+08:00",
        "handler": None,
    }
    assert (
        body("issue_notice", department="e", instructions="i", due_at="", handler="h-qian")[
            "handler"
        ]
        == "h-qian"
    )  # type: ignore[index]


def test_forwarding_needs_no_note() -> None:
    assert body("forward_to_developer") == {"note": None}
