"""Which language a page speaks, and the console's own words in both (DESIGN.md §11).

Chinese is the default; `?lang=en` (or `zh`) on any page switches and is remembered in a
cookie. Words of the contracts' closed sets come from the shared glossary
(`shared.words`); the phrases below are the console's own.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from console.web.messages import MESSAGES
from shared.words import ESCALATION_REASONS, EVENTS, Lang, value

LANG_COOKIE = "careloop_lang"
LANGUAGES: tuple[Lang, ...] = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def asked_language(request: Request) -> Lang | None:
    """The language the request asks for with `?lang=`, if any."""
    asked = request.query_params.get("lang", "")
    return _known(asked)


def language(request: Request) -> Lang:
    """The page's language: `?lang=`, else the remembered choice, else Chinese."""
    return asked_language(request) or _known(request.cookies.get(LANG_COOKIE, "")) or "zh"


def _known(code: str) -> Lang | None:
    code = code.lower()
    if code.startswith("en"):
        return "en"
    if code.startswith("zh"):
        return "zh"
    return None


def translate(key: str, lang: Lang, **values: Any) -> str:
    """The console's phrase `key` in `lang`, with `{name}` fields filled in."""
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


class Words:
    """What a template calls `t(...)` and `v(...)` with: one language, bound."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: Any) -> str:
        return translate(key, self.lang, **values)

    def value(self, kind: str, code: str | None) -> str:
        """A code of a closed set (category, status, level...) in words."""
        return value(kind, code, self.lang)

    def event(self, event_type: str) -> str:
        """An event type as the history names it."""
        return EVENTS.get(event_type, {}).get(self.lang, event_type)

    def reason(self, code: str | None) -> str:
        """Why a case was escalated, in words."""
        return ESCALATION_REASONS.get(code or "", {}).get(self.lang, code or "—")
