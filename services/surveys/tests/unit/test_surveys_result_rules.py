"""Result arithmetic against hand-computed values: rate, Wilson interval, abstentions."""

from __future__ import annotations

import pytest

from surveys.results import rules

SCORES = {
    "very_satisfied": 5,
    "satisfied": 4,
    "fairly_satisfied": 3,
    "neutral": 2,
    "dissatisfied": 1,
}
SATISFIED = ("very_satisfied", "satisfied", "fairly_satisfied")


def test_rate_is_satisfied_over_valid_and_undefined_without_answers() -> None:
    assert rules.satisfaction_rate(45, 50) == 0.9
    assert rules.satisfaction_rate(0, 0) is None


@pytest.mark.parametrize(
    ("satisfied", "valid", "low", "high"),
    [
        # n=50, p=.9, z²=3.841459: centre (.9 + .0384146)/1.0768292 = .8714610,
        # half 1.959964 x sqrt(.0018 + .0003841459)/1.0768292 = .0850633 (bc -l)
        (45, 50, 0.786398, 0.956524),
        # n=6, p=2/3: centre (.6666667 + .3201216)/1.6402432 = .6016110,
        # half 1.959964 x sqrt(.0370370 + .0266768)/1.6402432 = .3016176 (bc -l)
        (4, 6, 0.299993, 0.903229),
        # all satisfied: the lower end is n/(n + z²) = 10/13.841459, the upper end 1
        (10, 10, 0.722467, 1.0),
        # none satisfied: mirror image
        (0, 10, 0.0, 0.277533),
    ],
)
def test_wilson_interval_matches_the_hand_computed_ends(
    satisfied: int, valid: int, low: float, high: float
) -> None:
    found = rules.wilson_interval(satisfied, valid)
    assert found is not None
    assert found == (pytest.approx(low, abs=2e-6), pytest.approx(high, abs=2e-6))


def test_no_interval_without_answers() -> None:
    assert rules.wilson_interval(0, 0) is None


def test_blanks_are_abstentions_not_dissatisfaction() -> None:
    levels = ["very_satisfied", "satisfied", None, "dissatisfied", None, "neutral"]

    tally = rules.tally(levels, satisfied=SATISFIED, scores=SCORES)

    assert (tally.valid, tally.satisfied) == (4, 2)
    assert tally.rate == 0.5  # 2 of 4 answers, not 2 of 6 forms
    assert tally.mean_score == pytest.approx((5 + 4 + 1 + 2) / 4)
    assert tally.distribution == {
        "very_satisfied": 1,
        "satisfied": 1,
        "fairly_satisfied": 0,
        "neutral": 1,
        "dissatisfied": 1,
    }


def test_overall_pools_every_topics_answers() -> None:
    cleaning = rules.tally(["satisfied"] * 6 + ["dissatisfied"], satisfied=SATISFIED, scores=SCORES)
    security = rules.tally(["neutral"] * 2 + ["satisfied"] * 4, satisfied=SATISFIED, scores=SCORES)

    overall = rules.pooled([cleaning, security])

    assert (overall.valid, overall.satisfied) == (13, 10)
    assert overall.rate == pytest.approx(10 / 13)
    assert overall.mean_score == pytest.approx((24 + 1 + 4 + 16) / 13)
    assert overall.distribution["satisfied"] == 10


def test_response_rate_and_target_comparison() -> None:
    assert rules.response_rate(7, 8) == 0.875
    assert rules.response_rate(0, 0) is None
    assert rules.meets(0.9, 0.9) is True
    assert rules.meets(0.8999, 0.9) is False
    assert rules.meets(None, 0.9) is None


def test_a_topic_is_judged_only_with_the_answers_the_precision_needs() -> None:
    # The sample-size helper's count: 1000 households at 95 % and ±5 % need 278 answers.
    assert rules.needed_answers(1000, confidence=0.95, margin=0.05) == 278
    assert rules.needed_answers(None, confidence=0.95, margin=0.05) is None
    assert rules.enough(278, 278) is True
    assert rules.enough(277, 278) is False
    assert rules.enough(5, None) is None
