"""The administration forms as the services' JSON bodies: pure, no I/O.

A field left empty is sent as absent (creating) or as null (changing a field that may be
empty); a number that is not one is sent as typed, for the service to refuse in its own
words. Which fields a service takes, and what it refuses, stays the service's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from starlette.datastructures import FormData

from console.admin.chain import ordered_staff
from console.web.forms import optional, text

_PHONE_LIST = re.compile(r"[,;，；、\n]+")
OCCUPANCY = ("owner", "tenant")
STAFF_ROLES = ("handler", "dept_head", "vp", "gm")
LOCALES = ("zh-CN", "en")


def number(form: FormData, name: str) -> int | str | None:
    """A whole number typed in a field; None when empty; the text when it is not one."""
    value = text(form, name)
    if not value:
        return None
    return int(value) if re.fullmatch(r"-?\d{1,9}", value) else value


def checked(form: FormData, name: str) -> bool:
    """True when a checkbox was ticked."""
    return bool(text(form, name))


def _present(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


# sites


def site_body(form: FormData, *, creating: bool) -> dict[str, Any]:
    """intake's SiteCreate (creating) or SiteUpdate; the code never changes after creation."""
    body: dict[str, Any] = {
        "name": text(form, "name"),
        "region": optional(form, "region"),
        "timezone": text(form, "timezone"),
        "retention_years": number(form, "retention_years"),
        "developer_contact": optional(form, "developer_contact"),
    }
    if not creating:
        return body
    return _present({**body, "id": optional(form, "id"), "code": text(form, "code").upper()})


# buildings, units and households


def building_body(form: FormData) -> dict[str, Any]:
    """A building's code and name (no name: null)."""
    return {"code": text(form, "code"), "name": optional(form, "name")}


def unit_body(form: FormData, *, building_id: str | None = None) -> dict[str, Any]:
    """A unit's number and floor; its building when it is added."""
    body: dict[str, Any] = {"number": text(form, "number"), "floor": number(form, "floor")}
    if building_id is not None:
        body["building_id"] = building_id
    return body


def phones(value: str) -> list[str]:
    """The numbers of one field: separated by commas, semicolons or lines (not by spaces,
    which people type inside a number: 138 0013 8000)."""
    return [p.strip() for p in _PHONE_LIST.split(value) if p.strip()]


def household_body(form: FormData, *, unit_id: str | None = None) -> dict[str, Any]:
    """A household's details; its unit when it is added."""
    body: dict[str, Any] = {
        "name": text(form, "name"),
        "phones": phones(text(form, "phones")),
        "email": optional(form, "email"),
        "occupancy": text(form, "occupancy") or "owner",
        "moved_in_on": optional(form, "moved_in_on"),
    }
    if unit_id is not None:
        body["unit_id"] = unit_id
    return body


def household_field(api_field: str) -> str:
    """The form's field that an error about `api_field` belongs to (phones.1 -> phones)."""
    return api_field.split(".")[0]


# the organisation


def department_body(form: FormData, *, creating: bool) -> dict[str, Any]:
    """A department's names; its code when it is added, its head when it is changed."""
    body: dict[str, Any] = {"name": text(form, "name"), "name_zh": text(form, "name_zh")}
    if creating:
        return {"code": text(form, "code"), **body}
    return {**body, "head": optional(form, "head")}


def staff_body(form: FormData, *, creating: bool) -> dict[str, Any]:
    """A member of staff: their sign-in id when added, whether active when changed."""
    body: dict[str, Any] = {
        "name": text(form, "name"),
        "role": text(form, "role"),
        "department": optional(form, "department"),
    }
    if creating:
        return {"id": text(form, "id"), **body}
    return {**body, "active": checked(form, "active")}


def leadership_body(form: FormData) -> dict[str, Any]:
    """The VP in charge and the general manager, with the site's name on documents."""
    return {
        "site_name": text(form, "site_name"),
        "region": optional(form, "region"),
        "vp": optional(form, "vp"),
        "gm": optional(form, "gm"),
    }


# notify's office


def settings_body(form: FormData) -> dict[str, Any]:
    """notify's SiteSettingsIn, whole (it replaces what the site had)."""
    return {
        "name": text(form, "name"),
        "contact_phone": text(form, "contact_phone"),
        "acknowledge": checked(form, "acknowledge"),
        "default_locale": text(form, "default_locale") or "zh-CN",
        "callback_delay_hours": number(form, "callback_delay_hours"),
        "timezone": text(form, "timezone"),
        "working_hours_start": text(form, "working_hours_start"),
        "working_hours_end": text(form, "working_hours_end"),
    }


def contact_rows(
    organisation: dict[str, Any], contacts: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per member of staff: routing's people first (with notify's addresses where
    it has them), then anyone notify still lists whom routing no longer has."""
    held = {c["staff_id"]: c for c in contacts}
    rows = []
    for member in ordered_staff(organisation):
        found = held.pop(member["id"], None)
        rows.append(
            _row(found or {}, known=True, held=found is not None)
            | {
                "staff_id": member["id"],
                "name": member["name"],
                "role": member["role"],
                "department": member.get("department"),
                "active": member.get("active", True),
            }
        )
    return rows + [_row(c, known=False, held=True) for c in held.values()]


def _row(contact: dict[str, Any], *, known: bool, held: bool) -> dict[str, Any]:
    return {
        "staff_id": contact.get("staff_id", ""),
        "name": contact.get("name") or "",
        "role": contact.get("role", "handler"),
        "department": contact.get("department"),
        "active": True,
        "email": contact.get("email") or "",
        "phone": contact.get("phone") or "",
        "locale": contact.get("locale") or "zh-CN",
        "webhook_url": contact.get("webhook_url"),
        "known": known,
        "held": held,
    }


def contacts_body(form: FormData, rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[int]]:
    """notify's whole staff directory from the form's rows (who each is as routing and notify
    now have them, the addresses typed, no row whose removal was ticked), and the form's
    row of each entry. Staff the form did not show keep what notify has for them."""
    known = {r["staff_id"]: r for r in rows}
    staff, kept, shown = [], [], set()
    for index in range(_count(form, "contact_rows")):
        prefix = f"contact-{index}-"
        row = known.get(text(form, f"{prefix}staff_id"))
        if row is None:
            continue
        shown.add(row["staff_id"])
        if checked(form, f"{prefix}remove"):
            continue
        kept.append(index)
        staff.append(
            _contact(row, optional(form, f"{prefix}email"), optional(form, f"{prefix}phone"))
            | {"locale": text(form, f"{prefix}locale") or "zh-CN"}
        )
    unseen = [r for r in rows if r["staff_id"] not in shown and r["held"]]
    staff += [_contact(r, r["email"] or None, r["phone"] or None) for r in unseen]
    return {"staff": staff}, kept


def _contact(row: dict[str, Any], email: str | None, phone: str | None) -> dict[str, Any]:
    return {
        "staff_id": row["staff_id"],
        "department": row.get("department"),
        "role": row["role"],
        "name": row.get("name") or "",
        "email": email,
        "phone": phone,
        "webhook_url": row.get("webhook_url"),
        "locale": row.get("locale") or "zh-CN",
    }


def _count(form: FormData, name: str) -> int:
    value = text(form, name)
    return min(int(value), 5000) if value.isdigit() else 0


def row_field(lists: dict[str, tuple[str, list[int]]]) -> Callable[[str], str]:
    """Where a service's error about an item of a list belongs on a form of rows:
    `{"routes": ("route", [0, 2])}` puts `routes.1.department` at `route-2-department`
    (rows left empty or removed are not in the body, so positions shift); an error about a
    whole item goes to `route-2-row`."""

    def field_of(api_field: str) -> str:
        for path, (prefix, kept) in lists.items():
            if not api_field.startswith(f"{path}."):
                continue
            position, _, rest = api_field[len(path) + 1 :].partition(".")
            if position.isdigit() and int(position) < len(kept):
                return f"{prefix}-{kept[int(position)]}-{rest.split('.')[0] or 'row'}"
        return api_field

    return field_of
