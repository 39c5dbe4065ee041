"""The administration forms become the services' bodies: empty fields, numbers, phones,
and rows of staff addresses."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData

from console.admin import forms


def test_a_new_site_sends_only_what_was_filled_and_its_code_in_capitals() -> None:
    form = FormData(
        {"name": " 翠湖花园 ", "code": "gh2", "timezone": "Asia/Shanghai", "retention_years": "3"}
    )
    assert forms.site_body(form, creating=True) == {
        "name": "翠湖花园",
        "code": "GH2",
        "timezone": "Asia/Shanghai",
        "retention_years": 3,
    }


def test_changing_a_site_clears_emptied_fields_and_never_sends_the_code() -> None:
    form = FormData({"name": "翠湖", "code": "X", "region": "", "retention_years": "two"})
    body = forms.site_body(form, creating=False)
    assert body["region"] is None
    assert body["developer_contact"] is None
    assert body["retention_years"] == "two"  # intake refuses it, in its words
    assert "code" not in body


@pytest.mark.parametrize(
    ("typed", "numbers"),
    [
        ("138 0013 8000", ["138 0013 8000"]),
        (
            "13800138000, 0755-88886666；13900139000",
            ["13800138000", "0755-88886666", "13900139000"],
        ),
        ("1;;2、3\n4", ["1", "2", "3", "4"]),
        ("", []),
    ],
)
def test_phone_numbers_are_split_on_commas_and_semicolons_not_spaces(
    typed: str, numbers: list[str]
) -> None:
    assert forms.phones(typed) == numbers


def test_a_household_is_added_to_its_unit_and_changed_without_it() -> None:
    form = FormData({"name": "李女士", "phones": "13800138000", "email": "", "moved_in_on": ""})
    added = forms.household_body(form, unit_id="u1")
    changed = forms.household_body(form)
    assert added == {
        "name": "李女士",
        "phones": ["13800138000"],
        "email": None,
        "occupancy": "owner",
        "moved_in_on": None,
        "unit_id": "u1",
    }
    assert "unit_id" not in changed
    assert forms.household_field("phones.1") == "phones"


def test_a_unit_floor_is_a_number_or_nothing() -> None:
    assert forms.unit_body(FormData({"number": "1201", "floor": "12"}), building_id="b1") == {
        "number": "1201",
        "floor": 12,
        "building_id": "b1",
    }
    assert forms.unit_body(FormData({"number": "1201", "floor": ""}))["floor"] is None
    assert forms.unit_body(FormData({"number": "1201", "floor": "-2"}))["floor"] == -2


def test_departments_and_staff_send_what_routing_takes_when_added_and_changed() -> None:
    department = FormData({"code": "greening", "name": "Greening", "name_zh": "绿化部", "head": ""})
    staff = FormData({"id": "wu-1", "name": "吴工", "role": "handler", "department": "greening"})
    assert forms.department_body(department, creating=True) == {
        "code": "greening",
        "name": "Greening",
        "name_zh": "绿化部",
    }
    assert forms.department_body(department, creating=False)["head"] is None
    assert forms.staff_body(staff, creating=True)["id"] == "wu-1"
    changed = forms.staff_body(FormData({**staff, "department": ""}), creating=False)
    assert changed == {"name": "吴工", "role": "handler", "department": None, "active": False}
    assert forms.leadership_body(FormData({"site_name": "翠湖", "vp": "vp-1", "gm": ""})) == {
        "site_name": "翠湖",
        "region": None,
        "vp": "vp-1",
        "gm": None,
    }


def test_notify_settings_are_sent_whole() -> None:
    form = FormData(
        {
            "name": "翠湖管理处",
            "contact_phone": "0755-88886666",
            "callback_delay_hours": "24",
            "timezone": "Asia/Shanghai",
            "working_hours_start": "09:00",
            "working_hours_end": "18:00",
        }
    )
    body = forms.settings_body(form)
    assert body["acknowledge"] is False  # an unticked box is not sent by the browser
    assert body["callback_delay_hours"] == 24
    assert body["default_locale"] == "zh-CN"


ORGANISATION = {
    "staff": [
        {"id": "zhang", "name": "张三", "role": "handler", "department": "cs", "active": True},
        {"id": "chen", "name": "陈经理", "role": "dept_head", "department": "cs", "active": True},
    ]
}
CONTACTS = [
    {"staff_id": "chen", "role": "handler", "department": "old", "name": "陈", "email": "c@x.cn",
     "phone": None, "webhook_url": "https://hook", "locale": "en"},
    {"staff_id": "gone", "role": "handler", "department": "cs", "name": "离职", "email": None,
     "phone": "13800000000", "webhook_url": None, "locale": "zh-CN"},
]  # fmt: skip


def test_contact_rows_are_routing_people_with_notify_addresses_then_notify_leftovers() -> None:
    rows = forms.contact_rows(ORGANISATION, CONTACTS)
    assert [(r["staff_id"], r["known"], r["held"]) for r in rows] == [
        ("chen", True, True),  # a department's head before its handlers
        ("zhang", True, False),
        ("gone", False, True),
    ]
    assert (rows[0]["role"], rows[0]["email"], rows[0]["locale"]) == ("dept_head", "c@x.cn", "en")


def test_the_staff_directory_takes_roles_from_routing_and_addresses_from_the_form() -> None:
    rows = forms.contact_rows(ORGANISATION, CONTACTS)
    form = FormData(
        [
            ("contact_rows", "3"),
            ("contact-0-staff_id", "zhang"),
            ("contact-0-email", "zhang@x.cn"),
            ("contact-0-phone", ""),
            ("contact-1-staff_id", "chen"),
            ("contact-1-email", "bad"),
            ("contact-1-locale", "en"),
            ("contact-2-staff_id", "gone"),
            ("contact-2-remove", "1"),
        ]
    )
    body, kept = forms.contacts_body(form, rows)
    assert kept == [0, 1]
    assert [s["staff_id"] for s in body["staff"]] == ["zhang", "chen"]
    assert body["staff"][0] == {
        "staff_id": "zhang",
        "department": "cs",
        "role": "handler",
        "name": "张三",
        "email": "zhang@x.cn",
        "phone": None,
        "webhook_url": None,
        "locale": "zh-CN",
    }
    assert (body["staff"][1]["role"], body["staff"][1]["webhook_url"]) == (
        "dept_head",
        "https://hook",
    )


def test_staff_the_form_did_not_show_keep_their_addresses() -> None:
    rows = forms.contact_rows(ORGANISATION, CONTACTS)
    form = FormData([("contact_rows", "1"), ("contact-0-staff_id", "zhang")])
    body, _ = forms.contacts_body(form, rows)
    assert [s["staff_id"] for s in body["staff"]] == ["zhang", "chen", "gone"]
    assert body["staff"][1]["email"] == "c@x.cn"


def test_an_error_about_an_item_of_a_list_lands_on_its_row() -> None:
    field_of = forms.row_field({"staff": ("contact", [0, 2, 5])})
    assert field_of("staff.1.email") == "contact-2-email"
    assert field_of("staff.2") == "contact-5-row"
    assert field_of("staff.9.email") == "staff.9.email"
    assert field_of("staff") == "staff"
    nested = forms.row_field({"calendar.holidays": ("holiday", [3])})
    assert nested("calendar.holidays.0.day") == "holiday-3-day"
