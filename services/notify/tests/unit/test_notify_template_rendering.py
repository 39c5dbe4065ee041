"""Message templates: every kind in both locales, subjects on the first line, the site's
local time, and missing variables named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notify.templates import loader

SITE = {"name": "翠苑小区", "contact_phone": "0755-8888 6666", "timezone": "Asia/Shanghai"}
AT = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
SAMPLES: dict[str, dict[str, object]] = {
    "acknowledgement": {"reference": "GH-1", "received_at": AT},
    "progress": {"reference": "GH-1", "note": "明天上门。"},
    "survey_invitation": {"title": "Q4", "url": "https://s.example/q/t", "expires_at": AT},
    "survey_reminder": {"title": "Q4", "url": "https://s.example/q/r", "expires_at": AT},
    "work_assignment": {
        "reference": "GH-1",
        "department": "engineering",
        "department_zh": "工程部",
        "handler": None,
        "acknowledge_due_at": AT,
        "resolve_due_at": None,
    },
    "assignment_notice": {
        "reference": "GH-1",
        "notice_number": "WA-1",
        "department": "engineering",
        "department_zh": "工程部",
        "handler": "eng-1",
        "instructions": "修好",
        "due_at": AT,
        "slip_number": None,
    },
    "escalation_alert": {
        "reference": "GH-1",
        "level": "gm",
        "from_level": "vp",
        "reason": "unsatisfied",
        "slip_number": None,
        "note": None,
        "department": "engineering",
        "department_zh": "工程部",
        "handler": "钱师傅",
        "description": "楼道灯不亮。",
    },
    "sla_breach_alert": {
        "reference": "GH-1",
        "deadline": "acknowledge",
        "due_at": AT,
        "level": "handler",
        "department": "engineering",
        "department_zh": "工程部",
        "handler": None,
        "description": "楼道灯不亮。",
    },
    "complaint_report": {
        "period": "2026-10",
        "complaints": 3,
        "valid": 2,
        "invalid": 1,
        "url": "u",
    },
    "rectification_accepted": {
        "number": "RC-1",
        "title": "t",
        "problem": "p",
        "measures": "m",
        "items": 2,
        "accepted_at": AT,
        "report_url": None,
    },
    "case_withdrawn": {"reference": "GH-1", "reason": None, "withdrawn_at": AT},
    "case_supplemented": {
        "reference": "GH-1",
        "text": "晚上更吵。",
        "added_by": "业主",
        "added_at": AT,
    },
    "rectification_items": {
        "number": "RC-1",
        "title": "t",
        "problem": "p",
        "measures": "m",
        "team": "engineering",
        "items": [{"position": 1, "task": "换灯", "due_at": AT}],
        "due_at": AT,
    },
    "sla_warning": {
        "reference": "GH-1",
        "deadline": "resolve",
        "due_at": AT,
        "share": 80,
        "department": "engineering",
        "department_zh": "工程部",
        "handler": "钱师傅",
        "description": "楼道灯不亮。",
    },
    "corrective_action_overdue": {
        "number": "CA-1",
        "kind": "corrective",
        "action": "b",
        "due_at": AT,
        "level": "dept_head",
        "owner": "钱师傅",
    },
    "rectification_item_overdue": {
        "number": "RC-1",
        "title": None,
        "position": 2,
        "team": "engineering",
        "task": None,
        "due_at": AT,
        "level": "vp",
    },
    "developer_forwarded": {
        "reference": "GH-1",
        "description": "外墙渗水。",
        "location": "3栋 1201",
        "note": "属保修范围",
        "follow_up_due_at": AT,
        "department": "engineering",
        "department_zh": "工程部",
        "handler": "钱师傅",
        "developer": "华南地产",
    },
    "developer_reminder": {
        "reference": "GH-1",
        "reminder": 2,
        "forwarded_at": AT,
        "description": "外墙渗水。",
        "department": "engineering",
        "department_zh": "工程部",
        "handler": "钱师傅",
        "developer": None,
    },
    "follow_up_reminder": {
        "reference": "GH-1",
        "reminder": 1,
        "forwarded_at": AT,
        "description": None,
        "department": "engineering",
        "department_zh": "工程部",
        "handler": None,
    },
    "corrective_action_assigned": {
        "number": "CA-1",
        "kind": "preventive",
        "analysis": "a",
        "action": "b",
        "due_at": AT,
    },
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_kind_renders_in_both_locales_with_the_sites_name(kind: str, locale: str) -> None:
    rendered = loader.render(kind, locale, {"site": SITE, **SAMPLES[kind]})

    assert rendered.subject.startswith("【翠苑小区】" if locale == "zh-CN" else "[翠苑小区]")
    assert "\n" not in rendered.subject
    assert rendered.body.strip()
    assert "None" not in rendered.body


@pytest.mark.parametrize("kind", ["work_assignment", "assignment_notice"])
def test_a_department_is_named_in_the_readers_language(kind: str) -> None:
    names = {"department": "Engineering", "department_zh": "工程部", "handler": "钱师傅"}
    context = {"site": SITE, **SAMPLES[kind], **names}

    zh = loader.render(kind, "zh-CN", context)
    en = loader.render(kind, "en", context)

    assert "工程部负责人" in zh.body
    assert "处理人：钱师傅" in zh.body
    assert "Engineering" in en.body
    assert "工程部" not in en.body


def test_times_are_the_sites_wall_clock_time() -> None:
    rendered = loader.render(
        "acknowledgement", "zh-CN", {"site": SITE, **SAMPLES["acknowledgement"]}
    )

    assert "2026-11-27 10:30" in rendered.body


def test_every_missing_variable_is_named() -> None:
    with pytest.raises(loader.MissingVariablesError) as caught:
        loader.render("progress", "en", {"site": SITE})

    assert caught.value.names == ["note", "reference"]


def test_a_missing_attribute_is_an_error_not_a_gap() -> None:
    with pytest.raises(loader.MissingVariablesError, match="name"):
        loader.render("progress", "en", {"site": {}, "reference": "R", "note": "n"})


@pytest.mark.parametrize("kind", ["carrier_pigeon", "../secrets", ".hidden"])
def test_an_unknown_kind_is_refused(kind: str) -> None:
    with pytest.raises(loader.UnknownTemplateError):
        loader.render(kind, "en", {})


def test_locales_fall_back_to_chinese() -> None:
    assert [loader.normal_locale(x) for x in ("en", "en-GB", "zh-CN", "fr", None)] == [
        "en",
        "en",
        "zh-CN",
        "zh-CN",
        "zh-CN",
    ]


def test_every_kind_has_both_locales() -> None:
    assert set(SAMPLES) <= set(loader.kinds())
    assert all(loader.locales_of(kind) == ["zh-CN", "en"] for kind in SAMPLES)


@pytest.mark.parametrize(
    ("locale", "words"),
    [("en", "resident not reachable at callback"), ("zh-CN", "回访联系不上业户")],
)
def test_an_escalation_for_an_unreachable_resident_says_why(locale: str, words: str) -> None:
    context = {"site": SITE, **SAMPLES["escalation_alert"], "reason": "unreachable"}
    assert words in loader.render("escalation_alert", locale, context).body
