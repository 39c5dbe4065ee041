"""The desk's form becomes intake's ComplaintCreate: one reporter kind, local times."""

from __future__ import annotations

from starlette.datastructures import FormData

from console.desk.forms import complaint_body, form_field, local_time

ZONE = "Asia/Shanghai"


def form(**fields: str) -> FormData:
    base = {
        "site_id": "s1",
        "channel": "call_center",
        "kind": "complaint",
        "category": "maintenance",
        "severity": "urgent",
        "description": " 电梯异响 ",
    }
    return FormData({**base, **fields})


def test_a_household_reporter_sends_only_the_household() -> None:
    body = complaint_body(
        form(reporter_type="household", household_id="h1", visitor_name="x"),
        zone=ZONE,
        replied_by="周敏",
    )
    assert body["reporter"] == {"type": "household", "household_id": "h1"}
    assert body["description"] == "电梯异响"
    assert body["severity"] == "urgent"
    assert "immediate_reply" not in body
    assert "location" not in body
    assert "occurred_at" not in body


def test_a_visitor_is_sent_with_name_and_phone() -> None:
    fields = form(reporter_type="visitor", visitor_name="李女士", visitor_phone="138 0013 8000")
    body = complaint_body(fields, zone=ZONE, replied_by="周敏")
    assert body["reporter"] == {"type": "visitor", "name": "李女士", "phone": "138 0013 8000"}
    assert body["channel"] == "call_center"


def test_a_staff_finding_always_comes_through_the_staff_finding_channel() -> None:
    fields = form(reporter_type="staff", staff_member="马强", staff_department="保安部")
    body = complaint_body(fields, zone=ZONE, replied_by="马强")
    assert body["reporter"] == {"type": "staff", "staff_member": "马强", "department": "保安部"}
    assert body["channel"] == "staff_finding"


def test_the_location_keeps_only_what_was_chosen() -> None:
    body = complaint_body(
        form(building_id="b1", unit_id="", common_area="大堂"), zone=ZONE, replied_by="x"
    )
    assert body["location"] == {"building_id": "b1", "common_area": "大堂"}


def test_an_immediate_reply_goes_only_when_ticked_and_written() -> None:
    ticked = complaint_body(
        form(reply_given="1", reply_text="已告知"), zone=ZONE, replied_by="周敏"
    )
    assert ticked["immediate_reply"] == {"text": "已告知", "replied_by": "周敏"}
    unticked = complaint_body(form(reply_text="已告知"), zone=ZONE, replied_by="周敏")
    assert "immediate_reply" not in unticked
    empty = complaint_body(form(reply_given="1", reply_text=" "), zone=ZONE, replied_by="周敏")
    assert "immediate_reply" not in empty


def test_a_time_typed_in_the_site_zone_is_sent_with_its_offset() -> None:
    assert local_time("2026-12-02T14:30", ZONE) == "2026-12-02T14:30:00+08:00"
    assert local_time("2026-07-01T09:00", "Europe/Berlin") == "2026-07-01T09:00:00+02:00"
    assert local_time("", ZONE) is None
    assert local_time("tomorrow", ZONE) == "tomorrow"  # for intake to refuse in its words


def test_intake_field_errors_find_their_form_field() -> None:
    assert form_field("reporter.name") == "visitor_name"
    assert form_field("reporter.household_id") == "household_id"
    assert form_field("immediate_reply.text") == "reply_text"
    assert form_field("description") == "description"
