"""What the services say about a field, in the page's language, for the setup forms and the
directory import: pure.

The services' field errors are pydantic's, in English. The common ones already have words
(`console.web.forms.describe_error`); the setup forms meet a few more (numbers out of
range, dates, phone numbers, time zones, a working day that ends before it starts), which
are put in words here. Anything else is shown as the service said it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.dates import get_timezone, get_timezone_location

from console.web.forms import describe_error
from console.web.i18n import translate
from shared.words import Lang

TYPES = {
    "int_parsing": "admin.error.number",
    "int_type": "admin.error.number",
    "int_from_float": "admin.error.number",
    "greater_than_equal": "admin.error.range",
    "less_than_equal": "admin.error.range",
    "greater_than": "admin.error.range",
    "less_than": "admin.error.range",
    "date_parsing": "admin.error.date",
    "date_from_datetime_parsing": "admin.error.date",
    "date_from_datetime_inexact": "admin.error.date",
    "date_type": "admin.error.date",
    "time_parsing": "admin.error.clock_time",
    "time_type": "admin.error.clock_time",
    "time_delta_parsing": "admin.error.duration",
    "time_delta_type": "admin.error.duration",
    "too_long": "admin.error.too_many",
    "extra_forbidden": "admin.error.unknown_field",
}
# value_error: the validator's own sentence says which rule it is.
SENTENCES = {
    "phone number": "admin.error.phone",
    "time zone": "admin.error.time_zone",
    "single line": "admin.error.single_line",
    "control characters": "admin.error.control",
    "start before it ends": "admin.error.hours_order",
    "must come before": "admin.error.hours_order",
    "must not be longer than": "admin.error.acknowledge_first",
    "same category, kind and severity": "admin.error.same_route",
    "same category and severity": "admin.error.same_policy",
    "each holiday date": "admin.error.same_holiday",
    "at least one working day": "admin.error.no_working_day",
    "listed more than once": "admin.error.twice",
}
COLUMNS = ("building", "unit", "floor", "name", "phones", "email", "occupancy", "moved_in_on")
IMPORT_TYPES = {"literal_error": "admin.import.choice"}
"""A file has no list to choose from: the one closed column is owner or tenant."""
ROW_PROBLEMS = {
    "repeated": "admin.import.repeated",
    "extra_fields": "admin.import.extra_fields",
    "not_an_object": "admin.import.not_an_object",
}


def describe(error: dict[str, Any], lang: Lang) -> str:
    """A field error in the page's language when it is a known one, else the service's."""
    kind, message = str(error.get("type", "")), str(error.get("message", ""))
    key = TYPES.get(kind)
    if kind == "value_error":
        key = next((k for s, k in SENTENCES.items() if s in message), None)
    if key is None:
        return describe_error(error, lang)
    return translate(key, lang)


@dataclass(frozen=True)
class BadRow:
    """One row intake refused: its line and what is wrong with it, in words."""

    line: int
    problems: list[str]
    reason: str


def bad_rows(errors: list[dict[str, Any]], lang: Lang) -> list[BadRow]:
    """intake's refused rows (`line`, `reason`, `problems`), in the page's language."""
    return [
        BadRow(
            line=int(e.get("line") or 0),
            problems=[_problem(p, e, lang) for p in e.get("problems") or []]
            or [str(e.get("reason", ""))],
            reason=str(e.get("reason", "")),
        )
        for e in errors
        if "line" in e
    ]


def _problem(problem: dict[str, Any], row: dict[str, Any], lang: Lang) -> str:
    kind = str(problem.get("type", ""))
    if kind in ROW_PROBLEMS:
        return translate(ROW_PROBLEMS[kind], lang, line=row.get("same_as") or "?")
    said = translate(IMPORT_TYPES[kind], lang) if kind in IMPORT_TYPES else describe(problem, lang)
    return f"{column(str(problem.get('field', '')), lang)}{_colon(lang)}{said}"


def column(field: str, lang: Lang) -> str:
    """A column of the import file in words (`phones.1`: the second phone number)."""
    name, _, position = field.partition(".")
    if name not in COLUMNS:
        return field or translate("admin.import.the_row", lang)
    words = translate(f"admin.import.col.{name}", lang)
    if position.isdigit():
        return translate("admin.import.nth", lang, what=words, n=int(position) + 1)
    return words


def _colon(lang: Lang) -> str:
    return "：" if lang == "zh" else ": "


def zone_name(zone: str, lang: Lang) -> str:
    """A time zone in words: 中国（上海）时间, China (Shanghai) Time (its name when unknown)."""
    try:
        return str(
            get_timezone_location(get_timezone(zone), locale="zh_CN" if lang == "zh" else "en")
        )
    except (LookupError, ValueError):
        return zone
