"""Every case status, case event and escalation reason routing knows has words in both
languages (shared.words), so that no page or document shows a code."""

from __future__ import annotations

from typing import get_args

from routing.cases.rules import Status
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
