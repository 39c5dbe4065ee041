"""The escalation chain an organisation makes, per department: pure.

A case of a department goes up from its complaint handler to the department head, then to
the VP in charge and the general manager (DESIGN.md §1 rule 6). Routing decides who holds
each level from the organisation; this shows the same thing to the administrator who
keeps it, with the gaps where nobody is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.words import Lang


@dataclass(frozen=True)
class Link:
    """Who holds one level of a chain; no names: nobody does."""

    level: str
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chain:
    """One department's way up."""

    code: str
    department: str
    links: list[Link]

    @property
    def gaps(self) -> list[str]:
        """The levels nobody holds."""
        return [link.level for link in self.links if not link.names]


def department_name(department: dict[str, Any], lang: Lang) -> str:
    """A department's name in the page's language."""
    if lang == "zh" and department.get("name_zh"):
        return str(department["name_zh"])
    return str(department["name"])


def chains(organisation: dict[str, Any], lang: Lang) -> list[Chain]:
    """Each department's chain: its active handlers, its head, the VP, the GM."""
    staff = {s["id"]: s for s in organisation.get("staff", [])}

    def named(ident: str | None) -> list[str]:
        member = staff.get(ident or "")
        return [str(member["name"])] if member and member.get("active", True) else []

    found = []
    for department in organisation.get("departments", []):
        handlers = [
            str(s["name"])
            for s in organisation.get("staff", [])
            if s["role"] == "handler" and s.get("department") == department["code"] and s["active"]
        ]
        links = [
            Link("handler", handlers),
            Link("dept_head", named(department.get("head"))),
            Link("vp", named(organisation.get("vp"))),
            Link("gm", named(organisation.get("gm"))),
        ]
        found.append(Chain(department["code"], department_name(department, lang), links))
    return found


def holders(
    organisation: dict[str, Any], role: str, department: str | None = None
) -> list[dict[str, Any]]:
    """The active staff with `role` (of one department, if named), to choose a head, a VP
    or a GM from."""
    return [
        s
        for s in organisation.get("staff", [])
        if s["role"] == role
        and s["active"]
        and (department is None or s.get("department") == department)
    ]


RANKS = ("gm", "vp", "dept_head", "handler")


def ordered_staff(organisation: dict[str, Any]) -> list[dict[str, Any]]:
    """The staff as an organisation chart lists them: the GM, the VP, then each department
    (in its order) with its head before its handlers; inactive staff last."""
    departments = [d["code"] for d in organisation.get("departments", [])]

    def place(member: dict[str, Any]) -> tuple[bool, int, int, int, str]:
        department = member.get("department")
        at = departments.index(department) if department in departments else -1
        rank = RANKS.index(member["role"]) if member["role"] in RANKS else len(RANKS)
        leader = member["role"] in ("gm", "vp")
        return (
            not member.get("active", True),
            0 if leader else 1,
            rank if leader else at,
            rank,
            str(member["name"]),
        )

    return sorted(organisation.get("staff", []), key=place)
