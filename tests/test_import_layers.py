"""The stages import one way: text → nets → problems → bank → verify → render → commands.

Every module's imports are read from its source (imports inside functions too, which a lazy import would hide
from a run): a module may import its own stage and the stages before it, ``quizgen.errors`` and ``quizgen`` itself (the
shared leaves: errors, the version);
no group of modules may import each other in a cycle. ``quizgen/__init__`` and ``__main__`` may import commands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ("text", "nets", "problems", "bank", "verify", "render", "commands")
CHECKED = ORDER
LEAVES = ("quizgen.errors", "quizgen")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "quizgen").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str:
    """The module an imported name belongs to (``quizgen.problems.model.Part`` → ``quizgen.problems.model``)."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports(module: str) -> set[str]:
    """The quizgen modules a module imports anywhere in its source (at the top or inside functions)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_owner(a.name) for a in node.names if a.name.startswith("quizgen")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            if base.startswith("quizgen"):
                found |= {_owner(f"{base}.{a.name}") if f"{base}.{a.name}" in MODULES else _owner(base)
                          for a in node.names}
    found.discard(module)
    return found


GRAPH = {module: imports(module) for module in MODULES}


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[1] in ORDER else None


def _checked(module: str) -> bool:
    return stage(module) in CHECKED


def test_the_graph_is_read() -> None:
    assert "quizgen.problems.model" in GRAPH["quizgen.problems.check"]
    assert "quizgen.bank.load" in GRAPH["quizgen.bank.draw"]
    assert "quizgen.problems.check" in GRAPH["quizgen.problems"]  # imported inside generate()


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if _checked(m)))
def test_no_import_goes_up(module: str) -> None:
    here = ORDER.index(stage(module))  # type: ignore[arg-type]
    up = sorted(m for m in GRAPH[module]
                if m not in LEAVES and (stage(m) is None or ORDER.index(stage(m)) > here))
    assert not up, f"{module} imports {', '.join(up)}, above its stage ({' → '.join(ORDER)})"


def test_no_cycles() -> None:
    """No module of the checked stages is on a cycle of imports (strongly connected components of the graph)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 and any(_checked(m) for m in component):
                cycles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_the_shared_leaves_import_no_stage() -> None:
    assert GRAPH["quizgen.errors"] == set()
    assert all(stage(m) is None for m in GRAPH["quizgen"])
