"""Pure decisions about the organisation: the escalation chain and a consistent structure.

The chain of every case is handler -> department head -> VP in charge -> general manager
(DESIGN.md §1 rule 6). Who holds each level depends on the case's department and site.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from shared.contracts.routing import EscalationLevel
from shared.words import Lang, value

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
    departments: Iterable[Unit],
    staff: Iterable[Member],
    *,
    vp: str | None,
    gm: str | None,
    lang: Lang = "en",
) -> list[str]:
    """What is inconsistent in an organisation, in `lang` (empty when it holds together)."""
    units, members = list(departments), list(staff)
    codes = [u.code for u in units]
    people = {m.id: m for m in members}
    problems = _duplicates("department", codes, lang)
    problems += _duplicates("staff", [m.id for m in members], lang)
    problems += [
        _said(
            lang,
            f"staff {m.id} belongs to unknown department {m.department}",
            f"员工 {m.id} 所属的部门 {m.department} 不存在",
        )
        for m in members
        if m.department is not None and m.department not in codes
    ]
    problems += [
        _said(
            lang,
            f"staff {m.id} is a {m.role} and needs a department",
            f"员工 {m.id} 是{value('level', m.role, 'zh')}，必须属于某个部门",
        )
        for m in members
        if m.role in ("handler", "dept_head") and m.department is None
    ]
    problems += [_head_problem(u, people.get(u.head), lang) for u in units if u.head is not None]
    problems += [_leader_problem("vp", vp, people, lang), _leader_problem("gm", gm, people, lang)]
    return [p for p in problems if p]


def _said(lang: Lang, english: str, chinese: str) -> str:
    return chinese if lang == "zh" else english


def _duplicates(what: Literal["department", "staff"], values: list[str], lang: Lang) -> list[str]:
    what_zh = {"department": "部门", "staff": "员工"}[what]
    return [
        _said(lang, f"{what} {v} appears more than once", f"{what_zh} {v} 重复出现")
        for v in sorted(set(values))
        if values.count(v) > 1
    ]


def _head_problem(unit: Unit, member: Member | None, lang: Lang) -> str:
    if member is None:
        return _said(
            lang,
            f"the head of {unit.code}, {unit.head}, is not listed as staff",
            f"{unit.code} 的部门负责人 {unit.head} 不在员工名单中",
        )
    if member.role != "dept_head" or member.department != unit.code:
        return _said(
            lang,
            f"the head of {unit.code}, {unit.head}, must be a dept_head of {unit.code}",
            f"{unit.code} 的部门负责人 {unit.head} 必须是 {unit.code} 部门、角色为部门负责人"
            "（dept_head）的员工",
        )
    return ""


def _leader_problem(
    role: StaffRole, ident: str | None, people: dict[str, Member], lang: Lang
) -> str:
    if ident is None:
        return ""
    member = people.get(ident)
    if member is None or member.role != role:
        role_zh = value("level", role, "zh")
        return _said(
            lang,
            f"the {role}, {ident}, must be listed as staff with the role {role}",
            f"{role_zh} {ident} 必须列在员工名单中，角色为{role_zh}（{role}）",
        )
    return ""
