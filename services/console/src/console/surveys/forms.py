"""The surveys pages' forms as the surveys service's bodies: pure, no I/O.

People type percentages (质量目标 90, 复核比例 10, ±5 %) and local times; the service
takes shares of one and aware times. A value that is not a number is sent as typed, for
the service to refuse in its own words beside the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from console.desk.forms import local_time
from console.web.forms import optional, text
from shared.contracts import topics as standard

TOPICS: tuple[str, ...] = standard.TOPICS
METHODS = ("door_to_door", "phone", "outdoor", "questionnaire")
INTERVIEWS = ("door_to_door", "phone", "outdoor")
MODES = ("precision", "rate", "size")
CONFIDENCES = ("90", "95", "99")
OVERALL: str = standard.OVERALL
SKIP = "skip"
"""The entry form's choice for a topic the resident did not answer (a blank)."""

# Where the service's field errors belong on the campaign form.
CAMPAIGN_FIELDS = {
    "sampling.rate": "rate",
    "sampling.size": "size",
    "sampling.confidence": "confidence",
    "sampling.margin": "margin",
    "sampling.key_min_complaints": "key_min_complaints",
    "sampling": "mode",
}


def percent(value: str) -> float | str:
    """`90` or `90%` as 0.9; anything else as typed."""
    try:
        number = float(value.strip().rstrip("%").strip())
    except ValueError:
        return value
    return round(number / 100, 6) if math.isfinite(number) else value


def whole(value: str) -> int | str:
    """`30` as 30; anything else as typed."""
    try:
        return int(value.strip())
    except ValueError:
        return value


def chosen(form: FormData, name: str, allowed: tuple[str, ...]) -> list[str]:
    """The boxes ticked of a group, in the group's order."""
    ticked = {str(v) for v in form.getlist(name)}
    return [code for code in allowed if code in ticked]


GROUPS = {"topics": TOPICS, "methods": METHODS}
DEFAULT_TICKS = {"topics": list(TOPICS), "methods": ["door_to_door", "questionnaire"]}


def ticks(form: FormData) -> dict[str, list[str]]:
    """The boxes ticked of each group of the planning form (to show it again)."""
    found = {name: chosen(form, name, allowed) for name, allowed in GROUPS.items()}
    return {**found, "buildings": [str(b) for b in form.getlist("buildings")]}


def campaign_body(form: FormData, *, zone: str) -> dict[str, Any]:
    """The JSON surveys plans a campaign from (`CampaignCreate`)."""
    kind = text(form, "kind") or "regular"
    topics = chosen(form, "topics", TOPICS)
    buildings = [str(b) for b in form.getlist("buildings") if str(b).strip()]
    return {
        "site_id": text(form, "site_id"),
        "kind": kind,
        "title": text(form, "title"),
        "period": optional(form, "period") if kind == "regular" else None,
        "topics": topics,
        "methods": chosen(form, "methods", METHODS),
        "targets": targets(form, topics) or None,
        "buildings": buildings or None,
        "sampling": sampling_body(form),
        "recheck_rate": percent(text(form, "recheck_rate") or "0"),
        "language": "en" if text(form, "language") == "en" else "zh-CN",
        "opens_at": local_time(optional(form, "opens_at"), zone),
        "closes_at": local_time(optional(form, "closes_at"), zone),
    }


def targets(form: FormData, topics: list[str]) -> dict[str, float | str]:
    """The quality target typed for each topic asked and overall (left empty: the
    service's default)."""
    typed = {t: text(form, f"target.{t}") for t in [*topics, OVERALL]}
    return {t: percent(value) for t, value in typed.items() if value}


def sampling_body(form: FormData) -> dict[str, Any]:
    """How the random sample is sized: by rate, by size, or (neither) by precision."""
    mode = text(form, "mode")
    body: dict[str, Any] = {
        "confidence": percent(text(form, "confidence") or "95"),
        "margin": percent(text(form, "margin") or "5"),
        "stratify": bool(form.get("stratify")),
        "rotate": bool(form.get("rotate")),
        "key_min_complaints": whole(text(form, "key_min_complaints") or "0"),
    }
    if mode == "rate":
        body["rate"] = percent(text(form, "rate"))
    elif mode == "size":
        body["size"] = whole(text(form, "size"))
    return body


def campaign_field(api_field: str) -> str:
    """The form's field that a surveys error about `api_field` belongs to."""
    if api_field.startswith("targets."):
        return "target." + api_field.removeprefix("targets.")
    return CAMPAIGN_FIELDS.get(api_field, api_field)


@dataclass(frozen=True)
class Plan:
    """What the sample-size helper works out from the form as it stands."""

    mode: str
    confidence: float
    margin: float
    rate: float | None = None
    size: int | None = None

    @property
    def valid(self) -> bool:
        """True when the numbers are ones the service takes."""
        precise = 0.5 <= self.confidence <= 0.999 and 0.005 <= self.margin <= 0.5
        if self.mode == "rate":
            return precise and self.rate is not None and 0 < self.rate <= 1
        if self.mode == "size":
            return precise and self.size is not None and self.size >= 1
        return precise

    def random_size(self, population: int, precise: int) -> int:
        """Random households the plan draws from `population` (`precise`: the helper's size
        at the plan's confidence and margin), as surveys' draw sizes it."""
        if self.mode == "rate" and self.rate is not None:
            return min(population, math.ceil(self.rate * population))
        if self.mode == "size" and self.size is not None:
            return min(self.size, population)
        return precise


def plan_of(values: dict[str, str]) -> Plan:
    """The sampling plan of the form's (or the helper's query's) values."""
    mode = values.get("mode", "precision")
    confidence = percent(values.get("confidence") or "95")
    margin = percent(values.get("margin") or "5")
    rate, size = percent(values.get("rate", "")), whole(values.get("size", ""))
    return Plan(
        mode=mode if mode in MODES else "precision",
        confidence=confidence if isinstance(confidence, float) else -1.0,
        margin=margin if isinstance(margin, float) else -1.0,
        rate=rate if isinstance(rate, float) else None,
        size=size if isinstance(size, int) else None,
    )


def population(buildings: dict[str, int], chosen_buildings: list[str]) -> int:
    """Households in the frame, or in the buildings chosen."""
    if not chosen_buildings:
        return sum(buildings.values())
    return sum(n for b, n in buildings.items() if b in chosen_buildings)


def entry_body(form: FormData, *, topics: list[str], language: str) -> dict[str, Any]:
    """The JSON surveys stores an interviewer's entry from (`EntryIn`)."""
    paper = text(form, "form") == "paper"
    return {
        "household_id": text(form, "household_id"),
        "method": text(form, "method"),
        "form": "paper" if paper else "interview",
        "paper_ref": optional(form, "paper_ref"),
        "answers": answers(form, topics),
        "comment": optional(form, "comment"),
        "language": language,
    }


def answers(form: FormData, topics: list[str]) -> dict[str, str | None]:
    """The level chosen per topic; a topic skipped or left unchosen is a blank."""
    found: dict[str, str | None] = {}
    for topic in topics:
        level = text(form, f"topic.{topic}")
        found[topic] = None if level in ("", SKIP) else level
    return found


def recheck_body(form: FormData, *, topics: list[str]) -> dict[str, Any]:
    """A supervisor's verdict (`RecheckIn`): confirmed, or corrected from the paper form."""
    corrected = text(form, "outcome") == "corrected"
    return {
        "outcome": "corrected" if corrected else "confirmed",
        "answers": answers(form, topics) if corrected else None,
        "note": optional(form, "note"),
    }


def entry_field(api_field: str) -> str:
    """The entry form's field that a surveys error about `api_field` belongs to."""
    if api_field.startswith("answers."):
        return "topic." + api_field.removeprefix("answers.")
    return api_field
