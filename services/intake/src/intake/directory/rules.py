"""Pure decisions of the directory: reading import files row by row, and what a row means.

An import is validated whole before anything is applied: every bad row is reported with
its line (the physical line in a CSV file, the 1-based position in a JSON `rows` list).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from intake.directory.schemas import ImportRow

MAX_IMPORT_ROWS = 50_000
CSV_COLUMNS = ("building", "unit", "floor", "name", "phones", "email", "occupancy", "moved_in_on")
REQUIRED_COLUMNS = frozenset({"building", "unit", "name"})
PHONE_SEPARATOR = ";"


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass(frozen=True)
class Checked:
    """An import's rows that passed, and every row that did not."""

    rows: list[tuple[int, ImportRow]]
    bad: list[BadRow]


class UnreadableImportError(ValueError):
    """The file as a whole cannot be read (not CSV, missing columns, too many rows)."""


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
        raise UnreadableImportError("The CSV file is empty; its first line names the columns")
    names = [c.strip() for c in columns]
    unknown = [n[:40] for n in sorted(set(names) - set(CSV_COLUMNS))][:10]
    missing = sorted(REQUIRED_COLUMNS - set(names))
    if unknown or missing:
        raise UnreadableImportError(
            f"CSV columns: unknown {unknown or 'none'}, missing {missing or 'none'}; "
            f"the columns are {', '.join(CSV_COLUMNS)}"
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
        raise UnreadableImportError('A JSON import is an object {"rows": [...]} and nothing else')
    yield from enumerate(rows, start=1)


def check(records: Iterable[tuple[int, Any]]) -> Checked:
    """Validate every record and find repeated households; nothing stops at the first error."""
    rows: list[tuple[int, ImportRow]] = []
    bad: list[BadRow] = []
    first_line: dict[tuple[str, str, str], int] = {}
    for line, record in records:
        if len(rows) + len(bad) >= MAX_IMPORT_ROWS:
            raise UnreadableImportError(f"An import has at most {MAX_IMPORT_ROWS} rows")
        row, reason = _validate(record)
        if row is not None:
            key = household_key(row)
            reason = _repeated(first_line.setdefault(key, line), line)
        if reason is not None or row is None:
            bad.append(BadRow(line, reason or "invalid"))
        else:
            rows.append((line, row))
    return Checked(rows, bad)


def _validate(record: Any) -> tuple[ImportRow | None, str | None]:
    if not isinstance(record, dict):
        return None, "a row must be an object"
    if "__extra__" in record:
        return None, "the row has more fields than the header has columns"
    try:
        return ImportRow.model_validate(record), None
    except ValidationError as exc:
        return None, describe_errors(exc)


def _repeated(first: int, line: int) -> str | None:
    return None if first == line else f"the same household as line {first}"


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
