"""API models of templates and their previews."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Locale = Literal["zh-CN", "en"]


class TemplateRead(BaseModel):
    """One message kind: its locales and the variables its templates use."""

    kind: str
    locales: list[Locale]
    variables: list[str]


class PreviewIn(BaseModel):
    """A sample to render; `site_id` fills `site` from that site's settings."""

    model_config = ConfigDict(extra="forbid")

    locale: Locale = "zh-CN"
    context: dict[str, Any] = Field(default_factory=dict)
    site_id: str | None = None


class PreviewRead(BaseModel):
    kind: str
    locale: Locale
    subject: str
    body: str
