"""Pure result arithmetic: tallies, satisfaction rate, its 95% interval, mean score.

The satisfaction rate is satisfied ÷ valid answers. Households that did not return the
form, and topics left blank, are abstentions: they are in neither count, and never count
as dissatisfied. The interval is Wilson's score interval at 95% (z = 1.959964): unlike the
normal ("Wald") interval it stays inside [0, 1] and does not collapse to a point when every
answer is satisfied, which is the usual case near a 90% target.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from surveys.sampling.rules import sample_size

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Tally:
    """The answers to one topic (or all topics pooled, for overall)."""

    valid: int = 0
    satisfied: int = 0
    score_sum: int = 0
    distribution: Mapping[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """satisfied ÷ valid; None when nobody answered."""
        return satisfaction_rate(self.satisfied, self.valid)

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95% Wilson interval of the rate."""
        return wilson_interval(self.satisfied, self.valid)

    @property
    def mean_score(self) -> float | None:
        """The mean score of the valid answers."""
        return self.score_sum / self.valid if self.valid else None


def satisfaction_rate(satisfied: int, valid: int) -> float | None:
    """satisfied ÷ valid, or None when there is no valid answer."""
    return satisfied / valid if valid else None


def wilson_interval(satisfied: int, valid: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson's score interval for satisfied/valid; None when there is no valid answer.

    centre = (p + z²/2n) / (1 + z²/n), half-width = z √(p(1-p)/n + z²/4n²) / (1 + z²/n)
    """
    if valid == 0:
        return None
    n, p, z2 = valid, satisfied / valid, z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def tally(
    levels: Iterable[str | None], *, satisfied: Iterable[str], scores: Mapping[str, int]
) -> Tally:
    """Count the answers given; a None level (a blank) is skipped as an abstention."""
    counts = Counter(level for level in levels if level is not None)
    happy = set(satisfied)
    return Tally(
        valid=sum(counts.values()),
        satisfied=sum(n for level, n in counts.items() if level in happy),
        score_sum=sum(scores[level] * n for level, n in counts.items()),
        distribution={level: counts.get(level, 0) for level in scores},
    )


def pooled(tallies: Iterable[Tally]) -> Tally:
    """Overall: every topic's valid answers taken together."""
    distribution: Counter[str] = Counter()
    valid = satisfied = score_sum = 0
    for one in tallies:
        valid, satisfied = valid + one.valid, satisfied + one.satisfied
        score_sum += one.score_sum
        distribution.update(one.distribution)
    return Tally(valid, satisfied, score_sum, dict(distribution))


def response_rate(responses: int, sample_size: int) -> float | None:
    """Returned forms ÷ households sampled."""
    return responses / sample_size if sample_size else None


def meets(rate: float | None, target: float) -> bool | None:
    """True when the rate reaches the target; None when there is no rate to judge."""
    return None if rate is None else rate >= target - 1e-12


def needed_answers(frame_size: int | None, *, confidence: float, margin: float) -> int | None:
    """Valid answers a topic needs for the campaign's precision (its confidence and margin
    over its frame, as the sample-size helper counts them); None before the draw."""
    if not frame_size:
        return None
    return sample_size(frame_size, confidence=confidence, margin=margin)


def enough(answers: int, needed: int | None) -> bool | None:
    """Whether `answers` are enough to judge a rate against its target; None: not judged."""
    return None if needed is None else answers >= needed
