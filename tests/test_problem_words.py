"""Every problem a service raises says its detail in Chinese too (`zh=`).

`shared.http.errors` answers a reader who asks for Chinese (`Accept-Language: zh-CN`) with
the error's `zh` detail, and falls back to English when there is none. This test reads the
services' source with `ast` (nothing is imported) and names, file:line, every raise that
would leave a Chinese reader with English:

- a call of `ProblemError`, `ConflictError` or `InvalidFieldError` without a `zh=` keyword
  (`zh=None` counts as none); passing an existing error's words on (`zh=exc.zh`) is fine;
- a call of a refusal class the service defines itself (a name ending in `Refused`,
  `Forbidden`, `IllegalTransition` or `Error`) whose first argument is written text (a
  string or f-string): the words a reader will see, so they need `zh=` as well.

A validator of a request's model says its refusal through `shared.http.invalid.invalid(en,
zh)`, not `ValueError` (English only): `english_only_validators` names, file:line, every
`raise ValueError(` in the services' API models (`schemas.py`) and input types
(`inputs.py`), where the validators are.

A few of a service's own exceptions never reach a reader as they are written (a consumer's
retry, a start-up error on the console, a reason code the page puts in its own words);
`EXEMPT` names them and says why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SHARED_PROBLEMS = frozenset({"ProblemError", "ConflictError", "InvalidFieldError"})
"""`shared`'s problems that carry a detail of the caller's words (NotFoundError has its own)."""
REFUSAL_SUFFIXES = ("Refused", "Forbidden", "IllegalTransition", "Error")

EXEMPT: dict[str, str] = {
    "UnknownComplaintError": "intake's projection: the consumer retries the event, no reader",
    "UnknownCaseError": "routing's callback handler: the consumer retries the event, no reader",
    "CaseNotOpenedYetError": "routing's handler: an event out of order, retried, no reader",
    "LoadError": "routing's organisation loader: a start-up error on the operator's console",
    "LinkRefusedError": "surveys' and notify's links: a reason code (used, expired), said by "
    "the page's words",
    "ContactNotKnownYetError": "notify's projection: a complaint before its contact, retried",
    "ComplaintNotKnownYetError": "notify's projection: a case event before its complaint, retried",
    "UnknownTemplateError": "notify's template loader: the preview route says its own 404 words",
    "WebhookVerificationError": "notify's signing.verify: for a receiver of notify's webhooks; "
    "a reason code, and no notify route answers with it",
}


@dataclass(frozen=True)
class Untranslated:
    """A raise whose detail has no Chinese words."""

    path: str
    lineno: int
    callee: str

    def __str__(self) -> str:
        return f"{self.path}:{self.lineno}: {self.callee}(...) has no zh="


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_text(node: ast.expr) -> bool:
    """True for written words: a string, an f-string, or text joined with `+`."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _has_zh(call: ast.Call, zh_at: int | None = None) -> bool:
    if zh_at is not None and len(call.args) > zh_at:
        return True
    for keyword in call.keywords:
        if keyword.arg == "zh":
            value = keyword.value
            return not (isinstance(value, ast.Constant) and value.value is None)
    return False


def refusal_classes(trees: list[ast.Module]) -> dict[str, int | None]:
    """The exception classes these modules define whose raises carry words for a reader,
    each with the position its `zh` may be passed at (None: by keyword only, or not at all).

    A class that defines no `__init__` takes its parent's; a name several modules define
    has a positional `zh` only when every one of them takes it there.
    """
    defined = [
        node
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name.endswith(REFUSAL_SUFFIXES)
    ]
    own: dict[str, set[int | None]] = {}
    for node in defined:
        own.setdefault(node.name, set()).add(_zh_position(node, defined))
    return {
        name: next(iter(at)) if len(at) == 1 else None
        for name, at in own.items()
        if name not in EXEMPT
    }


def _zh_position(cls: ast.ClassDef, defined: list[ast.ClassDef]) -> int | None:
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            names = [a.arg for a in [*item.args.posonlyargs, *item.args.args][1:]]
            return names.index("zh") if "zh" in names else None
    parents = [_name(base) for base in cls.bases]
    for parent in defined:
        if parent.name in parents and parent is not cls:
            return _zh_position(parent, defined)
    return None


def _needs_zh(call: ast.Call, callee: str, own: dict[str, int | None]) -> bool:
    if callee in SHARED_PROBLEMS:
        return not _has_zh(call)
    if callee in own and call.args and _is_text(call.args[0]):
        return not _has_zh(call, own[callee])
    return False


def untranslated(sources: dict[str, str]) -> list[Untranslated]:
    """Every raise in `sources` (path -> text) that has no Chinese detail."""
    trees = {path: ast.parse(text, filename=path) for path, text in sources.items()}
    own = refusal_classes(list(trees.values()))
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = _name(node.func)
            if callee is not None and _needs_zh(node, callee, own):
                found.append(Untranslated(path, node.lineno, callee))
    return sorted(found, key=lambda u: (u.path, u.lineno))


def service_sources(service: str) -> dict[str, str]:
    """The source of one service, by path relative to the repository."""
    src = ROOT / "services" / service / "src"
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted(src.rglob("*.py"))
    }


@pytest.mark.parametrize("service", ["intake", "routing", "surveys", "notify"])
def test_every_problem_a_service_raises_has_chinese_words(service: str) -> None:
    missing = untranslated(service_sources(service))
    assert not missing, f"{len(missing)} problems without zh=:\n" + "\n".join(map(str, missing))


def test_the_checker_names_every_raise_without_chinese_words() -> None:
    toy = """
class Refused(Exception):
    def __init__(self, detail, zh=None): ...

class PlainError(Exception): ...
class Forbidden(Refused): ...

def decide(exc):
    raise ProblemError(409, "closed")                          # 9: no zh
    raise ProblemError(409, "closed", zh="已关闭")
    raise errors.ConflictError(f"{exc} is taken")              # 11: no zh
    raise ConflictError("taken", zh=None)                      # 12: None is no words
    raise InvalidFieldError("site_id", "is not a site")        # 13: no zh
    raise ProblemError(exc.status, exc.detail, zh=exc.zh)
    raise Refused("A closed case cannot " + "reopen")          # 15: no zh
    raise Refused("closed", zh="已关闭")
    raise Forbidden("Only the holder", "只有当前负责人")
    raise Forbidden(f"Only {exc}")                             # 18: no zh
    raise PlainError(f"{exc} cannot close")                    # 19: no zh
    raise PlainError("closed", "已关闭")                       # 20: takes no zh
    raise PlainError(exc)
    raise NotFoundError("Case", "c-1")
    raise UnknownCaseError("callback names an unknown case")
class UnknownCaseError(LookupError): ...
"""
    found = untranslated({"toy.py": toy})
    assert [(u.lineno, u.callee) for u in found] == [
        (9, "ProblemError"),
        (11, "ConflictError"),
        (12, "ConflictError"),
        (13, "InvalidFieldError"),
        (15, "Refused"),
        (18, "Forbidden"),
        (19, "PlainError"),
        (20, "PlainError"),
    ]
    assert str(found[0]) == "toy.py:9: ProblemError(...) has no zh="


VALIDATOR_FILES = ("schemas.py", "inputs.py")
"""The modules whose validators check a request's body: the API models and input types."""


def english_only_validators(sources: dict[str, str]) -> list[str]:
    """`path:line` of every `raise ValueError(...)` in `sources` (path -> text): a refusal
    a Chinese reader would read in English; `invalid(en, zh)` says it in both."""
    found = []
    for path, text in sources.items():
        for node in ast.walk(ast.parse(text, filename=path)):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _name(exc) == "ValueError":
                found.append((path, node.lineno))
    return [
        f"{path}:{line}: raise ValueError(...); raise invalid(en, zh)"
        for path, line in sorted(found)
    ]


def validator_sources(service: str) -> dict[str, str]:
    """The service's API models and input types, by path relative to the repository."""
    return {
        path: text
        for path, text in service_sources(service).items()
        if Path(path).name in VALIDATOR_FILES
    }


@pytest.mark.parametrize("service", ["intake", "routing", "surveys", "notify"])
def test_every_validator_of_a_request_refuses_in_chinese_too(service: str) -> None:
    sources = validator_sources(service)
    assert sources, f"{service} has no schemas.py or inputs.py"
    found = english_only_validators(sources)
    assert not found, f"{len(found)} validators in English only:\n" + "\n".join(found)


def test_the_checker_names_every_validator_that_refuses_in_english_only() -> None:
    toy = """
class Window(BaseModel):
    @model_validator(mode="after")
    def _order(self):
        if self.closes <= self.opens:
            raise ValueError("closes_at must be after opens_at")      # 6
        if self.kind is None:
            raise invalid("a kind, please", "请填写类型")
        return self

def known_zone(value):
    try:
        ZoneInfo(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a time zone") from exc   # 15
    raise builtins.ValueError                                        # 16
    raise KeyError(value)
"""
    assert english_only_validators({"toy/schemas.py": toy}) == [
        "toy/schemas.py:6: raise ValueError(...); raise invalid(en, zh)",
        "toy/schemas.py:15: raise ValueError(...); raise invalid(en, zh)",
        "toy/schemas.py:16: raise ValueError(...); raise invalid(en, zh)",
    ]
