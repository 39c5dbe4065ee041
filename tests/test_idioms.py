"""One idiom per job, across the four services (CONTRIBUTING.md, "One way to do a job").

Each rule is read from what the services expose (their OpenAPI documents) or from their
source, and each has a toy case that shows it can fail.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_SERVICES = ("intake", "routing", "surveys", "notify")
SERVICES = (*DOMAIN_SERVICES, "console")

# Bodies that are not ours to name: the SMS gateway's receipt is the gateway's format.
FOREIGN_BODIES = frozenset({"SmsReceipt"})


def openapi(name: str) -> dict[str, Any]:
    settings = importlib.import_module(f"{name}.settings")
    cls = getattr(settings, f"{name.capitalize()}Settings")
    document: dict[str, Any] = importlib.import_module(f"{name}.main").create_app(cls()).openapi()
    return document


def bodies(document: dict[str, Any]) -> Iterator[tuple[str, str, str, set[str]]]:
    """(method, path, body model, answer codes) of every operation that takes a JSON body."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref:
                codes = set(operation.get("responses", {}))
                yield method.upper(), path, ref.rsplit("/", 1)[-1], codes


def answered(document: dict[str, Any]) -> set[str]:
    """The models some operation answers with."""
    found: set[str] = set()
    for operations in document["paths"].values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                if code.startswith("2"):
                    for content in response.get("content", {}).values():
                        ref = content.get("schema", {}).get("$ref")
                        if ref:
                            found.add(ref.rsplit("/", 1)[-1])
    return found


def misnamed(document: dict[str, Any]) -> list[str]:
    """Request bodies not named by the rule: what creates is `*Create`, a PATCH `*Update`,
    any other body (an action on a resource, a whole settings document put) `*In`. A model
    that is taken and answered alike keeps its plain noun."""
    both = answered(document)
    wrong = []
    for method, path, model, codes in bodies(document):
        if model in FOREIGN_BODIES or model in both:
            continue
        if method == "PATCH":
            suffix = "Update"
        elif "201" in codes:
            suffix = "Create"
        else:
            suffix = "In"
        if not model.endswith(suffix):
            wrong.append(f"{method} {path}: {model} should end in {suffix}")
    return wrong


@pytest.mark.parametrize("name", DOMAIN_SERVICES)
def test_request_bodies_are_named_by_what_the_operation_does(name: str) -> None:
    assert misnamed(openapi(name)) == []


def test_the_naming_rule_can_fail() -> None:
    def operation(code: str, body: str) -> dict[str, Any]:
        schema = {"$ref": f"#/components/schemas/{body}"}
        return {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {code: {}},
        }

    document = {
        "paths": {
            "/v1/things": {"post": operation("201", "ThingIn")},
            "/v1/things/{id}": {"patch": operation("200", "ThingCreate")},
            "/v1/things/{id}/close": {"post": operation("200", "CloseIn")},
        }
    }
    assert misnamed(document) == [
        "POST /v1/things: ThingIn should end in Create",
        "PATCH /v1/things/{id}: ThingCreate should end in Update",
    ]


def calls_in_route_modules(source: str, callee: str) -> list[int]:
    """Lines of a module that defines routes (`APIRouter`) where `callee(...)` is called."""
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    if "APIRouter" not in names:
        return []
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == callee
    ]


def route_modules(name: str) -> Iterator[Path]:
    yield from sorted((ROOT / "services" / name / "src" / name).rglob("*.py"))


@pytest.mark.parametrize("name", SERVICES)
def test_routes_write_through_writing_not_a_bare_transaction(name: str) -> None:
    # `writing(db)` is `transaction(db)` with a unique-key race answered as 409, not 500;
    # handlers and timers get their transaction from the consumer and the scheduler.
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in route_modules(name)
        for line in calls_in_route_modules(path.read_text(), "transaction")
    ]
    assert found == []


def test_the_writing_rule_can_fail() -> None:
    source = (
        "router = APIRouter()\n"
        "async def post(db):\n"
        "    async with transaction(db) as session:\n"
        "        pass\n"
    )
    assert calls_in_route_modules(source, "transaction") == [3]
    handler = "async def handle(db):\n    transaction(db)\n"
    assert calls_in_route_modules(handler, "transaction") == []


STATEMENTS = frozenset({"select", "insert", "update", "delete"})
SESSION_CALLS = frozenset({"execute", "scalars", "scalar", "get", "add", "delete"})


def sql_in_route_module(source: str) -> list[int]:
    """Lines of a module that defines routes where it builds or runs SQL itself."""
    tree = ast.parse(source)
    if "APIRouter" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}:
        return []
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            if STATEMENTS & {alias.name for alias in node.names}:
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "session"
            and node.func.attr in SESSION_CALLS
        ):
            lines.append(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize("name", SERVICES)
def test_routes_leave_reads_and_writes_to_the_modules_below(name: str) -> None:
    # A route checks who may, opens the unit of work and calls one use case (queries.py
    # reads, service.py and the named steps write); the SQL is there, never in router.py.
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in route_modules(name)
        for line in sql_in_route_module(path.read_text())
    ]
    assert found == []


def test_the_sql_rule_can_fail() -> None:
    source = (
        "from sqlalchemy import select\n"
        "router = APIRouter()\n"
        "async def get(session):\n"
        "    return await session.scalars(select(t))\n"
    )
    assert sql_in_route_module(source) == [1, 4]
    assert sql_in_route_module("from sqlalchemy import select\nselect(t)\n") == []


def routes_outside_router_modules(path: Path, source: str) -> bool:
    """Whether a module that is not `router.py` or `<part>_router.py` defines routes."""
    if path.name == "router.py" or path.name.endswith("_router.py"):
        return False
    tree = ast.parse(source)
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "APIRouter"
        for node in ast.walk(tree)
    )


@pytest.mark.parametrize("name", DOMAIN_SERVICES)
def test_a_domain_service_keeps_its_routes_in_router_modules(name: str) -> None:
    # The console's page packages are named by their pages (CONTRIBUTING.md, console).
    found = [
        str(path.relative_to(ROOT))
        for path in route_modules(name)
        if routes_outside_router_modules(path, path.read_text())
    ]
    assert found == []


PAGE_MAY_NOT_IMPORT = ("sqlalchemy", "fastapi", "starlette", "shared.db", "shared.http")
# Pure: the language tag, and the resident link pages' own HTML pieces.
PAGE_MAY_IMPORT = ("shared.http.language", "shared.http.links")


def impure_page_imports(source: str) -> list[str]:
    """What a page's HTML module imports that reads a database or knows HTTP."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        found += [
            m
            for m in modules
            if m.startswith(PAGE_MAY_NOT_IMPORT) and not m.startswith(PAGE_MAY_IMPORT)
        ]
    return found


def page_modules(name: str) -> Iterator[Path]:
    for path in route_modules(name):
        if path.name == "html.py" or path.name.endswith("_html.py"):
            yield path


@pytest.mark.parametrize("name", DOMAIN_SERVICES)
def test_pages_are_drawn_by_pure_html_modules(name: str) -> None:
    found = {
        str(path.relative_to(ROOT)): impure_page_imports(path.read_text())
        for path in page_modules(name)
    }
    assert {path: imports for path, imports in found.items() if imports} == {}


def test_the_page_rules_can_fail() -> None:
    assert routes_outside_router_modules(Path("page.py"), "router = APIRouter()\n")
    assert not routes_outside_router_modules(Path("page_router.py"), "router = APIRouter()\n")
    assert impure_page_imports("from sqlalchemy import select\nimport html\n") == ["sqlalchemy"]
    assert [p.name for p in page_modules("notify")] == ["callback_html.py", "notice_html.py"]
