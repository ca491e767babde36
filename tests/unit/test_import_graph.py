"""The indexer's, the analyzers' and the portal's modules import one another in one direction only:
no circle, however deep.

Every ``import`` counts, also one inside a function (a deferred import hides a circle from Python,
not from a reader). A package's ``__init__`` is a module of its own; importing ``a.b.c`` is an edge to
``a.b.c`` alone (Python runs ``a.b`` first, but that is the package's own business, not a circle).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from indexer.settings import PROJECT_ROOT


def module_files(package: str) -> dict[str, Path]:
    """``{"indexer.sources.base": Path(...)}`` for every module of ``package`` (``__init__`` too)."""
    found = {}
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ``modules`` that the module ``name`` (at ``path``) imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else base)
    return {t for t in targets if t in modules and t != name}


def import_graph(package: str) -> dict[str, set[str]]:
    modules = module_files(package)
    return {name: imported(name, path, modules) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_deferred_and_relative_imports():
    graph = import_graph("indexer")
    assert "indexer.sources.harvest" in graph["indexer.sources"]  # ``from . import harvest``
    assert "indexer.sources.base" in graph["indexer.sources.harvest"]  # ``from .base import …``
    assert "indexer.schemas.shapes" in graph["indexer.sources.template"]  # inside a function
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_graph_sees_the_portals_deferred_imports():
    graph = import_graph("portal")
    assert "portal.auth.web" in graph["portal"]  # create_app imports its areas inside the function
    assert "portal.auth.admin" in graph["portal.auth.web"]


@pytest.mark.parametrize("package", ["indexer", "analyzers", "portal"])
def test_no_import_circle(package):
    assert circles(import_graph(package)) == []


def test_the_analyzers_import_neither_the_indexer_nor_the_portal():
    above = module_files("indexer") | module_files("portal")
    for name, path in module_files("analyzers").items():
        assert not imported(name, path, above), f"{name} imports the indexer or the portal"


def test_the_indexer_never_imports_the_portal():
    portal = module_files("portal")
    for name, path in module_files("indexer").items():
        assert not imported(name, path, portal), f"{name} imports the portal"
