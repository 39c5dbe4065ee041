"""Each service's packages import in one direction (CONTRIBUTING.md, "Where code goes").

A service's top-level packages and modules (`surveys/campaigns/`, `surveys/db.py`) are the
nodes; every `import` of one from another — at module level, inside a function or under
`TYPE_CHECKING` alike — is an edge. The graph must have no cycle: a package never imports
one that imports it back, however long the way round. For `shared/` the nodes are its
subpackages and modules (`shared.bus`, `shared.http`, `shared.db`, `shared.settings`, …).

The graph is read from the source with `ast`; nothing is imported, so the test is fast.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Line:
    """One import statement that makes an edge: where it is and what it says."""

    path: Path
    lineno: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.lineno}: {self.text}"


Graph = dict[str, dict[str, list[Line]]]
"""node -> node it imports -> the import lines that do so."""


def _imported(
    node: ast.Import | ast.ImportFrom, module: list[str], is_package: bool
) -> Iterator[str]:
    """The dotted names `node` imports, relative imports resolved against `module`."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module if is_package else module[:-1]
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        stem = ".".join([*base, *([node.module] if node.module else [])])
    else:
        stem = node.module or ""
    yield stem
    # `from surveys import campaigns` imports the package `surveys.campaigns`.
    yield from (f"{stem}.{alias.name}" for alias in node.names if alias.name != "*")


def package_graph(src: Path) -> Graph:
    """The import graph between the top-level packages and modules of the package `src`."""
    top = src.name
    graph: Graph = {}
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if rel == Path("__init__.py"):
            continue
        here = rel.with_suffix("").parts
        me = here[0]
        graph.setdefault(me, {})
        is_package = path.name == "__init__.py"
        module = [top, *(here[:-1] if is_package else here)]
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets = set()
            for name in _imported(node, module, is_package):
                parts = name.split(".")
                if parts[0] == top and len(parts) > 1 and parts[1] != me:
                    targets.add(parts[1])
            for target in sorted(targets):
                text = lines[node.lineno - 1].strip()
                where = Line(path.relative_to(src.parent), node.lineno, text)
                graph[me].setdefault(target, []).append(where)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def describe(graph: Graph, component: list[str]) -> str:
    """A cycle as a reader can fix it: each edge inside it with the lines that make it."""
    members = set(component)
    out = [f"cycle between {', '.join(component)}:"]
    for a in component:
        for b in sorted(set(graph.get(a, {})) & members):
            mutual = " (and back)" if a in graph.get(b, {}) else ""
            out.append(f"  {a} -> {b}{mutual}")
            out.extend(f"      {line}" for line in graph[a][b])
    return "\n".join(out)


def check(src: Path) -> list[str]:
    """Every cycle of the package `src`, described; empty when its imports go one way."""
    graph = package_graph(src)
    return [describe(graph, component) for component in cycles(graph)]


SERVICES = ("intake", "routing", "surveys", "notify", "console")
SOURCES = {
    "shared": ROOT / "shared/src/shared",
    **{name: ROOT / f"services/{name}/src/{name}" for name in SERVICES},
}


@pytest.mark.parametrize("name", list(SOURCES))
def test_packages_import_in_one_direction(name: str) -> None:
    found = check(SOURCES[name])
    assert not found, "\n\n".join(found)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "toy"


TOY = {
    "toy/__init__.py": "",
    "toy/db.py": "import sqlalchemy\n",
    "toy/models.py": "from toy.db import metadata\nfrom toy.shop import models\n",
    "toy/shop/__init__.py": "",
    "toy/shop/models.py": "from toy.db import metadata\n",
    "toy/shop/service.py": "from toy import db\nfrom .models import Item\n",
    "toy/orders/__init__.py": "",
    "toy/orders/service.py": "from toy.shop.service import price\n",
}


def test_the_checker_passes_imports_that_go_one_way(tmp_path: Path) -> None:
    src = _write(tmp_path, TOY)
    graph = package_graph(src)
    assert {a: sorted(b) for a, b in graph.items()} == {
        "db": [],
        "models": ["db", "shop"],
        "orders": ["shop"],
        "shop": ["db"],
    }
    assert check(src) == []


def test_the_checker_fails_on_a_cycle_added_on_purpose(tmp_path: Path) -> None:
    # shop imports orders back, inside a function and relatively: a cycle, named with the
    # lines that make it.
    src = _write(
        tmp_path, {**TOY, "toy/shop/rules.py": "def f():\n    from ..orders import service\n"}
    )
    found = check(src)
    assert len(found) == 1, found
    assert found[0].startswith("cycle between orders, shop:\n")
    assert "  shop -> orders (and back)" in found[0]
    assert "toy/shop/rules.py:2: from ..orders import service" in found[0]
    assert "toy/orders/service.py:1: from toy.shop.service import price" in found[0]


def test_db_importing_every_model_is_a_cycle(tmp_path: Path) -> None:
    src = _write(tmp_path, {**TOY, "toy/db.py": "import toy.models  # noqa: F401\n"})
    found = check(src)
    assert len(found) == 1, found
    assert found[0].startswith("cycle between db, models, shop:\n")
    assert "toy/db.py:1: import toy.models  # noqa: F401" in found[0]


def test_a_longer_way_round_is_a_cycle_too(tmp_path: Path) -> None:
    src = _write(
        tmp_path,
        {
            "toy/a.py": "from toy import b\n",
            "toy/b.py": "from toy.c import x\n",
            "toy/c/__init__.py": "from . import y\n",
            "toy/c/y.py": "import toy.a\n",
        },
    )
    assert cycles(package_graph(src)) == [["a", "b", "c"]]
