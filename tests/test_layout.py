"""The package's layout holds: no import cycle (imports inside functions counted),
layers import only downwards, no module over 500 lines, rpy2 in one module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "renette_widgets"
NAME = "renette_widgets"
# Floors from docs/architecture.md: a module may import its own floor and below.
FLOORS = {"errors": 1, "results": 1, "config": 1, "_version": 1, "symmetry": 1, "figures": 1,
          "io": 2, "engine": 2, "jobs": 3, "workflows": 4, "api": 4,
          "cli": 5, "serve": 5, "widgets": 5, "__init__": 6}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Package modules ``name`` imports, at module level or inside functions."""
    is_pkg = path.name == "__init__.py"
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - node.level + 1]
                mod = ".".join(parent + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith(NAME):
                continue
            for alias in node.names:  # `from . import x` imports module x
                sub = f"{mod}.{alias.name}"
                out.add(sub if sub in known else mod)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith(NAME)}
    return {m for m in out if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {n: _imports(n, p, set(mods)) for n, p in mods.items()}


def _floor(module: str) -> int:
    parts = module.split(".")
    return FLOORS[parts[1] if len(parts) > 1 else "__init__"]


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk of ``graph`` meets (as lists of nodes)."""
    state: dict[str, int] = {}
    path: list[str] = []
    cycles = []

    def visit(n):
        state[n] = 1
        path.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                cycles.append(path[path.index(m):] + [m])
            elif m not in state:
                visit(m)
        path.pop()
        state[n] = 2
    for n in sorted(graph):
        if n not in state:
            visit(n)
    return cycles


def test_cycle_finder_sees_function_level_imports(tmp_path):
    # the check itself: a cycle closed by an import inside a function is found
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from renette_widgets import b\n")
    b = tmp_path / "b.py"
    b.write_text("from renette_widgets import a\n")
    known = {"renette_widgets.a", "renette_widgets.b"}
    graph = {"renette_widgets.a": _imports("renette_widgets.a", a, known),
             "renette_widgets.b": _imports("renette_widgets.b", b, known)}
    assert find_cycles(graph)


def test_no_import_cycle():
    cycles = find_cycles(_graph())
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_layers_import_downwards():
    bad = [f"{a} (floor {_floor(a)}) imports {b} (floor {_floor(b)})"
           for a, deps in _graph().items() for b in deps
           if _floor(b) > _floor(a) and b != NAME]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", sorted(_modules()))
def test_module_under_500_lines(module):
    lines = len(_modules()[module].read_text().splitlines())
    assert lines <= 500, f"{module}: {lines} lines"


def test_rpy2_imported_by_one_module():
    users = sorted(n for n, p in _modules().items()
                   if any(isinstance(node, (ast.Import, ast.ImportFrom))
                          and any("rpy2" in (getattr(node, "module", None) or "")
                                  or any(a.name.startswith("rpy2") for a in node.names)
                                  for _ in [0])
                          for node in ast.walk(ast.parse(p.read_text()))))
    assert users == [f"{NAME}.engine.r"]
