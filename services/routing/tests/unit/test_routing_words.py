"""Every case status, case event and escalation reason routing knows has words in both
languages (shared.words), so that no page or document shows a code."""

from __future__ import annotations

from typing import get_args

import pytest

from routing.cases import rules
from routing.cases.rules import Action, CaseState, Standing, Status
from routing.corrective import rules as corrective_rules
from routing.organisation.rules import Member, Unit, structure_problems
from routing.rectifications import rules as rectification_rules
from shared.contracts import routing as contracts
from shared.contracts.routing import CaseEvent, EscalationReason
from shared.words import ESCALATION_REASONS, EVENTS, VALUES


def _case_event_types() -> set[str]:
    classes = [c for c in vars(contracts).values() if isinstance(c, type)]
    found = {getattr(c, "type", None) for c in classes if issubclass(c, CaseEvent)}
    return {t for t in found if isinstance(t, str)}


def test_every_case_status_has_words_in_both_languages() -> None:
    missing = [s.value for s in Status if set(VALUES["status"].get(s.value, {})) != {"zh", "en"}]
    assert missing == []


def test_every_case_event_has_words_in_both_languages() -> None:
    types = _case_event_types()
    assert "case.withdrawn" in types
    assert sorted(t for t in types if set(EVENTS.get(t, {})) != {"zh", "en"}) == []


def test_every_escalation_reason_has_words_in_both_languages() -> None:
    reasons = set(get_args(EscalationReason))
    assert sorted(r for r in reasons if set(ESCALATION_REASONS.get(r, {})) != {"zh", "en"}) == []


def test_every_case_action_has_words_in_both_languages() -> None:
    words = VALUES["case_action"]
    assert sorted(a.value for a in Action if set(words.get(a.value, {})) != {"zh", "en"}) == []


def test_a_refused_action_says_why_in_chinese_too() -> None:
    handler = Standing(holds=frozenset({"handler"}))
    with pytest.raises(rules.IllegalTransition) as closed:
        rules.decide(Action.RESOLVE, CaseState(status=Status.CLOSED), handler)
    assert closed.value.detail == "A case that is closed cannot resolve"
    assert closed.value.zh == "投诉当前为“已关闭”，不能处理答复"
    with pytest.raises(rules.Forbidden) as outsider:
        rules.decide(Action.ACCEPT, CaseState(status=Status.ASSIGNED), Standing())
    assert outsider.value.zh == "只有该投诉所在部门的员工及其上级可以处理"


def test_every_rectification_and_corrective_step_has_words_in_both_languages() -> None:
    for kind, actions in (
        ("rectification_action", rectification_rules.Action),
        ("action_step", corrective_rules.Action),
    ):
        words = VALUES[kind]
        assert sorted(a.value for a in actions if set(words.get(a.value, {})) != {"zh", "en"}) == []


def test_a_refused_rectification_or_corrective_step_says_why_in_chinese_too() -> None:
    with pytest.raises(rectification_rules.IllegalTransition) as early:
        rectification_rules.next_status(
            rectification_rules.Action.ACCEPT, rectification_rules.Status.IN_PROGRESS
        )
    assert early.value.zh == "整改当前为“整改中”，不能验收通过"
    with pytest.raises(rectification_rules.IllegalTransition) as done:
        rectification_rules.next_status(
            rectification_rules.Action.REPORT,
            rectification_rules.Status.IN_PROGRESS,
            rectification_rules.ItemStatus.DONE,
        )
    assert done.value.zh == "整改项已完成，不能汇报整改进展"
    with pytest.raises(corrective_rules.IllegalTransition) as verified:
        corrective_rules.next_status(
            corrective_rules.Action.COMPLETE, corrective_rules.Status.VERIFIED
        )
    assert verified.value.detail == "An action that is verified cannot complete"
    assert verified.value.zh == "措施当前为“已验证”，不能报告完成"


def test_an_organisation_that_does_not_hold_together_is_told_in_chinese_too() -> None:
    units = [Unit(code="eng", head="h-1")]
    members = [Member(id="h-1", role="handler", department="eng")]
    assert structure_problems(units, members, vp="vp-1", gm=None, lang="zh") == [
        "eng 的部门负责人 h-1 必须是 eng 部门、角色为部门负责人（dept_head）的员工",
        "主管副总经理 vp-1 必须列在员工名单中，角色为主管副总经理（vp）",
    ]
