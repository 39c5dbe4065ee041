"""Every phrase a page asks for exists in both languages; no page shows a key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.cases.actions import ORDER
from console.queues.service import QUEUES
from console.web import errors
from console.web.forms import ERROR_WORDS
from console.web.i18n import Words, language, translate
from console.web.messages import MESSAGES
from shared.http.auth import Role

TEMPLATES = Path(errors.__file__).resolve().parents[1] / "templates"
LITERAL = re.compile(r"""\bt\(\s*["']([a-z_][a-z0-9_.]*)["']\s*[,)]""")
ERROR_KINDS = {*errors.KNOWN.values(), "refused", "unavailable", "unexpected", "csrf"}


def used_keys() -> set[str]:
    found: set[str] = set()
    for template in TEMPLATES.rglob("*.html"):
        found.update(LITERAL.findall(template.read_text()))
    return found


def test_the_templates_ask_for_phrases_and_every_one_exists() -> None:
    keys = used_keys()
    assert len(keys) > 150
    assert sorted(keys - MESSAGES.keys()) == []


def test_phrases_put_together_from_codes_exist_for_every_code() -> None:
    made = (
        [f"action.{a}" for a in ORDER]
        + [f"action.{a}.button" for a in ORDER]
        + [f"case.done.{a}" for a in ORDER]
        + [f"queue.{q}" for q in QUEUES]
        + [f"role.{r.value}" for r in Role]
        + [f"refused.{s}" for s in ("403", "404", "409", "422", "other")]
        + [f"error.{k}.{part}" for k in ERROR_KINDS for part in ("title", "text")]
        + [
            f"sign_in.failed.{r}"
            for r in ("expired", "unknown_person", "no_roles", "provider_unreachable", "other")
        ]
        + list(ERROR_WORDS.values())
    )
    assert sorted(set(made) - MESSAGES.keys()) == []


def test_both_languages_fill_in_the_same_fields() -> None:
    fields = re.compile(r"{(\w+)}")
    for key, (zh, en) in MESSAGES.items():
        assert zh, key
        assert en, key
        assert set(fields.findall(zh)) == set(fields.findall(en)), key


def test_chinese_phrases_are_chinese() -> None:
    latin_only = [k for k, (zh, _) in MESSAGES.items() if not re.search(r"[\u4e00-\u9fff]", zh)]
    assert latin_only == []


def test_a_phrase_takes_its_values() -> None:
    assert translate("sla.left", "zh", span="2小时") == "还剩 2小时"
    assert Words("en")("sla.overdue", span="35 minutes") == "35 minutes overdue"
    assert Words("zh").value("category", "maintenance") == "维修"
    assert Words("en").event("case.escalated") == "Escalated"
    assert Words("zh").reason("sla") == "超时自动上报"


class _Request:
    def __init__(self, query: dict[str, str], cookies: dict[str, str]) -> None:
        self.query_params = query
        self.cookies = cookies


@pytest.mark.parametrize(
    ("query", "cookie", "lang"),
    [({}, {}, "zh"), ({"lang": "en"}, {}, "en"), ({}, {"careloop_lang": "en"}, "en"),
     ({"lang": "zh-CN"}, {"careloop_lang": "en"}, "zh"), ({"lang": "fr"}, {}, "zh")],
)  # fmt: skip
def test_chinese_unless_english_is_asked_for_or_remembered(
    query: dict[str, str], cookie: dict[str, str], lang: str
) -> None:
    assert language(_Request(query, cookie)) == lang  # type: ignore[arg-type]
