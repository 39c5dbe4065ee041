"""Cursor pagination: opaque cursors, refused when tampered with, and pages that know the end."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from shared.http.errors import ProblemError
from shared.http.pagination import Page, decode_cursor, encode_cursor, page_of


def _raw(value: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def test_a_cursor_round_trips_its_sort_key() -> None:
    cursor = encode_cursor("2024-05-01T08:30:00+00:00", "c-17", 3)
    assert decode_cursor(cursor, arity=3) == ["2024-05-01T08:30:00+00:00", "c-17", 3]


def test_a_datetime_comes_back_as_its_iso_text() -> None:
    cursor = encode_cursor(datetime(2024, 5, 1, 8, 30, tzinfo=UTC), "c-1")
    assert decode_cursor(cursor, arity=2) == ["2024-05-01T08:30:00+00:00", "c-1"]


def test_a_cursor_is_opaque_and_url_safe() -> None:
    cursor = encode_cursor("投诉/2024?&", "x" * 40)
    assert "投诉" not in cursor
    assert not set(cursor) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_no_cursor_means_the_first_page() -> None:
    assert decode_cursor(None, arity=2) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor!",
        "游标",
        "%%%%",
        "a",
        _raw({"created_at": "2024-05-01"}),
        _raw("c-1"),
        _raw(["2024-05-01"]),
        _raw(["2024-05-01", "c-1", "extra"]),
        encode_cursor("2024-05-01", "c-1")[:-3] + "AAA",
    ],
    ids=[
        "empty",
        "garbage",
        "non-ascii",
        "not-base64",
        "too-short",
        "object",
        "scalar",
        "too-few",
        "too-many",
        "edited",
    ],
)
def test_a_tampered_cursor_is_a_400_problem(cursor: str) -> None:
    with pytest.raises(ProblemError) as caught:
        decode_cursor(cursor, arity=2)
    assert caught.value.status == 400
    assert "cursor is not valid" in caught.value.detail


def _rows(n: int) -> list[dict[str, Any]]:
    return [{"id": f"c-{i}", "at": f"2024-05-{i + 1:02d}"} for i in range(n)]


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["at"], row["id"]


def test_a_page_with_more_behind_it_has_a_next_cursor() -> None:
    rows = _rows(4)
    page = page_of(rows, limit=3, key=_key)
    assert page.items == rows[:3]
    assert page.next_cursor is not None
    assert decode_cursor(page.next_cursor, arity=2) == ["2024-05-03", "c-2"]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_last_page_has_no_next_cursor(count: int) -> None:
    rows = _rows(count)
    page = page_of(rows, limit=3, key=_key)
    assert page.items == rows
    assert page.next_cursor is None


def test_a_page_serialises_with_a_null_cursor_at_the_end() -> None:
    page: Page[dict[str, Any]] = page_of(_rows(1), limit=5, key=_key)
    assert page.model_dump() == {"items": _rows(1), "next_cursor": None}
