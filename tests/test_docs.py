"""The documentation in docs/ stays true to the code: it is linked from the README, and it
names every event type (with its producer and the services bound to it), every Prometheus
alert and every metric that exists.

Adding an event contract, an alert rule or a metric without documenting it fails here, and
so does documenting an event that no contract defines any more. Nothing here needs a
database or a broker.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml
from prometheus_client import REGISTRY, Counter
from prometheus_client.metrics import MetricWrapperBase

import shared.contracts
from shared.contracts.base import Event, registry

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
DOC_FILES = ("architecture.md", "events.md", "operations.md")
SERVICES = ("intake", "routing", "surveys", "notify", "console")
SOURCE_ROOTS = (
    ROOT / "shared" / "src" / "shared",
    *(ROOT / "services" / s / "src" for s in SERVICES),
)
METRIC_CLASSES = frozenset({"Counter", "Gauge", "Histogram", "Summary", "Info", "Enum"})
EVENT_HEADING = re.compile(r"^#+\s+`([a-z_]+\.[a-z_]+)`", re.MULTILINE)


@cache
def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def backticked(text: str) -> set[str]:
    """Every `code span` of a Markdown text."""
    return set(re.findall(r"`([^`\n]+)`", text))


# --- the README points at the docs ---------------------------------------------------------


@pytest.mark.parametrize("name", DOC_FILES)
def test_readme_links_to_each_doc_and_it_exists(name: str) -> None:
    readme = README.read_text(encoding="utf-8")
    assert f"](docs/{name})" in readme, f"README.md has no link to docs/{name}"
    assert (DOCS / name).is_file(), f"docs/{name} is linked but missing"
    assert doc(name).strip(), f"docs/{name} is empty"


def test_readme_points_at_no_design_file_outside_the_repository() -> None:
    assert "../shared/DESIGN.md" not in README.read_text(encoding="utf-8")


def test_relative_links_between_docs_resolve() -> None:
    for name in DOC_FILES:
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", doc(name)):
            assert (DOCS / target).is_file(), f"docs/{name} links to missing {target}"


# --- events ----------------------------------------------------------------------------------


def contract_modules() -> Iterator[str]:
    """Every module of shared.contracts, so a module the package forgets to import counts."""
    for module in pkgutil.iter_modules(shared.contracts.__path__):
        if not module.name.startswith("_") and module.name != "generate":
            yield f"shared.contracts.{module.name}"


def all_subclasses(cls: type[Event]) -> Iterator[type[Event]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


@cache
def event_types() -> frozenset[str]:
    """The `type` of every Event subclass defined in shared/src/shared/contracts."""
    for name in contract_modules():
        importlib.import_module(name)
    types = {c.type for c in all_subclasses(Event) if "type" in c.__dict__}
    types |= {c.type for c in registry.all()}
    return frozenset(types)


def test_events_are_found() -> None:
    assert {"complaint.received", "case.assigned", "callback.completed"} <= event_types()


def test_every_event_type_has_its_section_in_events_md() -> None:
    documented = set(EVENT_HEADING.findall(doc("events.md")))
    missing = sorted(event_types() - documented)
    assert not missing, f"docs/events.md has no section for {missing}"


def test_events_md_documents_no_event_that_does_not_exist() -> None:
    stale = sorted(set(EVENT_HEADING.findall(doc("events.md"))) - event_types())
    assert not stale, f"docs/events.md documents events no contract defines: {stale}"


# --- alerts ----------------------------------------------------------------------------------


def rule_groups(document: object) -> Iterator[dict[str, object]]:
    """Prometheus rule groups: a rules file's `groups`, or a PrometheusRule's `spec.groups`."""
    if not isinstance(document, dict):
        return
    groups = document.get("groups")
    spec = document.get("spec")
    if groups is None and isinstance(spec, dict):
        groups = spec.get("groups")
    for group in groups or []:
        if isinstance(group, dict):
            yield group


@cache
def alert_names() -> frozenset[str]:
    """Every `alert:` of every Prometheus rule file under deploy/."""
    names: set[str] = set()
    for path in sorted((ROOT / "deploy").rglob("*")):
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for group in rule_groups(document):
                for rule in group.get("rules") or []:  # type: ignore[attr-defined]
                    if isinstance(rule, dict) and "alert" in rule:
                        names.add(str(rule["alert"]))
    return frozenset(names)


def test_alerts_are_found() -> None:
    assert {"CareloopServiceDown", "CareloopMessagesParked"} <= alert_names()


def test_every_alert_is_in_operations_md() -> None:
    missing = sorted(alert_names() - backticked(doc("operations.md")))
    assert not missing, f"docs/operations.md does not say what to do for {missing}"


# --- metrics ---------------------------------------------------------------------------------


def exposed_name(kind: str, name: str) -> str:
    """The name Prometheus shows: a counter gets `_total` when it was defined without it."""
    return f"{name}_total" if kind == "Counter" and not name.endswith("_total") else name


@cache
def metrics_in_sources() -> frozenset[str]:
    """Metric names given literally to a prometheus_client constructor in the sources."""
    names: set[str] = set()
    for root in SOURCE_ROOTS:
        for path in root.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                kind = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                name_arg = node.args[0] if node.args else None
                for keyword in node.keywords:
                    if keyword.arg == "name":
                        name_arg = keyword.value
                if (
                    kind in METRIC_CLASSES
                    and isinstance(name_arg, ast.Constant)
                    and isinstance(name_arg.value, str)
                    and name_arg.value.startswith("careloop_")
                ):
                    names.add(exposed_name(kind, name_arg.value))
    return frozenset(names)


@cache
def metrics_registered() -> frozenset[str]:
    """Metric names in prometheus_client's registry once every service's app is imported."""
    for service in SERVICES:
        importlib.import_module(f"{service}.main")
        importlib.import_module(f"{service}.metrics")
    names: set[str] = set()
    for collector in list(REGISTRY._collector_to_names):
        if isinstance(collector, MetricWrapperBase) and collector._name.startswith("careloop_"):
            kind = "Counter" if isinstance(collector, Counter) else type(collector).__name__
            names.add(exposed_name(kind, collector._name))
    return frozenset(names)


def test_metrics_are_found() -> None:
    both = metrics_in_sources() & metrics_registered()
    assert {"careloop_bus_parked_total", "careloop_outbox_backlog"} <= both


def test_every_metric_in_the_sources_is_in_operations_md() -> None:
    missing = sorted(metrics_in_sources() - backticked(doc("operations.md")))
    assert not missing, f"docs/operations.md does not describe {missing}"


def test_every_registered_metric_is_in_operations_md() -> None:
    missing = sorted(metrics_registered() - backticked(doc("operations.md")))
    assert not missing, f"docs/operations.md does not describe {missing}"


# --- who publishes and who consumes ----------------------------------------------------------

GLANCE_ROW = re.compile(r"^\| `([a-z_]+\.[a-z_]+)` \| (\d+) \| (\w+) \| ([^|]*) \|$", re.MULTILINE)
DOMAIN_SERVICES = ("intake", "routing", "surveys", "notify")


@cache
def consumers_in_code() -> dict[str, frozenset[str]]:
    """Event type -> the services whose queues are bound to it (their handler maps)."""
    bound: dict[str, set[str]] = {}
    for service in DOMAIN_SERVICES:
        app = importlib.import_module(f"{service}.main").create_app()
        for event_type in app.state.runtime.spec.handlers:
            bound.setdefault(event_type, set()).add(service)
    return {t: frozenset(s) for t, s in bound.items()}


def test_the_at_a_glance_table_names_each_events_producer_and_consumers() -> None:
    rows = {m[0]: m for m in GLANCE_ROW.findall(doc("events.md"))}
    assert set(rows) == set(event_types()), "the table in docs/events.md lists other events"
    sources = {(c.type, c.version): c.source for c in registry.all()}
    consumers = consumers_in_code()
    for event_type, version, producer, listed in rows.values():
        assert sources.get((event_type, int(version))) == producer, f"{event_type}'s producer"
        named = {n.strip() for n in listed.split(",")} - {"—", "", "console (live)"}
        assert named == set(consumers.get(event_type, ())), (
            f"docs/events.md says {event_type} is consumed by {sorted(named)}, "
            f"the code binds it in {sorted(consumers.get(event_type, ()))}"
        )
