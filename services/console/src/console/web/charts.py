"""Chart options for Apache ECharts, made on the server from the services' figures.

The page embeds the option as JSON and `static/charts.js` draws it; the same figures go
in a table beside the chart. Counts get whole-number axes; every series has a name in
the page's language and a colour of the palette, which tells series apart in print too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

PALETTE = ("#1d5fbf", "#d9822b", "#1e7b45", "#8e44ad", "#b42318", "#5b6876", "#0f8b8d")
MET, MISSED, TARGET = "#1e7b45", "#b42318", "#5b6876"


def bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    counts: bool = True,
    percent: bool = False,
    horizontal: bool = False,
    stacked: bool = False,
) -> dict[str, Any]:
    """A bar chart of one or more named series over `categories`."""
    values: dict[str, Any] = {"type": "value", "minInterval": 1 if counts else None}
    if percent:
        values.update(min=0, max=100, axisLabel={"formatter": "{value}%"})
    labels = {"type": "category", "data": list(categories), "axisLabel": {"interval": 0}}
    option: dict[str, Any] = {
        "color": list(PALETTE),
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [name for name, _ in series], "top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 36, "containLabel": True},
        "xAxis": values if horizontal else labels,
        "yAxis": labels if horizontal else values,
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": list(data),
                **({"stack": "all"} if stacked else {}),
            }
            for name, data in series
        ],
    }
    return option


def with_target(option: dict[str, Any], name: str, target: float) -> dict[str, Any]:
    """The chart with a dashed line at the target (a satisfaction rate's quality target)."""
    line = {"name": name, "yAxis": target, "lineStyle": {"color": TARGET, "type": "dashed"}}
    first = option["series"][0]
    first["markLine"] = {"symbol": "none", "data": [line], "label": {"formatter": f"{name} {{c}}"}}
    return option


def lines(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    counts: bool = True,
) -> dict[str, Any]:
    """A line chart of named series over `categories` (months, days)."""
    option = bars(categories, series, counts=counts)
    for item in option["series"]:
        item["type"] = "line"
    return option


def as_json(option: dict[str, Any]) -> str:
    """The option for a `<script type="application/json">`: no `</` can end the element."""
    return orjson.dumps(option).decode().replace("</", "<\\/")
