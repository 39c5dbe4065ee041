"""Pure sampling decisions: sample size, proportional allocation, the random draw, the key
sample and the method each household is surveyed by. No I/O.

The random draw is reproducible: the frame is read as {building: sorted household ids},
strata are visited in sorted order, and one `random.Random(seed)` draws from each in turn.
Python's sort and Mersenne Twister are the same everywhere, so the same frame and seed
give the same sample on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist

from shared.contracts.surveys import Method
from surveys.frame.rules import KeyFacts

KEY_RECENT = "key_recent_complaint"
KEY_FREQUENT = "key_frequent_complainer"
KEY_UNSATISFIED = "key_unsatisfied_last_survey"
RANDOM = "random"
METHOD_ORDER: tuple[Method, ...] = ("door_to_door", "phone", "outdoor", "questionnaire")


def z_score(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level: 0.95 -> 1.959964."""
    return NormalDist().inv_cdf((1 + confidence) / 2)


def sample_size(population: int, *, confidence: float, margin: float, p: float = 0.5) -> int:
    """Households to sample for a proportion within `margin` at `confidence` (finite population).

    n0 = z² p (1 - p) / e², n = n0 / (1 + (n0 - 1) / N), rounded up, at most N.
    """
    if population <= 0:
        return 0
    n0 = z_score(confidence) ** 2 * p * (1 - p) / margin**2
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


@dataclass(frozen=True)
class Plan:
    """How big the random sample is: a rate of the frame, a size, or a precision."""

    rate: float | None = None
    size: int | None = None
    confidence: float = 0.95
    margin: float = 0.05

    def size_for(self, frame: int) -> int:
        """The random sample's size for a frame of `frame` households."""
        if self.size is not None:
            return min(self.size, frame)
        if self.rate is not None:
            return min(frame, math.ceil(self.rate * frame))
        return sample_size(frame, confidence=self.confidence, margin=self.margin)


def allocate(strata: Mapping[str, int], n: int) -> dict[str, int]:
    """Proportional allocation of `n` over strata sizes, by largest remainder.

    Quotas add up to min(n, total); ties in the remainder go to the larger stratum, then to
    the building that sorts first, so the split is deterministic.
    """
    total = sum(strata.values())
    n = min(n, total)
    if total == 0:
        return dict.fromkeys(strata, 0)
    exact = {name: n * size / total for name, size in strata.items()}
    quotas = {name: math.floor(value) for name, value in exact.items()}
    order = sorted(strata, key=lambda s: (-(exact[s] - quotas[s]), -strata[s], s))
    for name in order[: n - sum(quotas.values())]:
        quotas[name] += 1
    return quotas


def draw(
    strata: Mapping[str, list[str]], n: int, *, seed: int, stratify: bool
) -> list[tuple[str, str]]:
    """A simple random sample of `n` households, stratified by building if asked.

    `strata` maps building -> eligible household ids; returns (household, building) pairs.
    """
    rng = random.Random(seed)
    if not stratify:
        pool = [(h, b) for b in sorted(strata) for h in sorted(strata[b])]
        return rng.sample(pool, min(n, len(pool)))
    quotas = allocate({b: len(ids) for b, ids in strata.items()}, n)
    drawn: list[tuple[str, str]] = []
    for building in sorted(strata):
        ids = sorted(strata[building])
        drawn.extend((h, building) for h in rng.sample(ids, quotas[building]))
    return drawn


def eligible(strata: Mapping[str, list[str]], excluded: Mapping[str, str]) -> dict[str, list[str]]:
    """The strata without the excluded households (household -> building): already key, or
    rotated out. Each is found by bisection in its building's sorted ids, so a million-
    household frame is not walked once per draw."""
    pool = {b: sorted(ids) for b, ids in strata.items()}
    for household, building in excluded.items():
        ids = pool.get(building)
        if ids is None:
            continue
        at = bisect_left(ids, household)
        if at < len(ids) and ids[at] == household:
            del ids[at]
    return pool


def key_reason(
    facts: KeyFacts, *, since: datetime, year_ago: datetime, min_complaints: int
) -> tuple[str, str] | None:
    """Why a household must be in the key sample, or None.

    It complained or grumbled (or its case was reopened: it was not satisfied) since the
    site's last campaign; it was not satisfied in that campaign; or it complained at least
    `min_complaints` times in the last twelve months.
    """
    recent = [t for t in (*facts.complaints, *facts.reopened) if t > since]
    if recent:
        return KEY_RECENT, f"complained or reopened {len(recent)}x since the last campaign"
    if facts.unsatisfied_last_survey:
        return KEY_UNSATISFIED, "not satisfied in the last campaign"
    yearly = sum(1 for t in facts.complaints if t > year_ago)
    if min_complaints > 0 and yearly >= min_complaints:
        return KEY_FREQUENT, f"{yearly} complaints in the last 12 months"
    return None


def key_sample(
    facts: Mapping[str, KeyFacts], *, since: datetime, year_ago: datetime, min_complaints: int
) -> dict[str, tuple[str, str]]:
    """Every household that must be included, with its reason."""
    reasons = {
        h: key_reason(f, since=since, year_ago=year_ago, min_complaints=min_complaints)
        for h, f in facts.items()
    }
    return {h: r for h, r in sorted(reasons.items()) if r is not None}


def assign_method(methods: Iterable[str], *, has_contact: bool, key: bool) -> Method:
    """How a household is surveyed: key households in person when the campaign allows it,
    the questionnaire link for those notify can reach, an interviewer otherwise."""
    wanted = set(methods)
    allowed = [m for m in METHOD_ORDER if m in wanted]
    personal = [m for m in allowed if m != "questionnaire"]
    if key and personal:
        return personal[0]
    if "questionnaire" in allowed and (has_contact or not personal):
        return "questionnaire"
    return personal[0] if personal else "questionnaire"


@dataclass(frozen=True)
class Sample:
    """A drawn sample: key households -> (building, reason, detail), then random
    (household, building) pairs."""

    key: dict[str, tuple[str, str, str]]
    random: list[tuple[str, str]]
    frame_size: int
    excluded: int

    @property
    def size(self) -> int:
        return len(self.key) + len(self.random)


def compose(
    strata: Mapping[str, list[str]],
    *,
    key: Mapping[str, tuple[str, str, str]],
    rotated: Mapping[str, str],
    plan: Plan,
    seed: int,
    stratify: bool,
) -> Sample:
    """Every key household, plus a random sample of the others (rotated ones left out).

    `key` maps household -> (building, reason, detail), `rotated` household -> building.
    The random part is sized on the whole frame and drawn from what is left eligible.
    """
    frame_size = sum(len(ids) for ids in strata.values())
    pool = eligible(strata, {**rotated, **{h: k[0] for h, k in key.items()}})
    left = sum(len(ids) for ids in pool.values())
    picked = draw(pool, min(plan.size_for(frame_size), left), seed=seed, stratify=stratify)
    return Sample(dict(key), picked, frame_size, frame_size - left)
