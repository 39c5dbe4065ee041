"""The administration pages speak both languages: every phrase they ask for exists, what
was done and why an upload failed have words, and the services' errors are put in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.admin import chain, words
from console.admin.common import DONE
from console.web import errors
from console.web.messages import MESSAGES

TEMPLATES = Path(errors.__file__).resolve().parents[1] / "templates" / "admin"
LITERAL = re.compile(r"""\bt\(\s*["']([a-z_][a-z0-9_.]*)["']\s*[,)]""")


def test_every_phrase_of_the_admin_pages_exists() -> None:
    used = {k for p in TEMPLATES.glob("*.html") for k in LITERAL.findall(p.read_text())}
    made = (
        {f"admin.done.{d}" for d in DONE}
        | {f"admin.upload.{r}" for r in ("none", "empty", "too_large", "not_text")}
        | {f"admin.import.col.{c}" for c in words.COLUMNS}
        | set(words.TYPES.values())
        | set(words.SENTENCES.values())
        | set(words.ROW_PROBLEMS.values())
    )
    assert len(used) > 100
    assert sorted((used | made) - MESSAGES.keys()) == []


RANGE = {"type": "greater_than_equal", "message": "Input should be >= 1"}
PHONE = {"type": "value_error", "message": "Value error, must be a phone number: 5 to 20"}
NEW = {"type": "value_error", "message": "Value error, something new"}


@pytest.mark.parametrize(
    ("error", "zh", "en"),
    [
        (RANGE, "超出允许的范围", "This is out of the allowed range"),
        (PHONE, "不是有效的电话号码（5 到 20 位数字）", "Not a phone number (5 to 20 digits)"),
        ({"type": "missing", "message": "Field required"}, "此项必须填写", "This is required"),
        (NEW, NEW["message"], NEW["message"]),
    ],
)
def test_the_services_field_errors_are_put_in_words(
    error: dict[str, str], zh: str, en: str
) -> None:
    assert (words.describe(error, "zh"), words.describe(error, "en")) == (zh, en)


def test_bad_rows_of_an_import_are_described_by_column_and_problem() -> None:
    def problem(field: str, kind: str, message: str = "") -> dict[str, str]:
        return {"field": field, "type": kind, "message": message}

    refused = [
        {
            "line": 4,
            "reason": "phones.0: Value error, must be a phone number",
            "problems": [
                problem("phones.0", "value_error", PHONE["message"]),
                problem("name", "missing"),
            ],
        },
        {"line": 11, "reason": "the same", "same_as": 10, "problems": [problem("", "repeated")]},
        {"line": 2, "reason": "shoe_size", "problems": [problem("shoe_size", "extra_forbidden")]},
        {"line": 3, "reason": "an older intake's reason"},
        {"field": "body", "message": "not a row"},
    ]
    rows = words.bad_rows(refused, "zh")
    assert [r.line for r in rows] == [4, 11, 2, 3]
    assert rows[0].problems == [
        "电话（第 1 个）：不是有效的电话号码（5 到 20 位数字）",
        "业户姓名：此项必须填写",
    ]
    assert rows[1].problems == ["与第 10 行是同一业户（同一房号、同名）"]
    assert rows[2].problems == ["shoe_size：不认识的栏目"]
    assert rows[3].problems == ["an older intake's reason"]
    occupancy = {"line": 5, "problems": [{"field": "occupancy", "type": "literal_error"}]}
    assert words.bad_rows([occupancy], "zh")[0].problems == [
        "业主 / 住户：只能填写 owner（业主）或 tenant（住户）"
    ]
    assert words.bad_rows(refused, "en")[0].problems[0] == (
        "Phone numbers (number 1): Not a phone number (5 to 20 digits)"
    )


ORGANISATION = {
    "vp": "li",
    "gm": None,
    "departments": [
        {"code": "cs", "name": "Customer service", "name_zh": "客服中心", "head": "chen"},
        {"code": "eng", "name": "Engineering", "name_zh": "", "head": None},
    ],
    "staff": [
        {"id": "zhang", "name": "张三", "role": "handler", "department": "cs", "active": True},
        {"id": "wang", "name": "王五", "role": "handler", "department": "cs", "active": False},
        {"id": "chen", "name": "陈经理", "role": "dept_head", "department": "cs", "active": True},
        {"id": "li", "name": "李副总", "role": "vp", "department": None, "active": True},
    ],
}


def test_the_chain_of_each_department_names_who_holds_each_level_and_the_gaps() -> None:
    cs, eng = chain.chains(ORGANISATION, "zh")
    assert (cs.department, eng.department) == ("客服中心", "Engineering")
    assert [(link.level, link.names) for link in cs.links] == [
        ("handler", ["张三"]),
        ("dept_head", ["陈经理"]),
        ("vp", ["李副总"]),
        ("gm", []),
    ]
    assert cs.gaps == ["gm"]
    assert eng.gaps == ["handler", "dept_head", "gm"]
    assert chain.chains(ORGANISATION, "en")[0].department == "Customer service"
    assert [s["id"] for s in chain.holders(ORGANISATION, "dept_head", "cs")] == ["chen"]
    assert chain.holders(ORGANISATION, "handler", "eng") == []


def test_staff_are_listed_leaders_first_then_each_department_head_first() -> None:
    ordered = chain.ordered_staff(
        {
            **ORGANISATION,
            "staff": [
                *ORGANISATION["staff"],
                {
                    "id": "qian",
                    "name": "钱师傅",
                    "role": "handler",
                    "department": "eng",
                    "active": True,
                },
                {"id": "wang-gm", "name": "王总", "role": "gm", "department": None, "active": True},
            ],
        }
    )
    assert [s["id"] for s in ordered] == ["wang-gm", "li", "chen", "zhang", "qian", "wang"]
