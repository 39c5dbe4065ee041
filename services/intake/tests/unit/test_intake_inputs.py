"""Input hygiene and the complaint form's own rules, without any I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from intake import phones
from intake.complaints.schemas import ComplaintCreate
from intake.directory.schemas import HouseholdUpdate, SiteCreate
from intake.inputs import Phone, known_time_zone, no_control_characters, single_line
from shared.http.errors import InvalidFieldError


@pytest.mark.parametrize("text", ["a\u0000b", "bell\u0007", "\ud800", "esc\x1b[0m", "c1\x85"])
def test_control_characters_and_lone_surrogates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="control characters"):
        no_control_characters(text)


def test_free_text_keeps_tabs_and_line_breaks_but_names_do_not() -> None:
    assert no_control_characters("line one\r\n\tline two 楼道") == "line one\r\n\tline two 楼道"
    with pytest.raises(ValueError, match="single line"):
        single_line("Li\nLei")


ONE_MOBILE = ["+8613800138000", "+86 138 0013 8000", "0086 138 0013 8000", "138-0013-8000"]


@pytest.mark.parametrize("raw", [*ONE_MOBILE, "138 0013-8000", "(+86) 13800138000"])
def test_every_spelling_of_a_mainland_mobile_is_its_national_number(raw: str) -> None:
    assert phones.normalised(raw, region="CN") == "13800138000"


@pytest.mark.parametrize(
    ("raw", "phone"),
    [("+86 (20) 5555.0100", "2055550100"), ("020 5555 0100", "2055550100")],
)
def test_a_mainland_landline_is_kept_without_its_trunk_prefix(raw: str, phone: str) -> None:
    assert phones.normalised(raw, region="CN") == phone


@pytest.mark.parametrize(
    ("raw", "phone"),
    [("+852 9123 4567", "+85291234567"), ("00852 9123-4567", "+85291234567")],
)
def test_another_countrys_number_is_kept_in_e164(raw: str, phone: str) -> None:
    assert phones.normalised(raw, region="CN") == phone


def test_the_region_decides_which_numbers_are_national() -> None:
    assert phones.normalised("9123 4567", region="HK") == "91234567"
    assert phones.normalised("+86 138 0013 8000", region="HK") == "+8613800138000"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("call me", "characters a phone number does not have"),
        ("123", "too short"),
        ("+", "no digits"),
        ("12345678901234567890123", "too long"),
        ("1-2-3-4-5x", "characters a phone number does not have"),
        ("1380013800", "no numbering plan"),
        ("+999 1234 5678", "country code"),
    ],
)
def test_what_is_not_a_valid_phone_number_is_refused_saying_why(raw: str, why: str) -> None:
    with pytest.raises(phones.InvalidPhoneError, match=f"phone number.*{why}") as refused:
        phones.normalised(phones.written(raw), region="CN")
    assert refused.value.zh.startswith("不是有效的电话号码：")


PHONE = TypeAdapter(Phone)


def test_a_request_takes_a_number_as_written_and_an_import_stores_it_for_its_site() -> None:
    # The API's models keep the spelling (the service stores it once it knows the site's
    # country); an import, validated knowing its site, stores it at once.
    assert PHONE.validate_python(" 9123 4567 ") == "9123 4567"
    assert PHONE.validate_python("9123 4567", context={"region": "HK"}) == "91234567"
    assert PHONE.validate_python("138-0013-8000", context={"region": "CN"}) == "13800138000"
    with pytest.raises(ValidationError, match="at most 40"):
        PHONE.validate_python("1" * 41)
    with pytest.raises(ValidationError, match="does not have"):
        PHONE.validate_python("call me")


def test_a_number_a_site_cannot_have_is_a_field_error_in_both_languages() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        phones.stored("9123 4567", region="CN", field="reporter.phone")
    assert refused.value.field == "reporter.phone"
    assert "not a valid phone number" in refused.value.message
    assert refused.value.zh is not None
    assert refused.value.zh.startswith("不是有效的电话号码")
    assert phones.stored("9123 4567", region="HK", field="reporter.phone") == "91234567"


def test_a_caller_is_looked_up_in_every_country_of_the_principals_sites() -> None:
    assert phones.candidates("+86 138 0013 8000", regions=["CN", "HK"]) == [
        "13800138000",
        "+8613800138000",
    ]
    assert phones.candidates("9123 4567", regions=["CN", "HK"]) == ["91234567"]
    with pytest.raises(InvalidFieldError):
        phones.candidates("123", regions=["CN", "HK"])


def test_a_site_is_in_a_country_whose_numbering_plan_is_known() -> None:
    assert SiteCreate.model_validate({"code": "HK1", "name": "x", "country": "HK"}).country == "HK"
    assert SiteCreate.model_validate({"code": "GH", "name": "x"}).country == "CN"
    with pytest.raises(ValidationError, match="not a known country code"):
        SiteCreate.model_validate({"code": "GH", "name": "x", "country": "XX"})


def test_time_zones_must_exist() -> None:
    assert known_time_zone("Asia/Shanghai") == "Asia/Shanghai"
    with pytest.raises(ValueError, match="not a known time zone"):
        known_time_zone("Mars/Olympus")


def _complaint(**changes: Any) -> dict[str, Any]:
    body = {
        "site_id": "site-1",
        "channel": "phone",
        "kind": "complaint",
        "category": "security",
        "description": "The gate is broken.",
        "reporter": {"type": "household", "household_id": "h-1"},
    }
    return {**body, **changes}


def test_a_complaint_form_defaults_to_normal_severity() -> None:
    form = ComplaintCreate.model_validate(_complaint())
    assert form.severity == "normal"
    assert form.reporter.type == "household"


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"description": "x" * 5001}, "description"),
        ({"reporter": {"type": "visitor", "name": "Li"}}, "a phone or an e-mail"),
        ({"reporter": {"type": "staff", "staff_member": "A", "department": "B"}}, "staff"),
        ({"occurred_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()}, "future"),
        ({"location": {}}, "location"),
        ({"urgency": "high"}, "urgency"),
    ],
)
def test_a_complaint_form_refuses(changes: dict[str, Any], where: str) -> None:
    with pytest.raises(ValidationError, match=where):
        ComplaintCreate.model_validate(_complaint(**changes))


def test_site_codes_are_capitals_and_digits() -> None:
    assert SiteCreate.model_validate({"code": "GH2", "name": "x"}).code == "GH2"
    with pytest.raises(ValidationError):
        SiteCreate.model_validate({"code": "gh", "name": "x"})


def test_a_patch_names_only_what_changes_and_cannot_null_what_is_required() -> None:
    update = HouseholdUpdate.model_validate({"email": None, "occupancy": "tenant"})
    assert update.changes() == {"email": None, "occupancy": "tenant"}
    with pytest.raises(ValidationError, match="name cannot be null"):
        HouseholdUpdate.model_validate({"name": None})
