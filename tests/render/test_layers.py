"""Stage boundaries of the writers: render never imports commands, and no render or commands modules import
each other in a cycle (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "quizgen"


def _imports() -> dict[str, set[str]]:
    """Module -> the quizgen modules it imports anywhere in its source."""
    modules = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("quizgen"):
                found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_render_never_imports_commands() -> None:
    graph = _imports()
    wrong = {m: sorted(t for t in targets if t.startswith("quizgen.commands"))
             for m, targets in graph.items() if m.startswith("quizgen.render")}
    assert {m: t for m, t in wrong.items() if t} == {}


def test_no_cycles_among_render_and_commands() -> None:
    graph = _imports()
    ours = {m for m in graph if m.startswith(("quizgen.render", "quizgen.commands"))}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] & ours:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = sorted(m for m in ours if reaches(m, m))
    assert cycles == []
