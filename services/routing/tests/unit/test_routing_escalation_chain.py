"""The escalation chain handler -> department head -> VP in charge -> GM, exhaustively."""

from __future__ import annotations

import itertools
import uuid

import pytest

from routing.cases.rules import escalation_target, standing_of
from routing.organisation.rules import (
    LEVELS,
    Chain,
    Member,
    Unit,
    next_level,
    rank,
    structure_problems,
)

UP = {"handler": "dept_head", "dept_head": "vp", "vp": "gm", "gm": None}


def _id() -> str:
    return f"s-{uuid.uuid4().hex[:6]}"


def _chain() -> Chain:
    return Chain(handler=_id(), dept_head=_id(), vp=_id(), gm=_id())


def test_the_chain_has_four_levels_in_order() -> None:
    assert LEVELS == ("handler", "dept_head", "vp", "gm")
    assert [rank(level) for level in LEVELS] == [0, 1, 2, 3]


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_escalates_to_the_next_and_the_gm_to_nobody(level: str) -> None:
    assert next_level(level) == UP[level]  # type: ignore[arg-type]
    assert escalation_target(level) == UP[level]  # type: ignore[arg-type]


def test_climbing_from_the_handler_reaches_the_gm_in_three_steps() -> None:
    seen, level = [], "handler"
    while level is not None:
        seen.append(level)
        level = next_level(level)  # type: ignore[arg-type]
    assert seen == list(LEVELS)


@pytest.mark.parametrize("level", LEVELS)
def test_the_chain_names_the_holder_of_each_level(level: str) -> None:
    chain = _chain()
    holders = {
        "handler": chain.handler,
        "dept_head": chain.dept_head,
        "vp": chain.vp,
        "gm": chain.gm,
    }
    assert chain.holder(level) == holders[level]  # type: ignore[arg-type]
    assert len(set(holders.values())) == 4


@pytest.mark.parametrize(
    ("who", "in_department"), list(itertools.product([*LEVELS, "stranger"], [False, True]))
)
def test_standing_holds_exactly_the_levels_the_actor_has(who: str, in_department: bool) -> None:
    chain = _chain()
    actor = chain.holder(who) if who != "stranger" else _id()  # type: ignore[arg-type]
    assert actor is not None
    standing = standing_of(actor, chain=chain, in_department=in_department)
    expected = {who} if who != "stranger" else set()
    if in_department:
        expected.add("handler")  # the department's staff form the handler pool
    assert standing.holds == expected
    assert standing.on_chain == bool(expected)


def test_one_person_may_hold_several_levels() -> None:
    boss = _id()
    chain = Chain(handler=_id(), dept_head=_id(), vp=boss, gm=boss)
    assert standing_of(boss, chain=chain, in_department=False).holds == {"vp", "gm"}


def test_an_empty_chain_holds_nobody() -> None:
    assert not standing_of(_id(), chain=Chain(), in_department=False).on_chain


def _org() -> tuple[list[Unit], list[Member]]:
    units = [Unit("customer_service", "head-cs"), Unit("engineering", None)]
    members = [
        Member("head-cs", "dept_head", "customer_service"),
        Member("h-1", "handler", "customer_service"),
        Member("h-2", "handler", "engineering"),
        Member("vp-1", "vp", None),
        Member("gm-1", "gm", None),
    ]
    return units, members


def test_a_consistent_organisation_has_no_problems() -> None:
    units, members = _org()
    assert structure_problems(units, members, vp="vp-1", gm="gm-1") == []
    assert structure_problems(units, members, vp=None, gm=None) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda u, m: m.append(Member("h-1", "handler", "engineering")), "staff h-1 appears"),
        (lambda u, m: u.append(Unit("engineering", None)), "department engineering appears"),
        (lambda u, m: m.append(Member("h-9", "handler", "laundry")), "unknown department laundry"),
        (lambda u, m: m.append(Member("h-9", "handler", None)), "needs a department"),
        (lambda u, m: m.append(Member("d-9", "dept_head", None)), "needs a department"),
        (lambda u, m: u.append(Unit("security", "nobody")), "nobody, is not listed"),
        (lambda u, m: u.append(Unit("security", "h-2")), "must be a dept_head of security"),
    ],
)
def test_inconsistencies_are_named(change: object, problem: str) -> None:
    units, members = _org()
    change(units, members)  # type: ignore[operator]
    found = structure_problems(units, members, vp="vp-1", gm="gm-1")
    assert any(problem in p for p in found), found


@pytest.mark.parametrize(("vp", "gm"), [("h-1", "gm-1"), ("vp-1", "vp-1"), ("ghost", "gm-1")])
def test_the_vp_and_gm_must_be_staff_with_those_roles(vp: str, gm: str) -> None:
    units, members = _org()
    found = structure_problems(units, members, vp=vp, gm=gm)
    assert len(found) == 1
    assert "must be listed as staff with the role" in found[0]
