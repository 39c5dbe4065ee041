"""The results page reads as words in the language asked: no raw keys, no English in Chinese."""

from __future__ import annotations

import re

import pytest

from surveys.campaigns.rules import DEFAULT_SCALE, Level
from surveys.results.export import to_csv, to_html
from surveys.results.schemas import ResultsRead, TopicFigures

KEYS = ("very_satisfied", "fairly_satisfied", "dissatisfied", "housing_management", "overall")


def _topic(topic: str, rate: float, met: bool) -> TopicFigures:
    return TopicFigures(
        topic=topic, valid=10, blank=1, satisfied=int(rate * 10), rate=rate, ci_low=rate - 0.2,
        ci_high=min(rate + 0.1, 1.0), mean_score=4.1, target=0.9, met=met, previous_rate=0.8,
        distribution={level.key: 2 for level in DEFAULT_SCALE},
    )  # fmt: skip


def _results(final: bool = True) -> ResultsRead:
    return ResultsRead(
        campaign_id="camp-1", site_id="demo", title="2026 年春季测评", status="closed",
        final=final, sample_size=20, responses=10, response_rate=0.5, confidence=0.95,
        margin=0.1, previous_campaign_id=None, by_building=[], by_sample=[],
        topics=[
            _topic("housing_management", 0.95, True),
            _topic("security", 0.6, False),
            _topic("overall", 0.8, False),
        ],
    )  # fmt: skip


def _visible(page: str) -> str:
    """What a person reads: the text between tags (chart labels included), not attributes."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_page_is_chinese_by_default_with_the_scale_and_topics_in_words() -> None:
    page = to_html(_results())
    text = _visible(page)
    assert '<html lang="zh-CN">' in page
    for words in ("满意度测评结果", "测评项目", "是否达标", "达标", "未达标", "结果已确定"):
        assert words in text
    for level in ("很满意", "满意", "较满意", "一般", "不满意"):
        assert level in text
    assert {"房管", "治安", "总体"} <= set(text.split())
    assert "各项目满意率与质量目标" in text
    assert "各项目答卷分布" in text
    for key in KEYS:
        assert key not in text
    for english in ("Topic", "Target", "Satisfaction", "provisional", "final", "yes", "NO"):
        assert english not in text


def test_the_page_in_english_says_the_same_in_english() -> None:
    page = to_html(_results(final=False), "en")
    text = _visible(page)
    assert '<html lang="en">' in page
    for words in ("Topic", "Target met", "Provisional results", "10 of 20 sampled households"):
        assert words in text
    for level in ("Very satisfied", "Fairly satisfied", "Neutral", "Dissatisfied"):
        assert level in text
    assert "Housing management" in text
    assert "Overall" in text
    for key in KEYS:
        assert key not in text
    assert re.search(r"[\u4e00-\u9fff]", text.replace("2026 年春季测评", "")) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_custom_scale_shows_its_own_levels(lang: str) -> None:
    scale = (Level("good", 2, "好", "Good"), Level("bad", 1, "差", "Bad"))
    results = _results()
    for t in results.topics:
        t.distribution = {"good": 7, "bad": 3}
    text = _visible(to_html(results, "zh" if lang == "zh" else "en", scale))
    assert ("好" if lang == "zh" else "Good") in text
    assert " good " not in f" {text} "
    assert " bad " not in f" {text} "


def test_the_csv_keeps_its_codes() -> None:
    header, first = to_csv(_results()).splitlines()[:2]
    assert header.startswith("campaign_id,site_id,group,name,topic,")
    assert ",housing_management," in first
