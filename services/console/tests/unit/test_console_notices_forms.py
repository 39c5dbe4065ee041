"""The notice forms become notify's requests: local times, the scope by ticked names, a
change of only what changed and only what the notice's state lets change, and notify's
refusals as words beside the fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.datastructures import FormData

from console.backend.client import Refused
from console.notices import forms
from console.web.i18n import Words
from console.web.messages import MESSAGES

ZONE = "Asia/Shanghai"
NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


def form(*pairs: tuple[str, str], **fields: str) -> FormData:
    base = {
        "site_id": "s1",
        "kind": "water_outage",
        "title": " 3栋停水通知 ",
        "body": "因水管维修，3栋暂停供水。",
        "scope": "site",
        "starts_at": "2026-12-03T09:00",
        "ends_at": "2026-12-03T17:00",
        "publish_at": "",
    }
    return FormData([*{**base, **fields}.items(), *pairs])


def stored(**changes: Any) -> dict[str, Any]:
    """A notice as notify answers it."""
    notice = {
        "id": "n1",
        "site_id": "s1",
        "kind": "water_outage",
        "title": "3栋停水通知",
        "body": "因水管维修，3栋暂停供水。",
        "scope": "buildings",
        "scope_ids": ["b3"],
        "starts_at": "2026-12-03T01:00:00Z",
        "ends_at": "2026-12-03T09:00:00Z",
        "publish_at": "2026-12-02T06:30:15.123456Z",
        "channels": ["sms"],
        "status": "scheduled",
    }
    return {**notice, **changes}


def shown_form(notice: dict[str, Any], **typed: str) -> FormData:
    """The edit form as the page shows the notice, with what the person typed over it."""
    values = {**forms.shown_values(notice, ZONE), **typed}
    picks = forms.shown_picks(notice)
    pairs = [("building_ids", b) for b in picks["building_ids"]]
    pairs += [("unit_ids", u) for u in picks["unit_ids"]]
    pairs += [("channels", c) for c in picks["channels"]]
    return FormData([*values.items(), *pairs])


def test_a_new_notice_is_sent_with_aware_times_and_the_households_own_channels() -> None:
    body = forms.notice_body(form(), ZONE)
    assert body == {
        "site_id": "s1",
        "kind": "water_outage",
        "title": "3栋停水通知",
        "body": "因水管维修，3栋暂停供水。",
        "scope": "site",
        "scope_ids": [],
        "starts_at": "2026-12-03T09:00:00+08:00",
        "ends_at": "2026-12-03T17:00:00+08:00",
        "publish_at": None,
        "channels": None,
    }


def test_only_the_places_ticked_under_the_chosen_scope_are_sent() -> None:
    ticked = (("building_ids", "b3"), ("building_ids", "b5"), ("unit_ids", "u1"))
    buildings = forms.notice_body(form(*ticked, scope="buildings"), ZONE)
    assert (buildings["scope"], buildings["scope_ids"]) == ("buildings", ["b3", "b5"])
    units = forms.notice_body(form(*ticked, scope="units"), ZONE)
    assert (units["scope"], units["scope_ids"]) == ("units", ["u1"])
    site = forms.notice_body(form(*ticked, scope="site"), ZONE)
    assert (site["scope"], site["scope_ids"]) == ("site", [])


def test_ticked_channels_and_a_typed_publish_time_are_sent_as_chosen() -> None:
    picked = (("channels", "sms"), ("channels", "email"), ("channels", "sms"))
    body = forms.notice_body(form(*picked, publish_at="2026-12-02T14:31"), ZONE)
    assert body["channels"] == ["sms", "email"]
    assert body["publish_at"] == "2026-12-02T14:31:00+08:00"


def test_a_time_that_is_not_one_goes_to_notify_as_typed_for_it_to_refuse() -> None:
    assert forms.notice_body(form(starts_at="tomorrow"), ZONE)["starts_at"] == "tomorrow"


def test_a_stored_time_shows_in_the_sites_zone_to_the_minute() -> None:
    assert forms.local_field("2026-12-02T06:30:15Z", ZONE) == "2026-12-02T14:30"
    assert forms.local_field(None, ZONE) == ""
    assert forms.shown_values(stored(), ZONE)["starts_at"] == "2026-12-03T09:00"


def test_an_untouched_form_changes_nothing() -> None:
    notice = stored()
    assert forms.update_body(shown_form(notice), notice, ZONE) == {}
    published = stored(status="published", publish_at="2026-12-02T06:30:15Z")
    assert forms.update_body(shown_form(published), published, ZONE) == {}


def test_a_scheduled_notice_sends_only_the_fields_changed() -> None:
    notice = stored()
    typed = shown_form(notice, title="3栋、5栋停水通知", ends_at="2026-12-03T18:00", scope="units")
    typed = FormData([*typed.multi_items(), ("unit_ids", "u7")])
    assert forms.update_body(typed, notice, ZONE) == {
        "title": "3栋、5栋停水通知",
        "ends_at": "2026-12-03T18:00:00+08:00",
        "scope": "units",
        "scope_ids": ["u7"],
    }


def test_clearing_the_channels_or_the_work_times_is_a_change_clearing_publish_is_not() -> None:
    notice = stored(kind="general")
    typed = FormData(
        [
            (k, v)
            for k, v in shown_form(notice, starts_at="", ends_at="", publish_at="").multi_items()
            if k != "channels"
        ]
    )
    assert forms.update_body(typed, notice, ZONE) == {
        "starts_at": None,
        "ends_at": None,
        "channels": None,
    }


def test_a_published_notice_changes_only_its_text_and_its_times() -> None:
    notice = stored(status="published")
    typed = shown_form(
        notice, title="改期", kind="power_outage", publish_at="2026-12-02T15:00", scope="site"
    )
    assert forms.update_body(typed, notice, ZONE) == {"title": "改期"}
    assert forms.editable("published") == ("title", "body", "starts_at", "ends_at")
    assert forms.editable("cancelled") == ()


def test_a_notice_is_closed_once_cancelled_or_once_its_published_work_is_over() -> None:
    assert forms.closed_because(stored(status="cancelled"), NOW) == "cancelled"
    over = stored(status="published", ends_at="2026-12-02T05:59:00Z")
    assert forms.closed_because(over, NOW) == "over"
    assert forms.closed_because({**over, "status": "scheduled"}, NOW) is None
    assert forms.closed_because(stored(status="published"), NOW) is None
    assert forms.closed_because(stored(status="published", ends_at=None), NOW) is None


def test_the_cancel_form_sends_the_reason_or_none() -> None:
    assert forms.cancel_body(FormData({"reason": " 管道已修好 "})) == {"reason": "管道已修好"}
    assert forms.cancel_body(FormData({"reason": ""})) == {"reason": None}


def refusal(detail: str, *errors: dict[str, Any]) -> Refused:
    return Refused(service="notify", status=422, detail=detail, errors=list(errors))


@pytest.mark.parametrize(
    ("detail", "field", "phrase"),
    [
        ("The notice is not valid: ends_at must be after starts_at", "ends_at", "end_before_start"),
        (
            "The notice is not valid: a water_outage notice needs the disruption's starts_at "
            "and ends_at",
            "starts_at",
            "needs_times",
        ),
        ("The notice is not valid: scope units needs at least one id", "scope", "pick_places"),
        (
            "The notice is not valid: publish_at must be before the disruption ends (ends_at)",
            "publish_at",
            "too_late",
        ),
    ],
)
def test_notifys_rule_is_said_in_the_pages_language_beside_its_field(
    detail: str, field: str, phrase: str
) -> None:
    filled = forms.refused_form(form(), refusal(detail), Words("zh"))
    error = filled.error(field)
    assert error is not None
    assert error["message"] == MESSAGES[f"notices.rule.{phrase}"][0]
    assert filled.get("title") == " 3栋停水通知 "


def test_notifys_field_errors_land_on_the_forms_fields() -> None:
    problem = refusal(
        "title: String should have at least 1 character",
        {"in": "body", "field": "title", "type": "string_too_short", "message": "short"},
        {"in": "body", "field": "channels.0", "type": "literal_error", "message": "no"},
        {"in": "body", "field": "scope_ids", "type": "too_long", "message": "many"},
    )
    filled = forms.refused_form(form(), problem, Words("en"))
    assert {name for name in filled.errors} == {"title", "channels", "scope"}


def test_a_conflict_of_state_is_known_but_belongs_to_no_field() -> None:
    conflict = Refused(
        service="notify",
        status=409,
        detail="Notice n1: the notice is published; channels, kind can no longer change "
        "(cancel it and publish a new one)",
    )
    rule = forms.rule_of(conflict)
    assert rule is not None
    assert (rule.field, rule.phrase) == ("", "notices.rule.published_fixed")
    assert forms.refused_form(form(), conflict, Words("zh")).errors == {}


def test_every_rule_has_words_in_both_languages() -> None:
    assert sorted({r.phrase for r in forms.RULES} - MESSAGES.keys()) == []
    phrases = [f"notices.closed.{c}" for c in ("cancelled", "over")]
    phrases += [f"notices.empty.{s}" for s in forms.STATUSES]
    phrases += [f"notices.done.{d}" for d in ("created", "updated", "unchanged", "cancelled")]
    phrases += [f"notices.sent_as.{k}" for k in ("notice", "notice_updated", "notice_cancelled")]
    phrases += [
        f"notices.{h}.{s}" for h in ("edit_hint", "cancel_hint") for s in forms.STATUSES[:2]
    ]
    phrases += [f"notices.essential.{a}" for a in ("yes", "no")]
    phrases += [f"notices.cancel.reason_{w}" for w in ("told", "kept")]
    phrases += [f"notices.col.{c}" for c in ("publish_at", "cancelled_at")]
    assert sorted(set(phrases) - MESSAGES.keys()) == []
