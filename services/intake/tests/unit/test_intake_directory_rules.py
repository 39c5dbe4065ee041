"""Directory import rules: reading CSV and JSON rows, every bad row with its line."""

from __future__ import annotations

import pytest

from intake.directory import rules

HEADER = "building,unit,floor,name,phones,email,occupancy,moved_in_on\n"


def _csv(*lines: str) -> str:
    return HEADER + "".join(f"{line}\n" for line in lines)


def test_csv_rows_become_fields_with_their_physical_line() -> None:
    text = _csv(
        "B1,101,1,Zhang Min,138 0013 8000;13900001111,,tenant,2021-06-01",
        'B1,102,1,"Li\nLei",,,,',
        "B2,201,,Wu Fang,,wu@example.com,owner,",
    )

    records = list(rules.csv_records(text))

    assert [line for line, _ in records] == [2, 3, 5]
    assert records[0][1]["phones"] == ["138 0013 8000", "13900001111"]
    assert "email" not in records[0][1]
    assert records[1][1] == {"building": "B1", "unit": "102", "floor": "1", "name": "Li\nLei"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("building,unit\nB1,101\n", "missing ['name']"),
        ("building,unit,name,colour\nB1,101,A,red\n", "unknown ['colour']"),
    ],
)
def test_a_csv_without_the_right_columns_is_unreadable(text: str, message: str) -> None:
    with pytest.raises(rules.UnreadableImportError, match=message.replace("[", r"\[")):
        list(rules.csv_records(text))


def test_check_reports_every_bad_row_and_keeps_the_good_ones() -> None:
    records = rules.csv_records(
        _csv(
            "B1,101,1,Zhang Min,13800138000,,owner,",
            "B1,102,1,,13800138001,,owner,",
            "B1,103,x,Wu,13800138002,,owner,",
            "B1,104,1,Li,not a phone,,lodger,",
            "B1,101,1,zhang min,13800138003,,owner,",
            "B1,105,1,Chen,,,owner,",
        )
    )

    checked = rules.check(records)

    assert [line for line, _ in checked.rows] == [2, 7]
    assert [b.line for b in checked.bad] == [3, 4, 5, 6]
    assert checked.bad[0].reason.startswith("name:")
    assert checked.bad[1].reason.startswith("floor:")
    assert "phones.0" in checked.bad[2].reason
    assert "occupancy" in checked.bad[2].reason
    assert checked.bad[3].reason == "the same household as line 2"


def test_a_row_with_more_fields_than_columns_is_bad() -> None:
    checked = rules.check(rules.csv_records("building,unit,name\nB1,101,Wu,extra\n"))

    assert [(b.line, b.reason) for b in checked.bad] == [
        (2, "the row has more fields than the header has columns")
    ]


def test_json_rows_are_numbered_from_one() -> None:
    document = {"rows": [{"building": "B1", "unit": "1", "name": "A"}, 7]}

    checked = rules.check(rules.json_records(document))

    assert [line for line, _ in checked.rows] == [1]
    assert [(b.line, b.reason) for b in checked.bad] == [(2, "a row must be an object")]


@pytest.mark.parametrize("document", [[], {"rows": {}}, {"rows": [], "extra": 1}, "rows"])
def test_json_that_is_not_a_rows_object_is_unreadable(document: object) -> None:
    with pytest.raises(rules.UnreadableImportError):
        list(rules.json_records(document))


def test_an_import_has_a_row_limit() -> None:
    records = ((n, {"building": "B", "unit": str(n), "name": "A"}) for n in range(10**6))

    with pytest.raises(rules.UnreadableImportError, match="at most"):
        rules.check(records)


def test_each_bad_row_names_its_problems_by_field_and_type() -> None:
    checked = rules.check(
        rules.csv_records(
            HEADER
            + "B1,101,x,,not a phone,,lodger,\n"
            + "B1,102,1,Wu,,,,\n"
            + "B1,102,1,WU,,,,\n"
            + "B1,103,1,Li,,,,,extra\n"
        )
    )

    first, repeated, extra = checked.bad
    assert [(p.field, p.type) for p in first.problems] == [
        ("floor", "int_parsing"),
        ("name", "missing"),
        ("phones.0", "value_error"),
        ("occupancy", "literal_error"),
    ]
    assert (repeated.line, repeated.same_as) == (4, 3)
    assert [(p.field, p.type) for p in repeated.problems] == [("", "repeated")]
    assert [(p.field, p.type) for p in extra.problems] == [("", "extra_fields")]
    assert first.same_as is None


@pytest.mark.parametrize(
    ("query", "digits", "place"),
    [
        ("张三", None, None),
        (" 138 0013-8000 ", "13800138000", ("138 0013", "8000")),
        ("+86 138 0013 8000", "13800138000", ("+86 138 0013", "8000")),
        ("0086 138 0013 8000", "13800138000", ("0086 138 0013", "8000")),
        ("+8613800138000", "13800138000", None),
        ("8000", "8000", None),
        ("12", None, None),
        ("3栋-1201", None, ("3栋", "1201")),
        ("3栋 1201", None, ("3栋", "1201")),
        ("B2/0801", None, ("B2", "0801")),
    ],
)
def test_a_search_looks_for_text_digits_and_a_building_with_its_unit(
    query: str, digits: str | None, place: tuple[str, str] | None
) -> None:
    terms = rules.search_terms(query)

    assert terms.text == query.strip()
    assert terms.digits == digits
    assert terms.place == place
