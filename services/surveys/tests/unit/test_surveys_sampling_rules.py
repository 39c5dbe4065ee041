"""Sampling rules against hand-computed values: size, allocation, draw, key sample."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from surveys.sampling import rules

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SINCE = NOW - timedelta(days=90)  # the site's last campaign
YEAR_AGO = NOW - timedelta(days=365)


def frame(sizes: dict[str, int]) -> dict[str, list[str]]:
    return {b: [f"{b}-{n:05}" for n in range(size)] for b, size in sizes.items()}


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "expected"),
    [
        # n0 = 1.959964² x 0.25 / 0.05² = 384.146; 384.146 / (1 + 383.146/1000) = 277.7
        (1000, 0.95, 0.05, 278),
        # 384.146 / (1 + 383.146/100) = 79.5
        (100, 0.95, 0.05, 80),
        # n0 = 3.841459 x 0.25 / 0.0009 = 1067.07; / (1 + 1066.07/1e6) = 1065.9
        (1_000_000, 0.95, 0.03, 1066),
        # z(0.90) = 1.644854: n0 = 2.705543 x 0.25 / 0.0025 = 270.55; / 1.26955 = 213.1
        (1000, 0.90, 0.05, 214),
        (10, 0.95, 0.01, 10),
    ],
)
def test_sample_size_is_the_finite_population_formula(
    population: int, confidence: float, margin: float, expected: int
) -> None:
    assert rules.sample_size(population, confidence=confidence, margin=margin) == expected


def test_z_score_of_the_usual_confidence_levels() -> None:
    assert rules.z_score(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert rules.z_score(0.99) == pytest.approx(2.575829, abs=1e-6)


def test_a_plan_sizes_by_size_rate_or_precision() -> None:
    assert rules.Plan(size=50).size_for(1000) == 50
    assert rules.Plan(size=5000).size_for(1000) == 1000
    assert rules.Plan(rate=0.05).size_for(1001) == 51  # ceil(50.05)
    assert rules.Plan().size_for(1000) == 278


@pytest.mark.parametrize(
    ("strata", "n", "expected"),
    [
        ({"A": 50, "B": 30, "C": 20}, 10, {"A": 5, "B": 3, "C": 2}),
        # 6 x 11/18 = 3.67, 6 x 7/18 = 2.33: floors 3 + 2, the larger remainder gets the 6th
        ({"B1": 11, "B2": 7}, 6, {"B1": 4, "B2": 2}),
        # equal remainders and sizes: the buildings that sort first
        ({"C": 1, "A": 1, "B": 1}, 2, {"A": 1, "B": 1, "C": 0}),
        ({"A": 3, "B": 2}, 10, {"A": 3, "B": 2}),
    ],
)
def test_allocation_is_proportional_by_largest_remainder(
    strata: dict[str, int], n: int, expected: dict[str, int]
) -> None:
    assert rules.allocate(strata, n) == expected


def test_a_stratified_draw_keeps_each_buildings_share() -> None:
    drawn = rules.draw(frame({"A": 600, "B": 300, "C": 100}), 100, seed=1, stratify=True)

    assert Counter(b for _, b in drawn) == {"A": 60, "B": 30, "C": 10}
    assert len({h for h, _ in drawn}) == 100
    assert all(h.startswith(f"{b}-") for h, b in drawn)


def test_the_same_frame_and_seed_draw_the_same_sample_in_any_order() -> None:
    strata = frame({"A": 500, "B": 250})
    shuffled = {b: random.Random(3).sample(ids, len(ids)) for b, ids in reversed(strata.items())}

    for stratify in (True, False):
        first = rules.draw(strata, 40, seed=20261101, stratify=stratify)
        assert rules.draw(shuffled, 40, seed=20261101, stratify=stratify) == first
        assert rules.draw(strata, 40, seed=20261102, stratify=stratify) != first


def test_key_households_are_always_in_and_never_drawn_twice() -> None:
    strata = frame({"A": 10, "B": 10})
    key = {"A-00001": ("A", rules.KEY_RECENT, "1x"), "B-00002": ("B", rules.KEY_FREQUENT, "3x")}

    sample = rules.compose(
        strata, key=key, rotated={}, plan=rules.Plan(size=19), seed=5, stratify=True
    )

    assert set(sample.key) == set(key)
    assert not set(sample.key) & {h for h, _ in sample.random}
    assert len(sample.random) == 18  # all that is left: 20 minus the two key households
    assert sample.size == 20
    tiny = rules.compose(
        strata, key=key, rotated={}, plan=rules.Plan(size=1), seed=5, stratify=True
    )
    assert set(tiny.key) == set(key)
    assert len(tiny.random) == 1


def test_households_surveyed_last_time_are_rotated_out_of_the_random_part() -> None:
    strata = frame({"A": 30, "B": 20})
    rotated = {f"A-{n:05}": "A" for n in range(20)} | {f"B-{n:05}": "B" for n in range(10)}

    sample = rules.compose(
        strata, key={}, rotated=rotated, plan=rules.Plan(size=20), seed=9, stratify=True
    )

    assert not set(rotated) & {h for h, _ in sample.random}
    assert len(sample.random) == 20  # exactly the 20 left eligible
    assert (sample.frame_size, sample.excluded) == (50, 30)


def test_key_reasons_recent_unsatisfied_and_frequent() -> None:
    def reason(facts: rules.KeyFacts, minimum: int = 3) -> str | None:
        found = rules.key_reason(facts, since=SINCE, year_ago=YEAR_AGO, min_complaints=minimum)
        return found[0] if found else None

    long_ago = [NOW - timedelta(days=d) for d in (100, 200, 300)]
    assert reason(rules.KeyFacts(complaints=(NOW - timedelta(days=5),))) == rules.KEY_RECENT
    assert reason(rules.KeyFacts(reopened=(NOW - timedelta(days=1),))) == rules.KEY_RECENT
    assert reason(rules.KeyFacts(unsatisfied_last_survey=True)) == rules.KEY_UNSATISFIED
    assert reason(rules.KeyFacts(complaints=tuple(long_ago))) == rules.KEY_FREQUENT
    assert reason(rules.KeyFacts(complaints=tuple(long_ago[:2]))) is None
    assert reason(rules.KeyFacts(complaints=tuple(long_ago)), minimum=0) is None
    assert reason(rules.KeyFacts(complaints=(NOW - timedelta(days=400),) * 5)) is None


def test_the_key_sample_lists_only_households_with_a_reason() -> None:
    facts = {
        "h2": rules.KeyFacts(complaints=(NOW,)),
        "h1": rules.KeyFacts(unsatisfied_last_survey=True),
        "h3": rules.KeyFacts(complaints=(NOW - timedelta(days=100),)),
    }
    found = rules.key_sample(facts, since=SINCE, year_ago=YEAR_AGO, min_complaints=3)
    assert list(found) == ["h1", "h2"]


def test_methods_key_in_person_contacts_by_link_others_by_interviewer() -> None:
    both = ["questionnaire", "phone", "door_to_door"]
    assert rules.assign_method(both, has_contact=True, key=True) == "door_to_door"
    assert rules.assign_method(both, has_contact=True, key=False) == "questionnaire"
    assert rules.assign_method(both, has_contact=False, key=False) == "door_to_door"
    assert rules.assign_method(["questionnaire"], has_contact=False, key=True) == "questionnaire"
    assert rules.assign_method(["outdoor"], has_contact=True, key=False) == "outdoor"
