"""Cursor pagination: opaque cursors that encode the last row's sort key."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_

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
        raise _invalid()
    return values


def page_of(items: list[T], *, limit: int, key: Any) -> Page[T]:
    """A page from `limit + 1` fetched items: the extra one only says there is more."""
    if len(items) <= limit:
        return Page(items=items)
    kept = items[:limit]
    return Page(items=kept, next_cursor=encode_cursor(*key(kept[-1])))


# Keyset pages: every list of every service orders by a unique key and continues after the
# cursor's key, so a page never skips or repeats a row that was added in between.


def _invalid() -> ProblemError:
    return ProblemError(
        400,
        "The cursor is not valid; start again without it",
        zh="翻页游标无效，请不带游标重新开始",
    )


def after_key(query: Select[Any], columns: list[Any], cursor: str | None) -> Select[Any]:
    """Rows after the cursor's key of one or two text columns, in key order."""
    ordered = query.order_by(*columns)
    values = decode_cursor(cursor, arity=len(columns))
    if values is None:
        return ordered
    if not all(isinstance(v, str) for v in values):
        raise _invalid()
    if len(columns) == 1:
        return ordered.where(columns[0] > values[0])
    first, second = columns
    return ordered.where(or_(first > values[0], and_(first == values[0], second > values[1])))


def time_key(cursor: str | None) -> tuple[datetime, str] | None:
    """The (UTC time, text id) inside a cursor, or None; a 400 problem when it is not one."""
    values = decode_cursor(cursor, arity=2)
    if values is None:
        return None
    try:
        when = datetime.fromisoformat(values[0])
    except (TypeError, ValueError):
        raise _invalid() from None
    if when.tzinfo is None or not isinstance(values[1], str):
        raise _invalid()
    return when.astimezone(UTC), values[1]


def newest_first(query: Select[Any], at: Any, ident: Any, cursor: str | None) -> Select[Any]:
    """Rows older than the cursor's (time, id), newest first."""
    key = time_key(cursor)
    ordered = query.order_by(at.desc(), ident.desc())
    if key is None:
        return ordered
    return ordered.where(or_(at < key[0], and_(at == key[0], ident < key[1])))


def oldest_first(query: Select[Any], at: Any, ident: Any, cursor: str | None) -> Select[Any]:
    """Rows after the cursor's (time, id), oldest first: a work queue's order."""
    key = time_key(cursor)
    ordered = query.order_by(at, ident)
    if key is None:
        return ordered
    return ordered.where(or_(at > key[0], and_(at == key[0], ident > key[1])))
