"""The improvement pages' forms as routing's request bodies: pure, no I/O.

A rectification's plan is typed as rows, one item per row (team, task, due time); rows
left without a task are not sent, so a form may offer more rows than are needed. Times
typed in the site's local time are sent as aware times; a field left empty is left out,
so that routing says it is required beside that very field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from console.desk.forms import local_time
from console.web.forms import optional, text

MAX_ITEMS = 50
"""As many items as routing takes in one plan."""
FIRST_ROWS = 3
"""Empty item rows a new form offers (more with "add an item", with or without JavaScript)."""
TITLE_FROM_CASE = 60


@dataclass(frozen=True)
class Plan:
    """A rectification's body, and the form row each of its items was typed in."""

    body: dict[str, Any]
    rows: tuple[int, ...]

    def field_of(self, api_field: str) -> str:
        """The form field a routing error about `api_field` (`items.1.task`) belongs to."""
        parts = api_field.split(".")
        if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.rows):
                return f"item-{self.rows[index]}-{parts[2]}"
        return api_field


def row_count(form: FormData | dict[str, str], *, more: int = 0) -> int:
    """How many item rows the form shows (the rows it had, plus `more`), within bounds."""
    had = str(form.get("rows") or "")
    count = int(had) if had.isdigit() else FIRST_ROWS
    return max(1, min(MAX_ITEMS, count + more))


def _times(body: dict[str, Any], name: str, value: str | None, zone: str) -> None:
    """Put a local time into `body` as an aware time, only when one was typed."""
    at = local_time(value, zone)
    if at:
        body[name] = at


def rectification_body(form: FormData, zone: str) -> Plan:
    """Routing's `RectificationCreate`: from the case it is for, or for a site without one."""
    rows = tuple(n for n in range(row_count(form)) if text(form, f"item-{n}-task"))
    items = []
    for n in rows:
        item = {"team": text(form, f"item-{n}-team"), "task": text(form, f"item-{n}-task")}
        _times(item, "due_at", optional(form, f"item-{n}-due_at"), zone)
        items.append(item)
    body: dict[str, Any] = {
        "title": text(form, "title"),
        "problem": text(form, "problem"),
        "measures": text(form, "measures"),
        "items": items,
    }
    _times(body, "due_at", optional(form, "due_at"), zone)
    case_id = optional(form, "case_id")
    if case_id:
        body["case_id"] = case_id
    else:
        body["site_id"] = text(form, "site_id")
    return Plan(body, rows)


def from_case(case: dict[str, Any], *, due: str) -> dict[str, str]:
    """A new rectification's form filled from the case it is for: its problem, and a first
    item for the case's department, all due at `due` (a local time)."""
    summary = str(case.get("summary") or "")
    title = summary if len(summary) <= TITLE_FROM_CASE else summary[: TITLE_FROM_CASE - 1] + "…"
    return {
        "case_id": str(case["id"]),
        "site_id": str(case["site_id"]),
        "title": title,
        "problem": str(case.get("description") or summary),
        "due_at": due,
        "item-0-team": str(case["department"]),
        **{f"item-{n}-due_at": due for n in range(FIRST_ROWS)},
    }


def report_body(form: FormData) -> dict[str, Any]:
    """A team's report on its item: what was done, and whether the item is finished."""
    return {"note": text(form, "note"), "done": text(form, "done") == "true"}


def accept_body(form: FormData) -> dict[str, Any]:
    """Acceptance, with the inspection's note."""
    return {"note": optional(form, "note")}


def reject_body(form: FormData, zone: str) -> dict[str, Any]:
    """A rejection: why, which items go back (all when none is chosen), a new due time."""
    chosen = sorted({int(p) for p in form.getlist("items") if isinstance(p, str) and p.isdigit()})
    body: dict[str, Any] = {"reason": text(form, "reason"), "items": chosen or None}
    _times(body, "due_at", optional(form, "due_at"), zone)
    return body


def plan_body(form: FormData, zone: str) -> dict[str, Any]:
    """A corrective action's plan: the cause, the action, its owner and due time."""
    body: dict[str, Any] = {
        "analysis": text(form, "analysis"),
        "action": text(form, "action"),
        "kind": optional(form, "kind"),
    }
    if text(form, "owner"):
        body["owner"] = text(form, "owner")
    _times(body, "due_at", optional(form, "due_at"), zone)
    return body


def complete_body(form: FormData) -> dict[str, Any]:
    """The owner's report that the action was carried out."""
    return {"note": optional(form, "note")}


def verify_body(form: FormData) -> dict[str, Any]:
    """Whether the action proved effective, and how that was judged."""
    body: dict[str, Any] = {"note": text(form, "note")}
    if text(form, "effective") in ("true", "false"):
        body["effective"] = text(form, "effective") == "true"
    return body
