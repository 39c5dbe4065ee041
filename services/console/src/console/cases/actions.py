"""Each action of a case page as routing's request: its path and its body, from the form.

Pure, no I/O. The actions offered are the ones routing says the person may take now
(`actions` of the case); the console never decides that itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from console.desk.forms import local_time
from console.web.forms import optional, text

Body = Callable[[FormData, str], dict[str, Any] | None]


@dataclass(frozen=True)
class Action:
    """One thing a person does to a case."""

    name: str
    path: str
    body: Body


def _none(_form: FormData, _zone: str) -> None:
    return None


def _fields(*names: str) -> Body:
    def body(form: FormData, _zone: str) -> dict[str, Any]:
        return {name: text(form, name) for name in names}

    return body


def _validity(form: FormData, _zone: str) -> dict[str, Any]:
    valid = text(form, "valid") == "true"
    return {"valid": valid, "reason": None if valid else optional(form, "reason")}


def _notice(form: FormData, zone: str) -> dict[str, Any]:
    return {
        "department": text(form, "department"),
        "instructions": text(form, "instructions"),
        "due_at": local_time(optional(form, "due_at"), zone),
        "handler": optional(form, "handler"),
    }


def _forward(form: FormData, _zone: str) -> dict[str, Any]:
    return {"note": optional(form, "note")}


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("accept", "accept", _none),
        Action("progress", "progress", _fields("note")),
        Action("judge_validity", "validity", _validity),
        Action("transmit", "transmittals", _fields("reason")),
        Action("issue_notice", "assignment-notices", _notice),
        Action("forward_to_developer", "developer-forwarding", _forward),
        Action("record_developer_answer", "developer-answer", _fields("answer")),
        Action("resolve", "resolution", _fields("result", "reply")),
    )
}
ORDER = tuple(ACTIONS)
