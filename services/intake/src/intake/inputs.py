"""Input types every intake API model uses: ids, one-line text, free text, phones.

Text that reaches the database must be storable on both backends: PostgreSQL refuses NUL
characters and lone surrogates (valid JSON escapes both), so they are refused here, at the
edge, as a 422 instead of failing in the driver as a 500.
"""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, StringConstraints, ValidationInfo

from intake import phones
from shared.http.invalid import invalid

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\t\n\r\u2028\u2029]")


def no_control_characters(value: str) -> str:
    """Free text: tabs and line breaks are fine, other control characters are not."""
    if _CONTROL.search(value):
        raise invalid("must not contain control characters", "不能包含控制字符")
    return value


def single_line(value: str) -> str:
    """A name or label: no control characters and no line breaks."""
    if _LINE_BREAK.search(no_control_characters(value)):
        raise invalid("must be a single line", "只能是一行文字，不能换行")
    return value


def normalise_phone(value: object, info: ValidationInfo) -> object:
    """A number as written (`+86 138 0013 8000`); stored form when the validation is told
    the site's region (an import of a site), else the service stores it knowing the site."""
    if not isinstance(value, str):
        return value
    if len(value) > phones.MAX_LENGTH:
        raise invalid(
            f"must be a phone number of at most {phones.MAX_LENGTH} characters",
            f"电话号码最多 {phones.MAX_LENGTH} 个字符",
        )
    region = (info.context or {}).get("region")
    try:
        return phones.normalised(value, region=region) if region else phones.written(value)
    except phones.InvalidPhoneError as exc:
        raise invalid(str(exc), exc.zh) from exc


def known_time_zone(value: str) -> str:
    """An IANA time zone name such as `Asia/Shanghai`."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise invalid(
            f"{value!r} is not a known time zone (e.g. Asia/Shanghai)",
            f"{value!r} 不是已知的时区（例如 Asia/Shanghai）",
        ) from exc
    return value


def known_country(value: str) -> str:
    """A country whose phone numbering plan is known, as ISO 3166-1 alpha-2 (`CN`, `HK`)."""
    if value not in phones.REGIONS:
        raise invalid(
            f"{value!r} is not a known country code (ISO 3166-1 alpha-2, e.g. CN)",
            f"{value!r} 不是已知的国家或地区代码（ISO 3166-1 两位字母代码，例如 CN）",
        )
    return value


def _line(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


_Line = AfterValidator(single_line)
_Free = AfterValidator(no_control_characters)

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An id: letters, digits and `_.:-`, up to 64 characters."""
PathId = Annotated[str, Path(pattern=ID_PATTERN, description="an id")]
Label = Annotated[str, _line(32), _Line]
"""A short label: a building code, a unit number."""
Name = Annotated[str, _line(100), _Line]
"""A person's or department's name."""
Title = Annotated[str, _line(200), _Line]
"""A longer one-line text: a site's or building's name, a common area."""
Contact = Annotated[str, _line(500), _Line]
"""A one-line contact description."""
ExternalRef = Annotated[str, _line(100), _Line]
"""A caller's own ticket id."""
Description = Annotated[str, StringConstraints(min_length=1, max_length=5000), _Free]
"""A complaint's text: 1 to 5,000 characters."""
Note = Annotated[str, StringConstraints(min_length=1, max_length=2000), _Free]
"""A reply, a supplement, a reason."""
Search = Annotated[str, StringConstraints(min_length=1, max_length=200), _Line]
"""Text to search for."""
Phone = Annotated[str, BeforeValidator(normalise_phone)]
"""A phone number as written; the service stores it in its site's form (phones.stored)."""
TimeZoneName = Annotated[str, StringConstraints(max_length=64), AfterValidator(known_time_zone)]
Country = Annotated[str, StringConstraints(max_length=2), AfterValidator(known_country)]
EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}$"
Email = Annotated[str, StringConstraints(max_length=254, pattern=EMAIL_PATTERN)]
