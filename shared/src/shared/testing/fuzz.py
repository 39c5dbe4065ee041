"""An outside fuzzer's look at a service: schemathesis cases for every operation of its
OpenAPI document, sent to the app in the test's own event loop, each answer checked.

Checked for every answer: no 5xx, the status is one the document lists for the operation,
the media type and the body are the documented ones, and every error is problem+json.
Cases come in both of schemathesis's modes (valid by the document, and made invalid on
purpose), a bounded number per operation so that the run fits CI; generation is
derandomized, so a finding shows up again on the next run.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shared.http.errors import PROBLEM_JSON

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
READINESS = "/readyz"
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass(frozen=True)
class Finding:
    """One answer that broke a check, with what reproduces it."""

    operation: str
    mode: str
    status: int
    problem: str
    request: str

    def __str__(self) -> str:
        return f"{self.operation} [{self.mode}] → {self.status}: {self.problem}\n    {self.request}"


@dataclass
class FuzzReport:
    """What the fuzzer sent to one service and what it found."""

    operations: int = 0
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    def summary(self) -> str:
        spread = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        found = len(self.findings)
        return f"{self.operations} operations, {self.cases} cases ({spread}), {found} findings"


def operations(document: dict[str, Any]) -> int:
    """How many operations `document` has."""
    return sum(len(methods) for methods in document.get("paths", {}).values())


def cases_of(operation: Any, mode: GenerationMode, examples: int) -> list[Case[Any]]:
    """Up to `examples` distinct cases of `operation` in `mode`, the same on every run."""
    drawn: list[Case[Any]] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def draw(case: Case[Any]) -> None:
        drawn.append(case)

    with contextlib.suppress(Exception):
        # An operation with nothing to make invalid has no negative cases.
        draw()
    return drawn


async def fuzz(
    client: httpx.AsyncClient,
    document: dict[str, Any],
    *,
    headers: dict[str, str],
    examples: int = 10,
    include: Callable[[str, str], bool] = lambda _method, _path: True,
) -> FuzzReport:
    """Send every operation of `document` its cases through `client`; report what broke."""
    schema = schemathesis.openapi.from_dict(document)
    report = FuzzReport()
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            raise AssertionError(f"schemathesis cannot read the document: {result.err()}")
        operation = result.ok()
        if not include(operation.method.upper(), operation.path):
            continue
        report.operations += 1
        for mode in MODES:
            for case in cases_of(operation, mode, examples):
                await _try(client, case, mode, headers, report)
    return report


async def _try(
    client: httpx.AsyncClient,
    case: Case[Any],
    mode: GenerationMode,
    headers: dict[str, str],
    report: FuzzReport,
) -> None:
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
    response = await client.request(**_httpx_kwargs(kwargs))
    report.cases += 1
    report.statuses[response.status_code] += 1
    label = f"{case.method.upper()} {case.operation.path}"
    problems = _broken_checks(case, response)
    if case.operation.path == READINESS and response.status_code == 503:
        # "Not ready" is the readiness probe's documented answer, not a server error.
        problems = [p for p in problems if not p.startswith("Server error")]
    if response.status_code >= 400 and not _is_problem(response):
        problems.append("an error that is not application/problem+json with a detail")
    for problem in problems:
        report.findings.append(
            Finding(label, mode.value, response.status_code, problem, _reproduce(kwargs))
        )


def _broken_checks(case: Case[Any], response: httpx.Response) -> list[str]:
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        return [_said(failure) for failure in group.exceptions]
    except Failure as failure:
        return [_said(failure)]
    return []


def _said(failure: Failure) -> str:
    message = " ".join(failure.message.split())[:400]
    return f"{failure.title}: {message}"


def _is_problem(response: httpx.Response) -> bool:
    if not response.headers.get("content-type", "").startswith(PROBLEM_JSON):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return (
        isinstance(body, dict)
        and bool(body.get("detail"))
        and body.get("status") == response.status_code
    )


def _httpx_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """requests-style keyword arguments (what schemathesis serializes) in httpx's terms."""
    sent = {
        k: kwargs[k] for k in ("method", "url", "headers", "params", "cookies") if kwargs.get(k)
    }
    if "json" in kwargs:
        sent["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        sent["content"] = data
    elif data is not None:
        sent["data"] = data
    if kwargs.get("files"):
        sent["files"] = kwargs["files"]
    return sent


def _reproduce(kwargs: dict[str, Any]) -> str:
    body = kwargs.get("json", kwargs.get("data"))
    shown = repr(body)[:300] if body is not None else ""
    query = f" ?{kwargs['params']}" if kwargs.get("params") else ""
    return f"{kwargs['method']} {kwargs['url']}{query} {shown}".strip()


async def fuzz_service(
    name: str, client: httpx.AsyncClient, app: Any, *, headers: dict[str, str], examples: int = 10
) -> FuzzReport:
    """Fuzz every operation of a service's app; fail naming each finding. The counts are
    printed (`pytest -s`, and in the report of a failing run)."""
    document = app.openapi()
    report = await fuzz(client, document, headers=headers, examples=examples)
    print(f"fuzzed {name}: {report.summary()}")
    assert report.operations == operations(document)
    assert report.cases >= report.operations
    assert not report.findings, "\n".join(map(str, report.findings))
    return report
