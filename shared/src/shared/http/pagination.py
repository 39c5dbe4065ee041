"""Cursor pagination: opaque cursors that encode the last row's sort key."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from shared.http.errors import ProblemError

T = TypeVar("T")

MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Cursor = Annotated[
    str | None, Query(max_length=500, description="next_cursor of the previous page")
]


class Page(BaseModel, Generic[T]):
    """One page of a list; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None = None


def encode_cursor(*values: Any) -> str:
    """An opaque cursor for the sort key `values`."""
    return base64.urlsafe_b64encode(orjson.dumps(list(values), default=str)).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, arity: int) -> list[Any] | None:
    """The sort key inside `cursor`, or None; a 400 problem when it was tampered with."""
    if cursor is None:
        return None
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != arity:
        raise ProblemError(400, "The cursor is not valid; start again without it")
    return values


def page_of(items: list[T], *, limit: int, key: Any) -> Page[T]:
    """A page from `limit + 1` fetched items: the extra one only says there is more."""
    if len(items) <= limit:
        return Page(items=items)
    kept = items[:limit]
    return Page(items=kept, next_cursor=encode_cursor(*key(kept[-1])))
