"""Chart options: named series, whole-number axes for counts, a target line, safe JSON."""

from __future__ import annotations

import orjson

from console.web.charts import as_json, bars, lines, with_target


def test_a_bar_chart_names_its_series_and_counts_in_whole_numbers() -> None:
    option = bars(["工程维修部", "客服中心"], [("未办结", [3, 1]), ("已超时", [1, 0])])
    assert option["legend"]["data"] == ["未办结", "已超时"]
    assert option["xAxis"]["data"] == ["工程维修部", "客服中心"]
    assert option["yAxis"]["minInterval"] == 1
    assert [s["data"] for s in option["series"]] == [[3, 1], [1, 0]]
    assert len(set(option["color"])) == len(option["color"])


def test_a_rate_chart_runs_from_0_to_100_percent_with_its_target() -> None:
    option = with_target(
        bars(["治安"], [("满意率", [91.5])], counts=False, percent=True), "目标", 90
    )
    assert (option["yAxis"]["min"], option["yAxis"]["max"]) == (0, 100)
    assert option["yAxis"]["minInterval"] is None
    assert option["series"][0]["markLine"]["data"][0]["yAxis"] == 90


def test_horizontal_and_line_charts_swap_what_they_must() -> None:
    assert bars(["a"], [("n", [1])], horizontal=True)["yAxis"]["type"] == "category"
    assert {s["type"] for s in lines(["10月", "11月"], [("n", [1, 2])])["series"]} == {"line"}


def test_the_json_cannot_end_its_script_element() -> None:
    text = as_json(bars(["</script><b>"], [("x", [1])]))
    assert "</" not in text
    assert orjson.loads(text)["xAxis"]["data"] == ["</script><b>"]
