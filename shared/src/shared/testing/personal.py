"""Personal data in the services' log output: what a test run must never find there.

The logging processor masks names, phones and e-mail addresses by field and by pattern
(`shared.logging`); this is the check from the other side. It looks in what the services
wrote for every mobile number and e-mail address left whole, and for every name, phone
and e-mail address the tests' own sources give the services (any string literal under a
personal-data key: `"name": "张三"`, `reporter_phone="13800138000"`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

from shared.logging import EMAIL_KEYS, NAME_KEYS, PHONE_KEYS

PERSONAL_KEYS = NAME_KEYS | PHONE_KEYS | EMAIL_KEYS | {"reporter", "resident", "contact"}

# A mainland mobile number as people write it (`13800138000`, `+86 138 0013 8000`); a
# masked one (`138******00`) has stars where its digits were.
_MOBILE = re.compile(r"(?<![\d*])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?![\d*])")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-]+)@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Ids (UUIDs) hold digit runs shaped like numbers; they are set aside before looking.
_UUID = re.compile(r"\b[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\b")
_MASKED_LOCAL = re.compile(r"^[^*]\*{3}$")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff·]{2,8}")
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+")


def given_in(paths: Iterable[Path]) -> frozenset[str]:
    """The personal data the test sources give: string literals under a personal key, as
    a dict's key or a call's keyword."""
    given: set[str] = set()
    for path in paths:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            given.update(value.strip() for key, value in _pairs(node) if _personal(key, value))
    return frozenset(given)


def _pairs(node: ast.AST) -> Iterable[tuple[str, str]]:
    """Each (key, text) a dict literal or a call's keywords give."""
    if isinstance(node, ast.Dict):
        pairs = [
            (k.value, v)
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant)
        ]
    elif isinstance(node, ast.Call):
        pairs = [(k.arg, k.value) for k in node.keywords if k.arg]
    else:
        return
    for key, value in pairs:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            yield str(key), value.value


def _personal(key: str, value: str) -> bool:
    """A value that means someone: a phone with its digits, an address, a person's name
    (in Chinese characters, or `Given Family`); not already masked. Other things called
    `name` (a consumer, a campaign in English) are not looked for."""
    if key not in PERSONAL_KEYS or "*" in value:
        return False
    if key in PHONE_KEYS:
        return len(re.sub(r"\D", "", value)) >= 7
    if key in EMAIL_KEYS:
        return "@" in value
    return bool(_CJK_NAME.fullmatch(value.strip()) or _LATIN_NAME.fullmatch(value.strip()))


def found_in(text: str, given: frozenset[str] = frozenset()) -> list[str]:
    """Each piece of personal data left whole in `text`, once, in order of first sight."""
    text = _UUID.sub("<id>", text)
    found = [m.group(0) for m in _MOBILE.finditer(text)]
    found += [m.group(0) for m in _EMAIL.finditer(text) if not _MASKED_LOCAL.match(m.group(1))]
    found += sorted(value for value in given if value in text)
    return list(dict.fromkeys(found))


def lines_holding(text: str, found: list[str], *, limit: int = 5) -> list[str]:
    """The first few lines of `text` that hold any of `found`, for the failure's report."""
    return [line for line in text.splitlines() if any(f in line for f in found)][:limit]
