"""structlog set-up: JSON lines in production, console in development, personal data masked.

Every line carries the service name and whatever the request or message bound through
contextvars (correlation id, request id, event id).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import orjson
import structlog

# Field names whose values are personal data wherever they appear in a log line.
NAME_KEYS = frozenset({"name", "reporter_name", "resident_name", "contact_name", "full_name"})
PHONE_KEYS = frozenset({"phone", "phones", "mobile", "reporter_phone", "caller_phone"})
EMAIL_KEYS = frozenset({"email", "e_mail", "emails"})
TEXT_KEYS = frozenset(
    {"address", "description", "text", "body", "reply", "comment", "note", "content"}
)

_PHONE = re.compile(r"(?<!\d)(\+?\d[\d -]{6,}\d)(?!\d)")
# UUIDs (correlation, request and message ids) are matched first and kept whole: their
# digit-and-hyphen runs look like phone numbers, and masking them breaks log correlation.
# Dates and times (`2024-03-01T12:00:00`) likewise: a log whose dates are masked cannot
# say when anything happened.
_UUID = r"\b[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\b"
_ISO_DATE = r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_PHONE_OR_UUID = re.compile(rf"(?P<uuid>{_UUID}|{_ISO_DATE})|{_PHONE.pattern}")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask_phone(value: str) -> str:
    """Keep the first three and last two digits: `138******78`."""
    digits = re.sub(r"\D", "", value)
    if len(digits) <= 5:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 5)}{digits[-2:]}"


def mask_name(value: str) -> str:
    """Keep the first character only: `张**`, `J***`."""
    value = value.strip()
    return f"{value[:1]}{'*' * max(len(value) - 1, 2)}" if value else value


def mask_email(value: str) -> str:
    """Keep the first character and the domain: `z***@example.com`."""
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", value)


def mask_text(value: str) -> str:
    """Phones and e-mail addresses found inside free text are masked; UUIDs and dates are
    kept."""
    return _PHONE_OR_UUID.sub(
        lambda m: m.group("uuid") or mask_phone(m.group(2)), mask_email(value)
    )


def _mask_value(key: str, value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_value(key, v) for v in value]
    if not isinstance(value, str):
        return value
    if key in NAME_KEYS:
        return mask_name(value)
    if key in PHONE_KEYS:
        return mask_phone(value)
    if key in EMAIL_KEYS:
        return mask_email(value)
    if key in TEXT_KEYS:
        return f"<{len(value)} chars>"
    return mask_text(value)


def mask_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask names, phones, e-mail addresses and free text."""
    for key, value in list(event_dict.items()):
        if key in ("event", "timestamp", "level", "logger"):
            if key == "event" and isinstance(value, str):
                event_dict[key] = mask_text(value)
            continue
        event_dict[key] = _mask_value(key, value)
    return event_dict


class _Stderr:
    """Whatever `sys.stderr` is when a line is written, not when logging was configured:
    a test runner swaps it per test, and a stream bound once outlives its test."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


STDERR: Any = _Stderr()


# The broker client's own lines about a dropped connection say again what `shared.bus`
# says in one warning and one line when it has reconnected: aiormq's error with a
# traceback for every connection, and aio-pika's errors from its channels' close callbacks
# racing the transport that is already gone (the channels are restored with the
# connection). They are left out; aio-pika's reconnect attempts are kept as single lines,
# without their tracebacks.
QUIET_LOGGERS = {"aiormq.connection": logging.CRITICAL, "aio_pika.tools": logging.CRITICAL}
ONE_LINE_LOGGERS = ("aio_pika.robust_connection", "aio_pika.connection")


def _without_traceback(record: logging.LogRecord) -> bool:
    record.exc_info, record.exc_text = None, None
    return True


def _orjson_dumps(obj: Any, default: Any = None) -> str:
    return orjson.dumps(obj, default=default or str).decode()


def configure_logging(*, service: str, fmt: str = "console", level: str = "INFO") -> None:
    """Configure structlog and the standard library's logging for one service process."""
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_orjson_dumps)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        # Tracebacks are rendered before masking: an exception's message can carry a phone.
        structlog.processors.format_exc_info,
        mask_personal_data,
    ]
    structlog.configure(
        processors=[*shared_processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=STDERR),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(STDERR)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
            foreign_pre_chain=shared_processors,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("uvicorn.error").setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)
    for name in ONE_LINE_LOGGERS:
        one_line = logging.getLogger(name)
        if _without_traceback not in one_line.filters:
            one_line.addFilter(_without_traceback)


def get_logger(name: str | None = None) -> Any:
    """A structlog logger."""
    return structlog.get_logger(name)
