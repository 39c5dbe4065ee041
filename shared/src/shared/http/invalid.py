"""A validator's refusal in both languages: raise `invalid(en, zh)` instead of `ValueError`.

Pydantic says a validator's `ValueError` as `Value error, <its text>` (type `value_error`),
in English only. `invalid` raises the same error, the same `type` and the same English
`msg` as that `ValueError` would have, and carries the Chinese in the error's context
(`ctx["zh"]`), where `shared.http.errors` finds it for a reader who asks for Chinese.

Pydantic formats a custom error's message by replacing each `{key}` of its context in the
template, one key after another, in the context's order, and has no escape for braces. So
the template holds a placeholder only (`Value error, {error}`) and the English text is the
context's last entry: nothing is replaced after it, and braces in the English
(`{"zh": ...}`, `{error}`) reach the reader as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

ZH = "zh"
"""The context key of the Chinese words."""
_TEMPLATE = "Value error, {error}"
"""Pydantic's own template for a validator's ValueError, so the English reads the same."""


def invalid(en: str, zh: str) -> PydanticCustomError:
    """The error a validator raises for input it refuses: `en` as a `ValueError(en)` reads
    today, `zh` for a Chinese reader. Keep ids and values in both."""
    # Order matters: the English is substituted last (see the module's docstring).
    return PydanticCustomError("value_error", _TEMPLATE, {ZH: zh, "error": en})


def chinese_of(context: Mapping[str, Any] | None) -> str | None:
    """The Chinese words an error of `invalid` carries, or None."""
    zh = (context or {}).get(ZH)
    return zh if isinstance(zh, str) and zh else None
