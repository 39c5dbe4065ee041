"""The reader's language from Accept-Language: Chinese or English, by preference."""

from __future__ import annotations

import pytest

from shared.http.language import preferred


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("*", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("ZH-tw", "zh"),
        ("en;q=0.4, zh-CN;q=0.8", "zh"),  # weighed, not taken in order
        ("fr-FR, zh;q=0.5", "zh"),  # French is not offered: the next the reader takes
        ("fr-FR, de", "en"),
        ("zh;q=0, en", "en"),  # q=0: not acceptable
        ("zh;q=nonsense, en;q=0.1", "en"),
    ],
)
def test_the_readers_preferred_language_that_careloop_has_decides(
    header: str | None, lang: str
) -> None:
    assert preferred(header) == lang
