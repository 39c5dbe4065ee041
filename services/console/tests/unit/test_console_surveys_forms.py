"""The surveys pages' forms become the surveys service's own bodies: percentages as
shares, local times with their offset, boxes in order, blanks as blanks; each body is
checked against the service's request model, so the form and the API cannot drift."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from starlette.datastructures import FormData

from console.surveys import forms
from surveys.campaigns.schemas import CampaignCreate
from surveys.responses.schemas import EntryCreate, RecheckIn

ZONE = "Asia/Shanghai"


def planned(*extra: tuple[str, str], **fields: str) -> FormData:
    base = {
        "site_id": "s1",
        "kind": "regular",
        "title": "2026年第四季度业户满意度征询",
        "period": "2026-Q4",
        "mode": "precision",
        "confidence": "95",
        "margin": "5",
        "stratify": "1",
        "key_min_complaints": "3",
        "recheck_rate": "10",
        "target.cleaning": "90",
        "target.security": "85.5",
        "target.overall": "90",
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2099-12-15T18:00",
    }
    ticked = [("topics", "security"), ("topics", "cleaning"), ("methods", "questionnaire")]
    return FormData([*{**base, **fields}.items(), *ticked, *extra])


def test_a_regular_plan_by_precision_is_the_services_campaign() -> None:
    body = forms.campaign_body(planned(("methods", "door_to_door")), zone=ZONE)

    assert body["topics"] == ["security", "cleaning"]  # the standard's order
    assert body["methods"] == ["door_to_door", "questionnaire"]
    assert body["targets"] == {"security": 0.855, "cleaning": 0.9, "overall": 0.9}
    assert body["sampling"] == {
        "confidence": 0.95,
        "margin": 0.05,
        "stratify": True,
        "rotate": False,
        "key_min_complaints": 3,
    }
    assert body["recheck_rate"] == 0.1
    assert body["opens_at"] == "2026-12-01T09:00:00+08:00"
    assert (body["period"], body["buildings"], body["language"]) == ("2026-Q4", None, "zh-CN")
    made = CampaignCreate.model_validate(body)
    assert made.sampling.rate is None
    assert made.sampling.size is None


def test_by_share_by_number_and_a_special_survey_of_some_buildings() -> None:
    by_share = forms.campaign_body(planned(mode="rate", rate="20"), zone=ZONE)
    assert by_share["sampling"]["rate"] == 0.2
    assert "size" not in by_share["sampling"]
    by_number = forms.campaign_body(planned(mode="size", size="30", rate="20"), zone=ZONE)
    assert (by_number["sampling"]["size"], "rate" in by_number["sampling"]) == (30, False)
    special = forms.campaign_body(
        planned(("buildings", "3栋"), ("buildings", "5栋"), kind="special", language="en"),
        zone=ZONE,
    )
    assert (special["period"], special["buildings"], special["language"]) == (
        None,
        ["3栋", "5栋"],
        "en",
    )
    for body in (by_share, by_number, special):
        CampaignCreate.model_validate(body)


def test_what_is_not_a_number_goes_as_typed_and_its_error_finds_its_field() -> None:
    body = forms.campaign_body(
        planned(**{"target.cleaning": "九十", "target.overall": ""}), zone=ZONE
    )
    assert body["targets"] == {"security": 0.855, "cleaning": "九十"}  # empty: the default
    with pytest.raises(ValidationError) as refused:
        CampaignCreate.model_validate(body)
    where = [".".join(str(p) for p in e["loc"]) for e in refused.value.errors()]
    assert [forms.campaign_field(w) for w in where] == ["target.cleaning"]
    assert forms.campaign_field("sampling.margin") == "margin"
    assert forms.campaign_field("title") == "title"


def test_the_helper_reads_the_plan_as_the_draw_sizes_it() -> None:
    precise = forms.plan_of({"mode": "precision", "confidence": "95", "margin": "5"})
    assert (precise.confidence, precise.margin, precise.valid) == (0.95, 0.05, True)
    assert precise.random_size(1000, 278) == 278
    share = forms.plan_of({"mode": "rate", "rate": "12.5", "margin": "5"})
    assert share.random_size(1000, 278) == 125
    assert share.random_size(7, 7) == 1  # rounded up, as surveys does
    number = forms.plan_of({"mode": "size", "size": "50"})
    assert (number.random_size(1000, 278), number.random_size(20, 20)) == (50, 20)
    assert not forms.plan_of({"mode": "rate", "rate": ""}).valid
    assert not forms.plan_of({"margin": "90"}).valid
    assert not forms.plan_of({"margin": "abc"}).valid
    assert forms.plan_of({"mode": "nonsense"}).mode == "precision"
    assert forms.population({"3栋": 30, "5栋": 20}, []) == 50
    assert forms.population({"3栋": 30, "5栋": 20}, ["5栋"]) == 20


def test_an_entry_sends_each_topic_a_level_or_a_blank() -> None:
    form = FormData(
        {
            "household_id": "ignored",
            "method": "phone",
            "form": "paper",
            "paper_ref": " P-007 ",
            "topic.cleaning": "dissatisfied",
            "topic.security": forms.SKIP,
            "comment": " 楼道很久没有打扫 ",
        }
    )
    body = forms.entry_body(form, topics=["security", "cleaning", "greening"], language="zh-CN")
    assert body["answers"] == {"security": None, "cleaning": "dissatisfied", "greening": None}
    assert (body["form"], body["paper_ref"], body["comment"]) == (
        "paper",
        "P-007",
        "楼道很久没有打扫",
    )
    EntryCreate.model_validate({**body, "household_id": "h1"})
    assert forms.entry_field("answers.cleaning") == "topic.cleaning"


def test_a_recheck_confirms_or_corrects_from_the_paper_form() -> None:
    confirmed = forms.recheck_body(FormData({"outcome": "confirmed"}), topics=["cleaning"])
    assert confirmed == {"outcome": "confirmed", "answers": None, "note": None}
    corrected = forms.recheck_body(
        FormData(
            {"outcome": "corrected", "topic.cleaning": "fairly_satisfied", "note": "纸质为较满意"}
        ),
        topics=["cleaning", "security"],
    )
    assert corrected["answers"] == {"cleaning": "fairly_satisfied", "security": None}
    for body in (confirmed, corrected):
        RecheckIn.model_validate(body)
