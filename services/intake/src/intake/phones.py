"""Phone numbers as people write them: one number, one stored form.

`+8613800138000`, `+86 138 0013 8000`, `0086 138 0013 8000` and `138-0013-8000` are the
same mobile. A number of the home region is kept as its national significant number
(`13800138000`, the form notify's SMS channel and every stored number already use); a
number of another country in E.164 (`+85291234567`). Parsing and validity come from
`phonenumbers`, the port of Google's libphonenumber, so the numbering plans stay current.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

DEFAULT_REGION = "CN"
"""The region a number without a country code belongs to (every site is in mainland China
today; a site's own country is not yet a setting)."""

_WHY = {
    ValidationResult.INVALID_COUNTRY_CODE: "its country code is not a known one",
    ValidationResult.TOO_SHORT: "it is too short",
    ValidationResult.INVALID_LENGTH: "it has the wrong number of digits",
    ValidationResult.TOO_LONG: "it is too long",
}
_UNPARSED = {
    NumberParseException.INVALID_COUNTRY_CODE: "its country code is not a known one",
    NumberParseException.TOO_SHORT_AFTER_IDD: "it is too short",
    NumberParseException.TOO_SHORT_NSN: "it is too short",
    NumberParseException.TOO_LONG: "it is too long",
}


class InvalidPhoneError(ValueError):
    """Not a valid phone number; the message says why."""


def normalised(text: str, *, region: str = DEFAULT_REGION) -> str:
    """The stored form of a number: national in `region`, E.164 elsewhere; or refused."""
    number = _parse(text, region)
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        why = _UNPARSED.get(exc.error_type, "it holds no digits to dial")
        raise InvalidPhoneError(f"is not a valid phone number: {why}") from exc
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _WHY:
        raise InvalidPhoneError(f"is not a valid phone number: {_WHY[reason]}")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneError("is not a valid phone number: no numbering plan has it")
    return number
