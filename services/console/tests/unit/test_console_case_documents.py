"""What the console writes into routing's printed documents: pure, no I/O."""

from __future__ import annotations

from typing import Any

from console.cases.documents import filled, values_of

# Routing's blanks as its documents render them (routing.documents.html).
PAGE = (
    '<tr><th>投诉人姓名</th><td data-fill="reporter_name"></td></tr>\n'
    '<tr><th>房号</th><td data-fill="reporter_room"></td></tr>\n'
    '<tr><th>联系电话</th><td data-fill="reporter_phone"></td></tr>\n'
    "<tr><th>地点</th><td>2栋-1201</td></tr>\n"
    '<tr><th>回访意见</th><td class="long" data-fill="callback_comment"></td></tr>\n'
)


def complaint(**reporter: Any) -> dict[str, Any]:
    return {
        "site_id": "demo",
        "reporter": {"type": "household", "household_id": "hh-1", **reporter},
        "location": {"unit_id": "u-9", "text": "1栋-0301"},
    }


HOUSEHOLD = {"building": "2栋", "unit": "1201", "name": "赵先生"}
CALLBACKS = [
    {"completed_at": "2026-12-01T10:00:00Z", "comment": "第一次：还没修好"},
    {"completed_at": "2026-12-02T10:00:00Z", "comment": "已修好，谢谢"},
    {"completed_at": None, "comment": None},
]


def test_the_record_names_the_complainant_their_room_phone_and_what_they_said() -> None:
    values = values_of(complaint(name="赵先生", phone="13800138000"), HOUSEHOLD, CALLBACKS)
    page = filled(PAGE, values)
    assert '<td data-fill="reporter_name">赵先生</td>' in page
    assert '<td data-fill="reporter_room">2栋-1201</td>' in page
    assert '<td data-fill="reporter_phone">13800138000</td>' in page
    assert '<td class="long" data-fill="callback_comment">已修好，谢谢</td>' in page
    assert "<td>2栋-1201</td>" in page


def test_a_visitor_has_the_unit_they_complained_about_and_blanks_say_none() -> None:
    visitor = {"site_id": "demo", "reporter": {"type": "visitor", "name": "路人"}, "location": None}
    assert values_of(visitor, None, []) == {
        "reporter_name": "路人",
        "reporter_room": "—",
        "reporter_phone": "—",
        "callback_comment": "—",
    }
    moved = complaint(name="钱女士")
    assert values_of(moved, None, [])["reporter_room"] == "1栋-0301"


def test_a_staff_finding_names_the_staff_member() -> None:
    staff = {"reporter": {"type": "staff", "staff_member": "保安 孙", "department": "security"}}
    assert values_of(staff, None, [])["reporter_name"] == "保安 孙"


def test_what_fills_a_blank_is_escaped_and_only_blanks_are_filled() -> None:
    page = filled(PAGE + "<td>data-fill</td>", {"reporter_name": "<b>赵</b> & 子"})
    assert '<td data-fill="reporter_name">&lt;b&gt;赵&lt;/b&gt; &amp; 子</td>' in page
    assert '<td data-fill="reporter_room"></td>' in page
    assert page.endswith("<td>data-fill</td>")
