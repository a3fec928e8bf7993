"""The package's imports, read with `ast`: no cycles, and layers that point one way.

    domains ← tools ← core (mathteam: project, memory, domain, ...) ← graph ← agents
            ← runner and commands (mathteam: runner, commands, ...), tui beside them ← cli

`mathteam.errors` (the exception hierarchy, which imports nothing) is below them all: any layer
may raise its errors.

Imports under `if TYPE_CHECKING:` are left out (they never run). Imports inside functions count:
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = {"mathteam": "mathteam", "agents": "mathteam.agents", "graph": "mathteam.graph",
           "tools": "mathteam.tools", "domains": "mathteam.domains", "tui": "mathteam.tui"}
# mathteam/ modules above the agents: they run the team or face the person.
TOP = {"mathteam.runner", "mathteam.commands", "mathteam.doctor", "mathteam.compute_command", "mathteam.progress"}
CLI = {"mathteam.cli", "mathteam.__main__"}
BASE = {"mathteam.errors"}
LAYERS = {"base": -1, "domains": 0, "tools": 1, "core": 2, "graph": 3, "agents": 4, "top": 5, "tui": 5, "cli": 6}


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (REPO / folder).rglob("*.py"):
            parts = list(path.relative_to(REPO / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The package modules `name` imports (outside TYPE_CHECKING blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            skipped |= {id(inner) for child in node.body for inner in ast.walk(child)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, name, known) for name, path in known.items()}


def layer(name: str) -> str:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] in ("domains", "tools", "graph", "agents", "tui"):
        return parts[1]
    if name in BASE:
        return "base"
    return "top" if name in TOP else "cli" if name in CLI else "core"


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_reader_sees_imports_of_every_kind():
    known = modules()
    assert "mathteam.agents.magma" in known and "mathteam.domains.magma.laws" in known
    edges = imports(known["mathteam.graph.context"], "mathteam.graph.context", known)
    assert "mathteam.memory" in edges and "mathteam.domain" in edges


def test_the_package_has_no_import_cycles():
    # A package and the modules its __init__ imports are one unit (an __init__ that assembles a
    # domain from its own modules is not a cycle between folders); parents are ignored here.
    edges = {name: {target for target in targets if not name.startswith(target + ".")}
             for name, targets in graph().items()}
    assert cycles(edges) == []


def test_layers_point_one_way():
    upward = sorted(f"{name} ({layer(name)}) imports {target} ({layer(target)})"
                    for name, targets in graph().items() for target in targets
                    if LAYERS[layer(target)] > LAYERS[layer(name)])
    assert upward == []
