"""The notice forms as notify's requests, and notify's refusals as words beside the
fields: pure, no I/O.

Times are typed in the site's local time (`datetime-local`) and sent as aware times. The
scope is picked by name: the ticked buildings or units of the chosen scope are sent,
the others are not. A change sends only what the person changed, and only what notify
lets a notice in its state change (a published notice: its text and its times), so an
untouched field can never turn into a new revision sent to every household.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from console.backend.client import Refused
from console.desk.forms import local_time
from console.web import times
from console.web.forms import Filled, optional, text
from shared.contracts import notify

KINDS: tuple[str, ...] = notify.NOTICE_KINDS
SIGNED: tuple[str, ...] = notify.SIGNED
"""Kinds notify prints a warning sign for."""
SCOPES = ("site", "buildings", "units")
CHANNELS = ("sms", "email", "webhook", "phone_task")
STATUSES = ("scheduled", "published", "cancelled")
TIMES = ("starts_at", "ends_at", "publish_at")
ALL_FIELDS = ("kind", "title", "body", "scope", "starts_at", "ends_at", "publish_at", "channels")
PUBLISHED_FIELDS = ("title", "body", "starts_at", "ends_at")
"""What notify lets a published notice change (its households have it already)."""
PICKED = ("building_ids", "unit_ids", "channels")
"""The form's fields that carry several ticked values."""


def picked(form: FormData) -> dict[str, list[str]]:
    """The ticked values of each multi-value field, in order, once each."""
    return {name: _unique(form.getlist(name)) for name in PICKED}


def _unique(values: Iterable[Any]) -> list[str]:
    found: list[str] = []
    for value in values:
        if isinstance(value, str) and value.strip() and value.strip() not in found:
            found.append(value.strip())
    return found


def scope_of(form: FormData) -> tuple[str, list[str]]:
    """The scope chosen and the ids of the places ticked under it."""
    scope = text(form, "scope") or "site"
    ticked = picked(form)
    ids = {"buildings": ticked["building_ids"], "units": ticked["unit_ids"]}.get(scope, [])
    return scope, ids


def notice_body(form: FormData, zone: str) -> dict[str, Any]:
    """notify's `NoticeCreate` from the new-notice form."""
    scope, ids = scope_of(form)
    return {
        "site_id": text(form, "site_id"),
        "kind": text(form, "kind"),
        "title": text(form, "title"),
        "body": text(form, "body"),
        "scope": scope,
        "scope_ids": ids,
        "starts_at": local_time(optional(form, "starts_at"), zone),
        "ends_at": local_time(optional(form, "ends_at"), zone),
        "publish_at": local_time(optional(form, "publish_at"), zone),
        "channels": picked(form)["channels"] or None,
    }


def editable(status: str) -> tuple[str, ...]:
    """The fields a notice in `status` may still change (none once cancelled)."""
    return {"scheduled": ALL_FIELDS, "published": PUBLISHED_FIELDS}.get(status, ())


def closed_because(found: dict[str, Any], now: datetime) -> str | None:
    """Why a notice can no longer change nor be cancelled (None while it can): it was
    cancelled, or it is out and its work is over."""
    if found["status"] == "cancelled":
        return "cancelled"
    ends = times.parse(found.get("ends_at"))
    if found["status"] == "published" and ends is not None and ends <= now:
        return "over"
    return None


def update_body(form: FormData, found: dict[str, Any], zone: str) -> dict[str, Any]:
    """notify's `NoticeUpdate`: only the fields changed on the form, of those the notice's
    state lets change."""
    shown = shown_values(found, zone)
    allowed = editable(str(found["status"]))
    changes: dict[str, Any] = {}
    for name in ("kind", "title", "body"):
        if name in allowed and text(form, name) != shown[name]:
            changes[name] = text(form, name)
    for name in TIMES:
        typed = text(form, name)
        if name in allowed and typed != shown[name] and (typed or name != "publish_at"):
            changes[name] = local_time(typed or None, zone)
    if "scope" in allowed:
        scope, ids = scope_of(form)
        if scope != found["scope"] or sorted(ids) != sorted(found["scope_ids"]):
            changes.update(scope=scope, scope_ids=ids)
    if "channels" in allowed:
        channels = picked(form)["channels"]
        if sorted(channels) != sorted(found.get("channels") or []):
            changes["channels"] = channels or None
    return changes


def cancel_body(form: FormData) -> dict[str, Any]:
    """notify's `NoticeCancel`: why the work is off (told to the households reached)."""
    return {"reason": optional(form, "reason")}


def local_field(value: str | datetime | None, zone: str) -> str:
    """A stored time as a `datetime-local` field's value in the site's zone ('' if none)."""
    at = times.parse(value)
    if at is None:
        return ""
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def shown_values(found: dict[str, Any], zone: str) -> dict[str, str]:
    """The notice as its edit form shows it, field by field."""
    values = {name: str(found.get(name) or "") for name in ("kind", "title", "body", "scope")}
    values.update({name: local_field(found.get(name), zone) for name in TIMES})
    values["site_id"] = str(found["site_id"])
    return values


def shown_picks(found: dict[str, Any]) -> dict[str, list[str]]:
    """The notice's ticked places and channels, as its edit form shows them."""
    ids = list(found.get("scope_ids") or [])
    return {
        "building_ids": ids if found["scope"] == "buildings" else [],
        "unit_ids": ids if found["scope"] == "units" else [],
        "channels": list(found.get("channels") or []),
    }


@dataclass(frozen=True)
class Rule:
    """One of notify's rules: words of its refusal, the form field it is about, and the
    console's phrase saying the same in the page's language."""

    says: str
    field: str
    phrase: str


RULES = (
    Rule("needs the disruption's starts_at and ends_at", "starts_at", "notices.rule.needs_times"),
    Rule("ends_at needs starts_at", "starts_at", "notices.rule.end_needs_start"),
    Rule("ends_at must be after starts_at", "ends_at", "notices.rule.end_before_start"),
    Rule("publish_at must be before the disruption ends", "publish_at", "notices.rule.too_late"),
    Rule("a whole-site notice takes no ids", "scope", "notices.rule.site_takes_no_places"),
    Rule("needs at least one id", "scope", "notices.rule.pick_places"),
    Rule("can no longer change", "", "notices.rule.published_fixed"),
    Rule("the notice was cancelled", "", "notices.rule.cancelled"),
    Rule("is cancelled already", "", "notices.rule.cancelled"),
    Rule("the disruption is over", "", "notices.rule.over"),
)
FIELDS = {"scope_ids": "scope", "site_id": "scope"}
"""Where notify's field errors belong on the form (list items under their list)."""


def rule_of(refused: Refused) -> Rule | None:
    """The notify rule a refusal names, if it is one the console has words for."""
    return next((r for r in RULES if r.says in refused.detail), None)


def form_field(api_field: str) -> str:
    """The form field a notify error about `api_field` (`channels.0`, `scope_ids`) is about."""
    name = api_field.split(".")[0]
    return FIELDS.get(name, name)


def refused_form(form: FormData, refused: Refused, words: Any) -> Filled:
    """The form as typed, with notify's field errors and its rule, in words, beside the
    field it is about."""
    filled = Filled.of(form, refused, field_of=form_field)
    rule = rule_of(refused)
    if rule is not None and rule.field:
        filled.errors[rule.field] = {"type": "notice_rule", "message": words(rule.phrase)}
    return filled
