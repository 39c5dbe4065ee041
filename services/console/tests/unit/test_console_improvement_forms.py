"""Each improvement form becomes routing's request body: pure, no I/O."""

from __future__ import annotations

from starlette.datastructures import FormData

from console.improvement import forms

ZONE = "Asia/Shanghai"


def plan_form(**fields: str) -> FormData:
    base = {
        "title": " 楼道照明 ",
        "problem": "3 栋楼道灯长期不亮",
        "measures": "更换灯具",
        "due_at": "2026-12-10T18:00",
        "site_id": "s-1",
        "rows": "3",
    }
    return FormData({**base, **fields})


def test_rows_without_a_task_are_not_sent_and_errors_find_their_row() -> None:
    rows = {
        "item-0-team": "customer_service",
        "item-0-task": "",
        "item-0-due_at": "2026-12-05T09:00",
        "item-2-team": "engineering",
        "item-2-task": " 换灯 ",
        "item-2-due_at": "2026-12-07T09:00",
    }
    form = plan_form(**rows)
    plan = forms.rectification_body(form, ZONE)
    assert plan.body == {
        "title": "楼道照明",
        "problem": "3 栋楼道灯长期不亮",
        "measures": "更换灯具",
        "due_at": "2026-12-10T18:00:00+08:00",
        "site_id": "s-1",
        "items": [{"team": "engineering", "task": "换灯", "due_at": "2026-12-07T09:00:00+08:00"}],
    }
    assert plan.rows == (2,)
    assert plan.field_of("items.0.due_at") == "item-2-due_at"
    assert plan.field_of("items.5.task") == "items.5.task"
    assert plan.field_of("measures") == "measures"


def test_a_rectification_from_a_case_names_the_case_not_the_site() -> None:
    plan = forms.rectification_body(plan_form(case_id="c-1"), ZONE)
    assert plan.body["case_id"] == "c-1"
    assert "site_id" not in plan.body


def test_times_left_empty_are_left_out_for_routing_to_ask_for_them() -> None:
    form = plan_form(due_at="", **{"item-0-team": "engineering", "item-0-task": "换灯"})
    body = forms.rectification_body(form, ZONE).body
    assert "due_at" not in body
    assert body["items"] == [{"team": "engineering", "task": "换灯"}]


def test_the_row_count_stays_within_bounds() -> None:
    assert forms.row_count({}) == forms.FIRST_ROWS
    assert forms.row_count({"rows": "4"}, more=1) == 5
    assert forms.row_count({"rows": "50"}, more=1) == forms.MAX_ITEMS
    assert forms.row_count({"rows": "0"}) == 1
    assert forms.row_count({"rows": "junk"}) == forms.FIRST_ROWS
    many = FormData({"rows": "9999", **{f"item-{n}-task": "t" for n in range(60)}})
    assert len(forms.rectification_body(many, ZONE).body["items"]) == forms.MAX_ITEMS


def test_a_new_form_from_a_case_takes_its_problem_and_department() -> None:
    case = {
        "id": "c-1",
        "site_id": "s-1",
        "summary": "楼道灯坏了" * 20,
        "description": "楼道灯坏了一周",
        "department": "engineering",
    }
    values = forms.from_case(case, due="2026-12-08T09:00")
    assert values["title"].endswith("…")
    assert len(values["title"]) == forms.TITLE_FROM_CASE
    assert (values["problem"], values["item-0-team"]) == ("楼道灯坏了一周", "engineering")
    assert (values["case_id"], values["site_id"]) == ("c-1", "s-1")
    assert values["due_at"] == values["item-2-due_at"] == "2026-12-08T09:00"


def test_a_report_is_done_only_when_ticked() -> None:
    assert forms.report_body(FormData({"note": " 已换 "})) == {"note": "已换", "done": False}
    assert forms.report_body(FormData({"note": "n", "done": "true"}))["done"] is True


def test_acceptance_and_rejection() -> None:
    assert forms.accept_body(FormData({"note": ""})) == {"note": None}
    assert forms.reject_body(FormData({"reason": "仍有一盏不亮"}), ZONE) == {
        "reason": "仍有一盏不亮",
        "items": None,
    }
    chosen = FormData([("reason", "r"), ("items", "2"), ("items", "1"), ("items", "x")])
    assert forms.reject_body(chosen, ZONE)["items"] == [1, 2]
    later = FormData({"reason": "r", "due_at": "2026-12-20T12:00"})
    assert forms.reject_body(later, ZONE)["due_at"] == "2026-12-20T12:00:00+08:00"


def test_a_plan_names_its_owner_only_when_one_is_chosen() -> None:
    fields = {"analysis": "人手不足", "action": "加人", "due_at": "2026-12-20T12:00"}
    assert forms.plan_body(FormData({**fields, "owner": "", "kind": "preventive"}), ZONE) == {
        **fields,
        "due_at": "2026-12-20T12:00:00+08:00",
        "kind": "preventive",
    }
    assert forms.plan_body(FormData({**fields, "owner": "eng-1"}), ZONE)["owner"] == "eng-1"


def test_completion_and_verification() -> None:
    assert forms.complete_body(FormData({})) == {"note": None}
    assert forms.verify_body(FormData({"effective": "false", "note": "仍有投诉"})) == {
        "effective": False,
        "note": "仍有投诉",
    }
    assert forms.verify_body(FormData({"note": "n"})) == {"note": "n"}
