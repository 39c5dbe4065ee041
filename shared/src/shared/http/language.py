"""Which of careloop's two languages a reader asked for (`Accept-Language`, RFC 9110)."""

from __future__ import annotations

from typing import Literal

from shared.words import Lang

Tag = Literal["zh-CN", "en"]
"""A language as pages name it: `?lang=`, a form's `lang` field, `<html lang>`."""

TAGS: tuple[Tag, ...] = ("zh-CN", "en")

CONTENT_LANGUAGE: dict[Lang, Tag] = {"zh": "zh-CN", "en": "en"}
"""The one language tag each language is sent as."""


def page_language(*chosen: str | None) -> Tag:
    """The first of `chosen` (`?lang=`, the form's field, a stored locale) that is a page
    language careloop has; Chinese when none is."""
    for tag in chosen:
        if tag == "en":
            return "en"
        if tag == "zh-CN":
            return "zh-CN"
    return "zh-CN"


def lang_of(tag: Tag) -> Lang:
    """The glossary's language of a page language (`zh-CN` reads the `zh` words)."""
    return "zh" if tag == "zh-CN" else "en"


def preferred(accept_language: str | None) -> Lang:
    """`zh` when the reader's most preferred language that careloop has is Chinese, else `en`.

    Tags are weighed by their q-values; languages careloop does not have are passed over,
    and a reader who names neither reads English.
    """
    ranked: list[tuple[float, int, Lang]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().lower().partition(";")
        lang: Lang | None = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        quality = _quality(params)
        if lang is not None and quality > 0:
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else "en"


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
