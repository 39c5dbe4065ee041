"""Pure decisions of the directory: reading import files row by row, what a row means,
and what a search of the households looks for.

An import is validated whole before anything is applied: every bad row is reported with
its line (the physical line in a CSV file, the 1-based position in a JSON `rows` list),
its reason in a sentence, and each problem by field and type, for a page to put in words.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from intake import phones
from intake.directory.schemas import ImportRow

MAX_IMPORT_ROWS = 50_000
CSV_COLUMNS = ("building", "unit", "floor", "name", "phones", "email", "occupancy", "moved_in_on")
REQUIRED_COLUMNS = frozenset({"building", "unit", "name"})
PHONE_SEPARATOR = ";"
_SEARCH_SEPARATORS = re.compile(r"[\s().-]")
_SEARCH_DIGITS = re.compile(r"^\+?\d{3,20}$")
_PLACE = re.compile(r"^(?P<building>.+?)\s*[-/\s]\s*(?P<unit>[^-/\s]+)$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row: its field (dotted; "" for the row), a type, a message."""

    field: str
    type: str
    message: str


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str
    problems: tuple[Problem, ...] = ()
    same_as: int | None = None
    """The line of the row this one repeats (the same household twice)."""


@dataclass(frozen=True)
class Checked:
    """An import's rows that passed, and every row that did not."""

    rows: list[tuple[int, ImportRow]]
    bad: list[BadRow]


class UnreadableImportError(ValueError):
    """The file as a whole cannot be read (not CSV, missing columns, too many rows)."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh
        """The detail in Chinese."""


def csv_records(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, record) for each data row of a CSV import; empty cells are absent fields."""
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="__extra__")
    _check_columns(reader.fieldnames)
    line = reader.line_num
    for record in reader:
        start, line = line + 1, reader.line_num
        yield start, _csv_fields(record)


def _check_columns(columns: Iterable[str] | None) -> None:
    if not columns:
        raise UnreadableImportError(
            "The CSV file is empty; its first line names the columns",
            "CSV 文件是空的；第一行应为列名",
        )
    names = [c.strip() for c in columns]
    unknown = [n[:40] for n in sorted(set(names) - set(CSV_COLUMNS))][:10]
    missing = sorted(REQUIRED_COLUMNS - set(names))
    if unknown or missing:
        raise UnreadableImportError(
            f"CSV columns: unknown {unknown or 'none'}, missing {missing or 'none'}; "
            f"the columns are {', '.join(CSV_COLUMNS)}",
            f"CSV 列名有误：未知的列 {unknown or '无'}，缺少的列 {missing or '无'}；"
            f"应有的列为 {', '.join(CSV_COLUMNS)}",
        )


def _csv_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, value in record.items():
        if name == "__extra__":
            fields["__extra__"] = value
        elif value is not None and value.strip():
            fields[name.strip()] = value.strip()
    if "phones" in fields:
        fields["phones"] = [p.strip() for p in fields["phones"].split(PHONE_SEPARATOR) if p.strip()]
    return fields


def json_records(document: Any) -> Iterator[tuple[int, Any]]:
    """(position, record) for each item of a JSON import `{"rows": [...]}`."""
    rows = document.get("rows") if isinstance(document, dict) else None
    if not isinstance(rows, list) or set(document) != {"rows"}:
        raise UnreadableImportError(
            'A JSON import is an object {"rows": [...]} and nothing else',
            'JSON 导入数据必须是对象 {"rows": [...]}，不能有其他内容',
        )
    yield from enumerate(rows, start=1)


def check(records: Iterable[tuple[int, Any]], *, region: str = phones.DEFAULT_REGION) -> Checked:
    """Validate every record and find repeated households; nothing stops at the first error.
    Phone numbers are stored as numbers of `region`, the site's country."""
    rows: list[tuple[int, ImportRow]] = []
    bad: list[BadRow] = []
    first_line: dict[tuple[str, str, str], int] = {}
    for line, record in records:
        if len(rows) + len(bad) >= MAX_IMPORT_ROWS:
            raise UnreadableImportError(
                f"An import has at most {MAX_IMPORT_ROWS} rows",
                f"一次导入最多 {MAX_IMPORT_ROWS} 行",
            )
        row, problem = _validate(line, record, region)
        if row is not None:
            problem = _repeated(first_line.setdefault(household_key(row), line), line)
        if problem is not None:
            bad.append(problem)
        elif row is not None:
            rows.append((line, row))
    return Checked(rows, bad)


def _validate(line: int, record: Any, region: str) -> tuple[ImportRow | None, BadRow | None]:
    if not isinstance(record, dict):
        return None, _row_problem(line, "not_an_object", "a row must be an object")
    if "__extra__" in record:
        reason = "the row has more fields than the header has columns"
        return None, _row_problem(line, "extra_fields", reason)
    try:
        return ImportRow.model_validate(record, context={"region": region}), None
    except ValidationError as exc:
        return None, BadRow(line, describe_errors(exc), problems=field_problems(exc))


def _row_problem(line: int, kind: str, reason: str, same_as: int | None = None) -> BadRow:
    return BadRow(line, reason, problems=(Problem("", kind, reason),), same_as=same_as)


def _repeated(first: int, line: int) -> BadRow | None:
    if first == line:
        return None
    return _row_problem(line, "repeated", f"the same household as line {first}", same_as=first)


def field_problems(exc: ValidationError) -> tuple[Problem, ...]:
    """Each of pydantic's errors as (field, type, message)."""
    return tuple(
        Problem(
            ".".join(str(p) for p in err.get("loc", ())),
            str(err.get("type", "invalid")),
            str(err.get("msg", "invalid")),
        )
        for err in exc.errors()
    )


def describe_errors(exc: ValidationError) -> str:
    """`name: String should have at least 1 character; phones.0: ...`"""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())) or "row"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def household_key(row: ImportRow) -> tuple[str, str, str]:
    """Which household a row is: the same name in the same unit is the same household."""
    return (row.building, row.unit, row.name.casefold())


@dataclass(frozen=True)
class SearchTerms:
    """What a household search looks for: the text in a name, unit or building; the
    digits in a phone number; a building and unit typed together (`3栋-1201`)."""

    text: str
    digits: str | None = None
    place: tuple[str, str] | None = None


def search_terms(query: str) -> SearchTerms:
    """The terms of a search as a person types it."""
    text = query.strip()
    digits = _SEARCH_SEPARATORS.sub("", text)
    place = _PLACE.match(text)
    return SearchTerms(
        text=text,
        digits=_number(digits) if _SEARCH_DIGITS.match(digits) else None,
        place=(place["building"], place["unit"]) if place else None,
    )


def _number(digits: str) -> str:
    """A whole number typed in any spelling finds its stored form; a part of one, itself."""
    try:
        return phones.normalised(digits)
    except phones.InvalidPhoneError:
        return digits
