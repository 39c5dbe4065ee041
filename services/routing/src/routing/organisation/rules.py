"""Pure decisions about the organisation: the escalation chain and a consistent structure.

The chain of every case is handler -> department head -> VP in charge -> general manager
(DESIGN.md §1 rule 6). Who holds each level depends on the case's department and site.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from shared.contracts.routing import EscalationLevel

Level = EscalationLevel
LEVELS: tuple[Level, ...] = get_args(EscalationLevel)
StaffRole = Literal["handler", "dept_head", "vp", "gm"]
STAFF_ROLES: tuple[StaffRole, ...] = get_args(StaffRole)


def rank(level: Level) -> int:
    """0 for handler up to 3 for the general manager."""
    return LEVELS.index(level)


def next_level(level: Level) -> Level | None:
    """The level above `level`, or None above the general manager."""
    index = rank(level) + 1
    return LEVELS[index] if index < len(LEVELS) else None


def level_of(value: str) -> Level:
    """A stored level back as a Level; ValueError for anything else."""
    for level in LEVELS:
        if level == value:
            return level
    raise ValueError(f"unknown level {value}")


@dataclass(frozen=True)
class Chain:
    """Who holds each level of one case's escalation chain (None: nobody is named)."""

    handler: str | None = None
    dept_head: str | None = None
    vp: str | None = None
    gm: str | None = None

    def holder(self, level: Level) -> str | None:
        """The staff id holding `level`."""
        holders: dict[Level, str | None] = {
            "handler": self.handler,
            "dept_head": self.dept_head,
            "vp": self.vp,
            "gm": self.gm,
        }
        return holders[level]


@dataclass(frozen=True)
class Member:
    """One staff entry as the structure check sees it."""

    id: str
    role: StaffRole
    department: str | None


@dataclass(frozen=True)
class Unit:
    """One department as the structure check sees it."""

    code: str
    head: str | None


def structure_problems(
    departments: Iterable[Unit], staff: Iterable[Member], *, vp: str | None, gm: str | None
) -> list[str]:
    """What is inconsistent in an organisation (empty when it holds together)."""
    units, members = list(departments), list(staff)
    codes = [u.code for u in units]
    people = {m.id: m for m in members}
    problems = _duplicates("department", codes) + _duplicates("staff", [m.id for m in members])
    problems += [
        f"staff {m.id} belongs to unknown department {m.department}"
        for m in members
        if m.department is not None and m.department not in codes
    ]
    problems += [
        f"staff {m.id} is a {m.role} and needs a department"
        for m in members
        if m.role in ("handler", "dept_head") and m.department is None
    ]
    problems += [_head_problem(u, people.get(u.head)) for u in units if u.head is not None]
    problems += [_leader_problem("vp", vp, people), _leader_problem("gm", gm, people)]
    return [p for p in problems if p]


def _duplicates(what: str, values: list[str]) -> list[str]:
    return [
        f"{what} {v} appears more than once" for v in sorted(set(values)) if values.count(v) > 1
    ]


def _head_problem(unit: Unit, member: Member | None) -> str:
    if member is None:
        return f"the head of {unit.code}, {unit.head}, is not listed as staff"
    if member.role != "dept_head" or member.department != unit.code:
        return f"the head of {unit.code}, {unit.head}, must be a dept_head of {unit.code}"
    return ""


def _leader_problem(role: StaffRole, ident: str | None, people: dict[str, Member]) -> str:
    if ident is None:
        return ""
    member = people.get(ident)
    if member is None or member.role != role:
        return f"the {role}, {ident}, must be listed as staff with the role {role}"
    return ""
