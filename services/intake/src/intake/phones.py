"""Phone numbers as people write them: one number, one stored form.

`+8613800138000`, `+86 138 0013 8000`, `0086 138 0013 8000` and `138-0013-8000` are the
same mobile. A number of the site's own country (the site's `country`, CN unless set) is
kept as its national significant number (`13800138000`, the form notify's SMS channel and
every stored number use); a number of another country in E.164 (`+85291234567`). A
request's model takes a number as written; the service stores it once it knows the site.
Parsing and validity come from `phonenumbers`, the port of Google's libphonenumber, so the
numbering plans stay current.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from shared.http.errors import InvalidFieldError

DEFAULT_REGION = "CN"
"""The region of a site that names none, and of a number read where no site is known."""

_WHY = {
    ValidationResult.INVALID_COUNTRY_CODE: ("its country code is not a known one", "国家代码无效"),
    ValidationResult.TOO_SHORT: ("it is too short", "位数太少"),
    ValidationResult.INVALID_LENGTH: ("it has the wrong number of digits", "位数不对"),
    ValidationResult.TOO_LONG: ("it is too long", "位数太多"),
}
_UNPARSED = {
    NumberParseException.INVALID_COUNTRY_CODE: _WHY[ValidationResult.INVALID_COUNTRY_CODE],
    NumberParseException.TOO_SHORT_AFTER_IDD: _WHY[ValidationResult.TOO_SHORT],
    NumberParseException.TOO_SHORT_NSN: _WHY[ValidationResult.TOO_SHORT],
    NumberParseException.TOO_LONG: _WHY[ValidationResult.TOO_LONG],
}
_NO_DIGITS = ("it holds no digits to dial", "没有可拨打的号码")
_NOT_DIALLED = ("it holds characters a phone number does not have", "含有电话号码中不会出现的字符")
_NO_PLAN = ("no numbering plan has it", "不属于任何号码规划")
_WRITTEN = re.compile(r"[0-9+()\-. \u3000]+")
MAX_LENGTH = 40
REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)
"""The countries (ISO 3166-1 alpha-2) whose numbering plans phonenumbers knows."""


class InvalidPhoneError(ValueError):
    """Not a valid phone number; the message says why (`zh`: in Chinese)."""

    def __init__(self, why: tuple[str, str]) -> None:
        super().__init__(f"is not a valid phone number: {why[0]}")
        self.zh = f"不是有效的电话号码：{why[1]}"


def normalised(text: str, *, region: str = DEFAULT_REGION) -> str:
    """The stored form of a number: national in `region`, E.164 elsewhere; or refused."""
    number = _parse(text, region)
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def written(text: str) -> str:
    """A number as a person writes it, before its site is known: digits, `+`, spaces,
    dashes, dots and brackets, at most MAX_LENGTH characters; normalised later."""
    value = text.strip()
    if not _WRITTEN.fullmatch(value):
        raise InvalidPhoneError(_NOT_DIALLED if value else _NO_DIGITS)
    if not any(c.isdigit() for c in value):
        raise InvalidPhoneError(_NO_DIGITS)
    return value


def stored(text: str, *, region: str, field: str) -> str:
    """The stored form of a number given for a site of `region`; a 422 naming `field`."""
    try:
        return normalised(text, region=region)
    except InvalidPhoneError as exc:
        raise InvalidFieldError(field, str(exc), zh=exc.zh) from exc


def candidates(text: str, *, regions: Iterable[str]) -> list[str]:
    """The stored forms a number may have at sites of these regions (a caller's number,
    looked up across the sites a principal sees); a 422 when it is a number in none."""
    found: dict[str, None] = {}
    last: InvalidPhoneError | None = None
    for region in sorted(set(regions)) or [DEFAULT_REGION]:
        try:
            found[normalised(text, region=region)] = None
        except InvalidPhoneError as exc:
            last = exc
    if not found and last is not None:
        raise InvalidFieldError("phone", str(last), zh=last.zh) from last
    return list(found)


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise InvalidPhoneError(_UNPARSED.get(exc.error_type, _NO_DIGITS)) from exc
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _WHY:
        raise InvalidPhoneError(_WHY[reason])
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneError(_NO_PLAN)
    return number
