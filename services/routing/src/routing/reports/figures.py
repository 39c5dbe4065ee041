"""From grouped counts to the report's figures: pure sums, rates, percentiles and changes.

The database groups the cases of both periods once, by every attribute a breakdown needs
(`Tally`); everything here only adds those groups up, so the whole report costs one pass
over the cases however many breakdowns it shows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import get_args

from routing.organisation.rules import LEVELS
from routing.reports.schemas import Dimension, Figure, HandlingLine, Line, Number
from shared.contracts.reports import CASE_ATTRIBUTES
from shared.contracts.routing import EscalationReason

UNJUDGED = "unjudged"
# An escalation reaches a level above the handler's, for one of the contract's reasons.
ESCALATION_LEVELS: tuple[str, ...] = LEVELS[1:]
ESCALATION_REASONS: tuple[str, ...] = get_args(EscalationReason)
CASE_DIMENSIONS: tuple[Dimension, ...] = ("site", *CASE_ATTRIBUTES)


@dataclass(frozen=True)
class Counts:
    """What is summed over a group of cases."""

    cases: int = 0
    acknowledge_met: int = 0
    acknowledge_missed: int = 0
    resolve_met: int = 0
    resolve_missed: int = 0
    escalated_cases: int = 0
    reopened_cases: int = 0
    reopens: int = 0
    closed: int = 0  # satisfied: closed by a callback that reached the resident
    unreachable: int = 0  # a callback reached nobody (closed as unreachable, or escalated)
    handling_answers: int = 0  # callbacks' answers on the speed and on the attitude
    handling_satisfied: int = 0  # of which very satisfied or satisfied

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class Tally:
    """Cases of one period half (`current` or the previous period) sharing these attributes."""

    current: bool
    site: str
    category: str
    kind: str
    channel: str
    department: str
    validity: str | None
    invalid_reason: str | None
    counts: Counts

    def key(self, dimension: Dimension) -> str | None:
        """The tally's value for a case dimension (None: not on that breakdown)."""
        if dimension == "validity":
            return self.validity or UNJUDGED
        value: str | None = getattr(self, dimension)
        return value


@dataclass(frozen=True)
class Escalations:
    """Escalations of the cases of one period half that reached `level` for `reason`."""

    current: bool
    level: str
    reason: str
    count: int


@dataclass(frozen=True)
class Timings:
    """Median and 90th percentile, in seconds, of the times to acknowledge and to resolve."""

    acknowledge_median: float | None = None
    acknowledge_p90: float | None = None
    resolve_median: float | None = None
    resolve_p90: float | None = None


def percentile(ordered: Sequence[int], q: float) -> int | None:
    """The q-quantile of sorted values by nearest rank, as PostgreSQL's percentile_disc."""
    if not ordered:
        return None
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def timings(acknowledge: Iterable[int], resolve: Iterable[int]) -> Timings:
    """The timings of the given durations (whole seconds)."""
    ack, res = sorted(acknowledge), sorted(resolve)
    return Timings(
        percentile(ack, 0.5), percentile(ack, 0.9), percentile(res, 0.5), percentile(res, 0.9)
    )


def totals(tallies: Iterable[Tally], *, current: bool) -> Counts:
    """All counts of one period half."""
    return sum((t.counts for t in tallies if t.current is current), Counts())


def validity_split(tallies: Iterable[Tally], *, current: bool) -> dict[str, int]:
    """Complaints of one period half by validity: valid, invalid, unjudged."""
    split = dict.fromkeys(("valid", "invalid", UNJUDGED), 0)
    for t in tallies:
        if t.current is current:
            split[t.key("validity") or UNJUDGED] += t.counts.cases
    return split


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None


def headline(
    counts: Counts, split: dict[str, int], timing: Timings, escalations: int
) -> dict[str, Number | None]:
    """The headline figures of one period half."""
    satisfied, unsatisfied = counts.closed, counts.reopens
    return {
        "complaints": counts.cases,
        "valid": split["valid"],
        "invalid": split["invalid"],
        "unjudged": split[UNJUDGED],
        "acknowledge_met": counts.acknowledge_met,
        "acknowledge_missed": counts.acknowledge_missed,
        "acknowledge_open": counts.cases - counts.acknowledge_met - counts.acknowledge_missed,
        "acknowledge_median_seconds": timing.acknowledge_median,
        "acknowledge_p90_seconds": timing.acknowledge_p90,
        "resolve_met": counts.resolve_met,
        "resolve_missed": counts.resolve_missed,
        "resolve_open": counts.cases - counts.resolve_met - counts.resolve_missed,
        "resolve_median_seconds": timing.resolve_median,
        "resolve_p90_seconds": timing.resolve_p90,
        "escalations": escalations,
        "escalated_cases": counts.escalated_cases,
        "reopened_cases": counts.reopened_cases,
        "reopen_rate": rate(counts.reopened_cases, counts.cases),
        "callbacks_satisfied": satisfied,
        "callbacks_unsatisfied": unsatisfied,
        "callbacks_unreachable": counts.unreachable,
        "callback_satisfaction_rate": rate(satisfied, satisfied + unsatisfied),
        "handling_answers": counts.handling_answers,
        "handling_satisfied": counts.handling_satisfied,
        "handling_satisfaction_rate": rate(counts.handling_satisfied, counts.handling_answers),
    }


def change(value: Number | None, before: Number | None) -> Number | None:
    """value - before, when both are known."""
    if value is None or before is None:
        return None
    return value - before


def compare(now: dict[str, Number | None], before: dict[str, Number | None]) -> list[Figure]:
    """Each headline figure with the previous period's value and the change."""
    return [
        Figure(name=name, value=value, previous=before[name], change=change(value, before[name]))
        for name, value in now.items()
    ]


def case_lines(tallies: Sequence[Tally]) -> list[Line]:
    """Every breakdown of the complaints, both periods side by side."""
    return [line for dimension in CASE_DIMENSIONS for line in _lines_of(tallies, dimension)]


def _lines_of(tallies: Sequence[Tally], dimension: Dimension) -> list[Line]:
    now: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    before: dict[str, int] = defaultdict(int)
    for t in tallies:
        key = t.key(dimension)
        if key is None:
            continue
        if not t.current:
            before[key] += t.counts.cases
            continue
        sums = now[key]
        sums[0] += t.counts.cases
        sums[1 + ("valid", "invalid", UNJUDGED).index(t.key("validity") or UNJUDGED)] += (
            t.counts.cases
        )
    return _sorted(
        [_line(dimension, k, now.get(k, [0, 0, 0, 0]), before.get(k, 0)) for k in {*now, *before}]
    )


def _line(dimension: Dimension, key: str, sums: list[int], before: int) -> Line:
    total, valid, invalid, unjudged = sums
    return Line(
        dimension=dimension, key=key, value=total, valid=valid, invalid=invalid,
        unjudged=unjudged, previous=before, change=total - before,
    )  # fmt: skip


def handling_lines(
    tallies: Iterable[Tally], sites: Sequence[str], targets: Mapping[str, int]
) -> list[HandlingLine]:
    """Each site's complaint-handling satisfaction rate this period, against its target."""
    answers: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in tallies:
        if t.current:
            answers[t.site][0] += t.counts.handling_answers
            answers[t.site][1] += t.counts.handling_satisfied
    return [_handling(site, answers[site], targets[site]) for site in sorted(sites)]


def _handling(site: str, counted: list[int], target: int) -> HandlingLine:
    answers, satisfied = counted
    share = rate(satisfied, answers)
    below = None if share is None else share * 100 < target
    return HandlingLine(
        site_id=site, answers=answers, satisfied=satisfied, rate=share, target=target,
        below_target=below,
    )  # fmt: skip


def escalation_lines(rows: Sequence[Escalations]) -> list[Line]:
    """Escalations by the level they reached and by their reason, both periods."""
    lines: list[Line] = []
    for dimension, keys, attr in (
        ("escalation_level", ESCALATION_LEVELS, "level"),
        ("escalation_reason", ESCALATION_REASONS, "reason"),
    ):
        sums = {key: [0, 0] for key in keys}
        for r in rows:
            sums.setdefault(getattr(r, attr), [0, 0])[0 if r.current else 1] += r.count
        lines += _sorted(
            [
                Line(dimension=dimension, key=key, value=n, previous=p, change=n - p)
                for key, (n, p) in sums.items()
                if n or p
            ]
        )
    return lines


def escalation_total(rows: Iterable[Escalations], *, current: bool) -> int:
    """How many escalations the cases of one period half had."""
    return sum(r.count for r in rows if r.current is current)


def _sorted(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda line: (-line.value, -line.previous, line.key))
