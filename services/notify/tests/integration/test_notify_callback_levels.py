"""The callback's five-level answers on both databases with the real broker: staff record the
resident's satisfaction with the outcome and with how the complaint was handled (speed,
attitude); `satisfied` is read off the outcome level, and `callback.completed` carries all
three, while an old client sending only `satisfied` still works (issue 14.9)."""

from __future__ import annotations

import pytest
from notify_harness import Notify, hex_id, is_problem, next_event
from test_notify_callbacks import _resolve, _token, notify_settings

from shared.contracts.notify import CallbackCompleted

pytestmark = pytest.mark.integration

__all__ = ["notify_settings"]  # the fixture: links to the page, calls every day

LEVELS = {"outcome_level": "satisfied", "speed_level": "neutral", "attitude_level": "dissatisfied"}


async def test_staff_record_the_three_levels_and_callback_completed_carries_them(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    completed = await notify.watch("callback.completed")
    _, ident, _ = await _resolve(notify, site)
    body = {"reached": True, **LEVELS, "comment": "修好了，但等了很久"}
    done = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=body)
    assert done["satisfied"] is True
    assert {k: done[k] for k in LEVELS} == LEVELS
    _, sent = await next_event(completed)
    assert isinstance(sent, CallbackCompleted)
    assert sent.satisfied is True
    assert (sent.outcome_level, sent.speed_level, sent.attitude_level) == tuple(LEVELS.values())
    history = (await notify.ok("GET", f"/v1/callbacks/{ident}"))["history"]
    assert [h["outcome_level"] for h in history] == ["satisfied"]


async def test_a_fairly_satisfied_outcome_is_not_satisfied(notify: Notify) -> None:
    site = hex_id("site-")
    completed = await notify.watch("callback.completed")
    _, ident, _ = await _resolve(notify, site)
    body = {"reached": True, "outcome_level": "fairly_satisfied"}
    done = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=body)
    assert done["satisfied"] is False
    _, sent = await next_event(completed)
    assert (sent.satisfied, sent.outcome_level, sent.speed_level) == (  # type: ignore[attr-defined]
        False,
        "fairly_satisfied",
        None,
    )


async def test_an_old_client_sending_only_satisfied_still_completes(notify: Notify) -> None:
    site = hex_id("site-")
    completed = await notify.watch("callback.completed")
    _, ident, _ = await _resolve(notify, site)
    body = {"reached": True, "satisfied": False}
    done = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=body)
    assert (done["satisfied"], done["outcome_level"]) == (False, None)
    _, sent = await next_event(completed)
    assert (sent.satisfied, sent.outcome_level) == (False, None)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "body",
    [
        {"reached": True, "satisfied": False, "outcome_level": "very_satisfied"},
        {"reached": True, "outcome_level": "很满意"},
        {"reached": True, "satisfied": True, "speed_level": "fast"},
        {"reached": False, "speed_level": "neutral"},
    ],
    ids=["contradicts", "unknown-key", "unknown-speed", "levels-without-reaching"],
)
async def test_invalid_levels_are_a_422_problem_and_the_callback_takes_a_valid_answer_after(
    notify: Notify, body: dict[str, object]
) -> None:
    site = hex_id("site-")
    _, ident, _ = await _resolve(notify, site)
    refused = await notify.request("POST", f"/v1/callbacks/{ident}/attempts", json=body)
    assert is_problem(refused, 422)
    after = await notify.ok("GET", f"/v1/callbacks/{ident}")
    assert (after["status"], after["attempts"]) == ("open", 0)
    fixed = {"reached": True, "outcome_level": "neutral", "attitude_level": "satisfied"}
    done = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=fixed)
    assert (done["satisfied"], done["outcome_level"], done["attitude_level"]) == (
        False,
        "neutral",
        "satisfied",
    )


async def test_the_resident_answers_the_three_levels_on_the_link_page(notify: Notify) -> None:
    site = hex_id("site-")
    completed = await notify.watch("callback.completed")
    _, ident, _ = await _resolve(notify, site)
    token = await _token(notify, ident)
    html = {"Accept": "text/html"}
    shown = await notify.client.get(f"/c/{token}?lang=en", headers=html)
    assert 'id="speed_level-very_satisfied"' in shown.text
    assert "Fairly satisfied" in shown.text
    form = {"outcome_level": "very_satisfied", "speed_level": "neutral", "lang": "zh-CN"}
    answered = await notify.client.post(f"/c/{token}", data=form, headers=html)
    assert 'id="thanks"' in answered.text
    _, sent = await next_event(completed)
    assert (sent.satisfied, sent.outcome_level, sent.speed_level, sent.attitude_level) == (  # type: ignore[attr-defined]
        True,
        "very_satisfied",
        "neutral",
        None,
    )


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_a_page_answer_without_the_outcome_keeps_what_was_typed(
    notify: Notify, language: str
) -> None:
    site = hex_id("site-")
    _, ident, _ = await _resolve(notify, site)
    token = await _token(notify, ident)
    html = {"Accept": "text/html"}
    form = {"speed_level": "dissatisfied", "comment": "太慢了", "lang": language}
    again = await notify.client.post(f"/c/{token}", data=form, headers=html)
    assert again.status_code == 422
    assert 'role="alert"' in again.text
    assert (
        "请选择您对处理结果的满意程度" if language == "zh-CN" else "Please choose"
    ) in again.text
    assert 'id="speed_level-dissatisfied" name="speed_level" value="dissatisfied" checked' in (
        again.text
    )
    assert "太慢了" in again.text
    odd = await notify.client.post(
        f"/c/{token}", data={"outcome_level": "superb", "lang": language}, headers=html
    )
    assert odd.status_code == 422
    after = await notify.ok("GET", f"/v1/callbacks/{ident}")
    assert after["status"] == "open"
