"""Request bodies given as JSON or YAML, for the bulk loads an office prepares in a file."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
import yaml
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from shared.http.errors import ProblemError

M = TypeVar("M", bound=BaseModel)

MAX_BODY = 2_000_000
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")

DOCUMENT_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "object"}},
        "application/yaml": {"schema": {"type": "object"}},
    },
}


async def read_document(request: Request, model: type[M]) -> M:
    """The body parsed as YAML (by its content type) or JSON, validated as `model`."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ProblemError(
            413,
            f"The document is larger than {MAX_BODY} bytes",
            zh=f"文档超过 {MAX_BODY} 字节",
        )
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data = parse_document(body, yaml_=content_type in YAML_TYPES)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from exc


def parse_document(body: bytes, *, yaml_: bool) -> Any:
    """JSON or YAML text as Python data; a 422 problem when it does not parse."""
    try:
        return yaml.safe_load(body) if yaml_ else orjson.loads(body)
    except (yaml.YAMLError, orjson.JSONDecodeError, UnicodeDecodeError) as exc:
        kind = "YAML" if yaml_ else "JSON"
        reason = str(exc)[:200]
        raise ProblemError(
            422, f"The body is not valid {kind}: {reason}", zh=f"请求体不是有效的 {kind}：{reason}"
        ) from exc
