"""Site settings, the staff directory and template previews over the API, with the
problems a person can act on."""

from __future__ import annotations

import pytest
from notify_harness import Notify, hex_id, is_problem, staff_member

pytestmark = pytest.mark.integration


async def test_site_settings_have_defaults_and_are_replaced_whole(notify: Notify) -> None:
    site = hex_id("site-")
    path = f"/v1/sites/{site}/settings"

    before = await notify.ok("GET", path)
    after = await notify.put_site(
        site, acknowledge=False, callback_delay_hours=48, default_locale="en"
    )
    reread = await notify.ok("GET", path)

    assert (before["name"], before["acknowledge"], before["default_locale"]) == (
        site,
        True,
        "zh-CN",
    )
    assert before["working_hours_start"] == "09:00"
    assert after == reread
    assert (reread["name"], reread["contact_phone"]) == ("翠苑小区", "0755-8888 6666")
    assert (reread["acknowledge"], reread["callback_delay_hours"], reread["default_locale"]) == (
        False,
        48,
        "en",
    )


async def test_bad_site_settings_are_refused_with_the_reason(notify: Notify) -> None:
    site = hex_id("site-")
    path = f"/v1/sites/{site}/settings"
    base = {"name": "翠苑小区"}

    zone = await notify.request("PUT", path, json={**base, "timezone": "Mars/Olympus"})
    hours = await notify.request(
        "PUT", path, json={**base, "working_hours_start": "18:00", "working_hours_end": "09:00"}
    )
    manager = notify.headers(roles=["gm"], sites=[site])
    not_admin = await notify.request("PUT", path, json=base, as_=manager)

    assert is_problem(zone, 422)
    assert "Mars/Olympus" in zone.text
    assert is_problem(hours, 422)
    assert is_problem(not_admin, 403)


async def test_a_validators_refusal_is_said_in_chinese_and_stays_the_same_in_english(
    notify: Notify,
) -> None:
    path = f"/v1/sites/{hex_id('site-')}/settings"
    backwards = {"name": "翠苑小区", "working_hours_start": "18:00", "working_hours_end": "09:00"}
    zh = await notify.request("PUT", path, json=backwards, headers={"Accept-Language": "zh-CN"})
    assert is_problem(zh, 422), zh.text
    said = "working_hours_start（上班时间）须早于 working_hours_end（下班时间）"
    assert [(e["field"], e["message"]) for e in zh.json()["errors"]] == [("body", said)]
    assert zh.json()["detail"] == f"请求无效：body：{said}"
    en = await notify.request("PUT", path, json=backwards)
    assert is_problem(en, 422), en.text
    english = "Value error, working_hours_start must come before working_hours_end"
    assert en.json()["errors"] == [
        {"in": "body", "field": "body", "message": english, "type": "value_error"}
    ]
    assert en.json()["detail"] == f"The request is not valid: body: {english}"
    hook = {"url": "ftp://cc.example/hooks", "site_ids": ["*"]}
    ftp = await notify.request(
        "POST", "/v1/webhook-subscriptions", json=hook, headers={"Accept-Language": "zh-CN"}
    )
    assert is_problem(ftp, 422), ftp.text
    assert [(e["field"], e["message"]) for e in ftp.json()["errors"]] == [
        ("url", "url 须是带主机名的 http:// 或 https:// 网址")
    ]


async def test_the_staff_directory_is_replaced_all_or_nothing(notify: Notify) -> None:
    site = hex_id("site-")
    path = f"/v1/sites/{site}/staff-contacts"
    first = [staff_member("a", "dept_head", "engineering"), staff_member("b", "vp", None)]
    await notify.put_staff(site, first)

    bad_role = await notify.request(
        "PUT",
        path,
        json={"staff": [staff_member("c", "dept_head", "x"), staff_member("d", "boss", None)]},
    )
    twice = await notify.request(
        "PUT", path, json={"staff": [staff_member("c", "vp", None), staff_member("c", "gm", None)]}
    )
    listed = await notify.ok("GET", path)

    assert is_problem(bad_role, 422)
    assert is_problem(twice, 422)
    assert "listed more than once: c" in twice.text
    assert [s["staff_id"] for s in listed["staff"]] == ["b", "a"]  # unchanged; no department first
    replaced = await notify.put_staff(site, [staff_member("z", "gm", None)])
    assert [s["staff_id"] for s in replaced["staff"]] == ["z"]


async def test_templates_are_listed_with_their_locales_and_variables(notify: Notify) -> None:
    templates = {t["kind"]: t for t in await notify.ok("GET", "/v1/templates")}

    mine = {
        "acknowledgement",
        "progress",
        "survey_invitation",
        "survey_reminder",
        "work_assignment",
        "assignment_notice",
        "escalation_alert",
        "sla_breach_alert",
        "complaint_report",
        "rectification_accepted",
    }
    assert mine <= set(templates)
    assert all(templates[k]["locales"] == ["zh-CN", "en"] for k in mine)
    assert templates["progress"]["variables"] == ["note", "reference", "site"]


async def test_a_preview_renders_with_the_sites_name_and_contact(notify: Notify) -> None:
    site = hex_id("site-")
    await notify.put_site(site)
    sample = {"reference": "GH-1", "note": "明天上门维修。"}

    zh = await notify.ok(
        "POST", "/v1/templates/progress/preview", json={"context": sample, "site_id": site}
    )
    en = await notify.ok(
        "POST",
        "/v1/templates/progress/preview",
        json={
            "locale": "en",
            "context": {**sample, "site": {"name": "Green Court", "contact_phone": "110"}},
        },
    )

    assert zh["subject"] == "【翠苑小区】投诉处理进展（GH-1）"
    assert "明天上门维修。" in zh["body"]
    assert "0755-8888 6666" in zh["body"]
    assert en["subject"] == "[Green Court] Progress on your complaint (GH-1)"


async def test_preview_problems_name_what_is_wrong(notify: Notify) -> None:
    unknown = await notify.request("POST", "/v1/templates/carrier_pigeon/preview", json={})
    missing = await notify.request(
        "POST", "/v1/templates/progress/preview", json={"context": {"site": {"name": "x"}}}
    )
    nested = await notify.request(
        "POST",
        "/v1/templates/progress/preview",
        json={"context": {"site": {}, "reference": "R", "note": "n"}},
    )
    locale = await notify.request("POST", "/v1/templates/progress/preview", json={"locale": "fr"})

    assert is_problem(unknown, 404)
    assert "carrier_pigeon" in unknown.json()["detail"]
    assert is_problem(missing, 422)
    assert missing.json()["missing"] == ["note", "reference"]
    assert is_problem(nested, 422)
    assert "name" in nested.json()["detail"]
    assert is_problem(locale, 422)
