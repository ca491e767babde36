"""The analyzers package's shape: modules use each other's public names only."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("analyzers", "indexer", "portal", "bench")


def _product_files() -> list[Path]:
    return sorted(p for folder in PRODUCT for p in (ROOT / folder).rglob("*.py"))


def _module_name(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")


def _private_uses(source: str, own: str) -> list[str]:
    """``from analyzers.x import _name`` and ``x._name`` where ``x`` is an imported analyzers module
    (``own``, the module's dotted name, may import its own private names)."""
    tree = ast.parse(source)
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analyzers"):
            for alias in node.names:
                if node.module == "analyzers":
                    modules.add(alias.asname or alias.name)
                elif alias.name.startswith("_") and node.module != own:
                    found.append(f"{own}:{node.lineno} imports {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name.startswith("analyzers."))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{own}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_product_code_uses_only_public_analyzers_names():
    found = [use for path in _product_files()
             for use in _private_uses(path.read_text(encoding="utf-8"), _module_name(path))]
    assert found == []


def test_the_private_name_check_sees_a_private_use():
    source = "from analyzers import thai\nfrom analyzers.query import _x\nthai._stem('a')\n"
    assert _private_uses(source, "portal.x") == ["portal.x:2 imports analyzers.query._x",
                                                 "portal.x:3 uses thai._stem"]
    assert _private_uses("from analyzers.query import _x\n", "analyzers.query") == []
