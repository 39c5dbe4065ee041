"""Posted forms: read with limits, and what a page needs to show one again.

A refused form is shown again with everything the person typed and the service's words
beside the fields they are about (`Filled`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request

from console.backend.client import Refused
from console.web.i18n import translate
from shared.http.errors import ProblemError
from shared.words import Lang

MAX_FIELDS = 100
MAX_FIELD_BYTES = 64_000


async def read_form(request: Request) -> FormData:
    """The posted form (urlencoded or multipart), no files, bounded in size."""
    try:
        return await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES)
    except Exception as exc:  # the multipart parser's errors have no common base
        raise ProblemError(400, "form") from exc


def text(form: FormData, name: str) -> str:
    """A field's value, stripped ('' when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    """A field's value, or None when it was left empty."""
    return text(form, name) or None


@dataclass
class Filled:
    """A form as the person left it, with what was wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    problem: Refused | None = None
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        form: FormData,
        problem: Refused | None = None,
        *,
        field_of: Callable[[str], str] = lambda name: name,
    ) -> Filled:
        """The form's values, and the refusal's field errors under the form's field names."""
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
        errors: dict[str, dict[str, Any]] = {}
        if problem is not None:
            errors = {field_of(name): e for name, e in problem.field_errors().items()}
        return cls(values=values, problem=problem, errors=errors)

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def error(self, *names: str) -> dict[str, Any] | None:
        """The service's error about a field (the first of `names` it has one for)."""
        for name in names:
            if name in self.errors:
                return self.errors[name]
        return None

    def checked(self, name: str, value: str, *, default: bool = False) -> bool:
        """True when the field had `value` (or, on a fresh form, when it is the default)."""
        if name not in self.values:
            return default
        return self.values[name] == value


# The service's field messages are pydantic's, in English; the common ones have words
# of the page's language here, and anything else is shown as the service said it.
ERROR_WORDS = {
    "missing": "form.error.missing",
    "string_too_short": "form.error.missing",
    "string_too_long": "form.error.too_long",
    "string_pattern_mismatch": "form.error.pattern",
    "literal_error": "form.error.choice",
    "enum": "form.error.choice",
    "datetime_from_date_parsing": "form.error.time",
    "datetime_parsing": "form.error.time",
    "timezone_aware": "form.error.time",
    "json_invalid": "form.error.invalid",
}


def describe_error(error: dict[str, Any], lang: Lang) -> str:
    """A field error in the page's language when it is a common one, else the service's."""
    key = ERROR_WORDS.get(str(error.get("type", "")))
    if key is None:
        return str(error.get("message", ""))
    return translate(key, lang)
