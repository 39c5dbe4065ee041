"""Logging: personal data is masked wherever it appears, and JSON lines carry the context."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from shared.context import bound
from shared.logging import configure_logging, get_logger, mask_personal_data

PHONE = "13812345678"
MASKED_PHONE = "138******78"
# The canonical example UUID: its last group is all digits, like a phone number.
CORRELATION = "550e8400-e29b-41d4-a716-446655440000"


def _mask(**fields: Any) -> dict[str, Any]:
    return dict(mask_personal_data(None, "info", fields))


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state; put it back for the next test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    uvicorn_level = logging.getLogger("uvicorn.error").level
    yield
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("uvicorn.error").setLevel(uvicorn_level)


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- the masking processor --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张**"), ("欧阳娜娜", "欧***"), ("John Smith", "J*********"), ("A", "A**")],
)
def test_names_keep_only_their_first_character(name: str, masked: str) -> None:
    assert _mask(name=name)["name"] == masked
    assert _mask(reporter_name=name)["reporter_name"] == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        (PHONE, MASKED_PHONE),
        ("+86 138 1234 5678", "861********78"),
        ("138-1234-5678", MASKED_PHONE),
        ("010-62345678", "010******78"),
    ],
)
def test_phones_keep_only_a_few_digits(phone: str, masked: str) -> None:
    assert _mask(phone=phone)["phone"] == masked
    assert _mask(mobile=phone)["mobile"] == masked


def test_every_phone_in_a_list_is_masked() -> None:
    assert _mask(phones=[PHONE, "13987654321"])["phones"] == [MASKED_PHONE, "139******21"]


def test_email_addresses_keep_the_first_character_and_the_domain() -> None:
    assert _mask(email="zhang.san@example.com")["email"] == "z***@example.com"


@pytest.mark.parametrize("key", ["description", "text", "address", "comment", "reply", "body"])
def test_free_text_is_replaced_by_its_length(key: str) -> None:
    text = "3号楼2单元漏水，张三，电话13812345678"
    assert _mask(**{key: text})[key] == f"<{len(text)} chars>"


def test_nested_dicts_and_lists_are_masked() -> None:
    masked = _mask(
        reporter={"name": "张三", "phone": PHONE, "contact": {"email": "zs@example.com"}},
        households=[{"name": "李四", "phones": ["13987654321"], "unit": "2-301"}],
    )
    assert masked["reporter"] == {
        "name": "张**",
        "phone": MASKED_PHONE,
        "contact": {"email": "z***@example.com"},
    }
    assert masked["households"] == [{"name": "李**", "phones": ["139******21"], "unit": "2-301"}]


def test_phones_and_emails_inside_other_strings_are_masked() -> None:
    masked = _mask(detail=f"call {PHONE} or write to wang.wu@example.cn", note_id="n1")
    assert masked["detail"] == f"call {MASKED_PHONE} or write to w***@example.cn"
    assert masked["note_id"] == "n1"


def test_the_event_message_is_masked() -> None:
    masked = _mask(event=f"resident 电话{PHONE} wrote from li.si@example.com")
    assert masked["event"] == f"resident 电话{MASKED_PHONE} wrote from l***@example.com"


def test_other_values_are_left_alone() -> None:
    fields = {
        "site_id": "site-a",
        "count": 12345678901,
        "status": "open",
        "correlation_id": CORRELATION,
        "timestamp": "2024-05-01T08:30:00Z",
        "level": "info",
    }
    assert _mask(**fields) == fields


def test_uuids_inside_text_are_not_taken_for_phones() -> None:
    masked = _mask(event=f"message {CORRELATION} parked; caller {PHONE}")
    assert masked["event"] == f"message {CORRELATION} parked; caller {MASKED_PHONE}"


def test_dates_and_times_are_not_taken_for_phones() -> None:
    masked = _mask(
        cutoff="2022-03-01T12:00:00+00:00", event=f"due 2026-12-03 09:30, caller {PHONE}"
    )
    assert masked["cutoff"] == "2022-03-01T12:00:00+00:00"
    assert masked["event"] == f"due 2026-12-03 09:30, caller {MASKED_PHONE}"


# --- a configured logger ----------------------------------------------------------------


@pytest.mark.usefixtures("restore_logging")
def test_json_lines_carry_service_and_correlation_and_no_phone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(service="intake", fmt="json")
    log = get_logger("test")
    with bound(correlation=CORRELATION, causation=None, event_id="e-1"):
        log.info(
            f"complaint from {PHONE}", reporter={"name": "张三", "phone": PHONE}, site_id="site-a"
        )
    log.info("outside the flow")
    lines = _json_lines(capsys.readouterr().err)
    assert len(lines) == 2
    first, second = lines
    assert first["service"] == "intake"
    assert first["correlation_id"] == CORRELATION
    assert first["event_id"] == "e-1"
    assert first["level"] == "info"
    assert first["event"] == f"complaint from {MASKED_PHONE}"
    assert first["reporter"] == {"name": "张**", "phone": MASKED_PHONE}
    assert second["service"] == "intake"
    assert "correlation_id" not in second
    assert PHONE not in json.dumps(lines, ensure_ascii=False)


@pytest.mark.usefixtures("restore_logging")
def test_exception_tracebacks_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(service="routing", fmt="json")
    try:
        raise ValueError(f"no household has phone {PHONE}")
    except ValueError:
        get_logger("test").exception("handler failed")
    (line,) = _json_lines(capsys.readouterr().err)
    assert "ValueError: no household has phone" in line["exception"]
    assert MASKED_PHONE in line["exception"]
    assert PHONE not in json.dumps(line)


@pytest.mark.usefixtures("restore_logging")
def test_standard_library_records_are_masked_json_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(service="notify", fmt="json")
    logging.getLogger("some.library").warning("sms to %s failed", PHONE)
    (line,) = _json_lines(capsys.readouterr().err)
    assert line["service"] == "notify"
    assert line["event"] == f"sms to {MASKED_PHONE} failed"


@pytest.mark.usefixtures("restore_logging")
def test_the_level_filters_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(service="surveys", fmt="json", level="WARNING")
    log = get_logger("test")
    log.info("not shown")
    log.warning("shown")
    assert [line["event"] for line in _json_lines(capsys.readouterr().err)] == ["shown"]
