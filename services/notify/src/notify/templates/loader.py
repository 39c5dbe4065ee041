"""Find and render message templates.

Convention: `notify/templates/messages/<kind>.<locale>.txt`, one file per kind and locale
(zh-CN and en); the first line is the subject, the rest the body. Templates are Jinja2 with
StrictUndefined, so a missing variable is an error, never an empty gap in a message sent to
a resident. Every context has `site` (name, contact_phone, timezone) added by the caller
(`deliveries.service.queue`). Autoescaping is on for `.html` templates only: messages are
plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    UndefinedError,
    meta,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context

MESSAGES = Path(__file__).resolve().parent / "messages"
LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "zh-CN"
DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Rendered:
    """A message ready to send."""

    subject: str
    body: str


class UnknownTemplateError(LookupError):
    """No template for this kind (or locale)."""


class MissingVariablesError(ValueError):
    """The context lacks variables the template uses."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"missing variables: {', '.join(names)}")
        self.names = names


@pass_context
def _local(context: Context, value: datetime | str | None) -> str:
    """A UTC instant as the site's wall-clock time, `YYYY-MM-DD HH:MM`."""
    if value is None:
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    site = context.get("site") or {}
    zone = ZoneInfo(str(site.get("timezone") or DEFAULT_TIMEZONE))
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@cache
def environment() -> Environment:
    """The one Jinja2 environment of notify's message templates."""
    env = Environment(
        loader=FileSystemLoader(MESSAGES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["local"] = _local
    return env


def kinds() -> list[str]:
    """Every message kind with at least one template."""
    return sorted({p.name.split(".", 1)[0] for p in MESSAGES.glob("*.txt")})


def locales_of(kind: str) -> list[str]:
    """The locales a kind has templates for."""
    return [locale for locale in LOCALES if (MESSAGES / _name(kind, locale)).is_file()]


def normal_locale(locale: str | None) -> str:
    """A supported locale: `en…` is English, anything else Chinese."""
    return "en" if locale and locale.lower().startswith("en") else DEFAULT_LOCALE


def _name(kind: str, locale: str) -> str:
    return f"{kind}.{locale}.txt"


def _template(kind: str, locale: str) -> Template:
    if "/" in kind or "\\" in kind or kind.startswith("."):
        raise UnknownTemplateError(kind)
    try:
        return environment().get_template(_name(kind, locale))
    except TemplateNotFound:
        raise UnknownTemplateError(f"{kind} ({locale})") from None


@cache
def variables(kind: str, locale: str) -> set[str]:
    """The top-level variables a template uses."""
    env = environment()
    path = MESSAGES / _name(kind, locale)
    _template(kind, locale)  # UnknownTemplateError first
    return meta.find_undeclared_variables(env.parse(path.read_text(encoding="utf-8")))


def render(kind: str, locale: str, context: Mapping[str, Any]) -> Rendered:
    """Render one kind in one locale; MissingVariablesError names every missing variable."""
    template = _template(kind, locale)
    missing = sorted(variables(kind, locale) - set(context) - set(environment().globals))
    if missing:
        raise MissingVariablesError(missing)
    try:
        text = template.render(context)
    except UndefinedError as exc:  # StrictUndefined: a missing attribute of a given variable
        raise MissingVariablesError([str(exc)]) from exc
    subject, _, body = text.partition("\n")
    return Rendered(subject=subject.strip(), body=body.strip("\n"))
