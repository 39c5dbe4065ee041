"""Pure decisions of the timeline: which of an event's fields are kept, and how it reads."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from intake.timeline.wording import EN, EN_VALUES, ZH, ZH_VALUES
from shared import words as glossary
from shared.contracts.base import Event

FACT_FIELDS = {
    "case.assigned": ("department", "already_resolved"),
    "case.validity_judged": ("valid", "reason"),
    "case.escalated": ("level", "reason", "slip_number"),
    "case.assignment_noticed": ("department", "notice_number"),
    "sla.breached": ("deadline", "level", "department"),
    "callback.completed": ("satisfied",),
    "notification.sent": ("kind", "channel", "recipient"),
}
"""Closed-set fields worth keeping; names and free text never go into facts."""
DETAIL_FIELD = {
    "case.progressed": "note",
    "case.resolved": "reply",
    "case.reopened": "reason",
    "case.developer_answered": "answer",
    "callback.completed": "comment",
}
"""The free text an event carries for the resident's eyes (cleared by retention)."""


def facts_of(event: Event) -> dict[str, Any]:
    """The event's closed-set facts for the timeline."""
    return {name: getattr(event, name, None) for name in FACT_FIELDS.get(event.type, ())}


def detail_of(event: Event) -> str | None:
    """The event's free text for the timeline, if it has any."""
    name = DETAIL_FIELD.get(event.type)
    value = getattr(event, name) if name else None
    return str(value) if value else None


def describe(event_type: str, facts: dict[str, Any], *, lang: str = "en") -> str:
    """One sentence saying what happened, in `lang`."""
    templates, values = (ZH, ZH_VALUES) if lang == "zh" else (EN, EN_VALUES)
    words: defaultdict[str, str] = defaultdict(str, type=event_type)
    for name, value in facts.items():
        if value is not None:
            words[name] = values.get(str(value), str(value).replace("_", " "))
    if event_type == "notification.sent":
        words.update(_message_words(facts, "zh" if lang == "zh" else "en"))
    template = templates.get(_variant(event_type, facts)) or templates["unknown"]
    return template.format_map(words)


def _message_words(facts: dict[str, Any], lang: glossary.Lang) -> dict[str, str]:
    """A message's kind, channel and recipient in the glossary's words."""
    kind = glossary.value("message_kind", facts.get("kind"), lang)
    whom = glossary.recipient_kind(facts.get("recipient"))
    return {
        "kind": kind[:1].upper() + kind[1:] if lang == "en" else kind,
        "channel": glossary.value("delivery_channel", facts.get("channel"), lang),
        "recipient": glossary.value("recipient", whom, lang),
    }


def _variant(event_type: str, facts: dict[str, Any]) -> str:
    if event_type == "case.assigned" and facts.get("already_resolved"):
        return "case.assigned.resolved"
    if event_type == "case.validity_judged":
        return f"{event_type}.{'valid' if facts.get('valid') else 'invalid'}"
    if event_type == "callback.completed":
        return f"{event_type}.{'satisfied' if facts.get('satisfied') else 'unsatisfied'}"
    if event_type == "notification.sent" and facts.get("recipient"):
        return "notification.sent.to"
    return event_type
