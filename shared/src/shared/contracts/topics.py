"""The eight topics of the group's satisfaction evaluation standard (DESIGN.md §1 rule 12).

A survey asks about them and a complaint is filed under one of them (or under fees or
other), so intake's `Category`, surveys' `Topic` and every page that lists them are built
from this one list.
"""

from __future__ import annotations

from typing import Literal, get_args

AskedTopic = Literal[
    "housing_management",
    "security",
    "vehicles",
    "cleaning",
    "greening",
    "maintenance",
    "community_activities",
    "convenience_services",
]
TOPICS: tuple[AskedTopic, ...] = get_args(AskedTopic)
"""The asked topics in the standard's order."""

Overall = Literal["overall"]
OVERALL: Overall = "overall"
"""The satisfaction of a campaign as a whole, reported beside the topics."""
