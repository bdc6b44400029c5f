"""The import rule (docs/architecture.md): no circle anywhere, no Qt below ui/, floors point down.

The modules are read with `ast`, never imported, so a rule broken in a file no test imports is
still caught. Imports under `if TYPE_CHECKING:` and inside functions count too: a circle that only
type checking or a late import closes is still a circle for the reader.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "reports", "ui")


def module_name(path: Path) -> str:
    """`models/law/interest.py` -> `models.law.interest`; a package is its `__init__`."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """Every module of the three floors and main.py (migrations' versions are generated)."""
    found = {"main": ROOT / "main.py"}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            if "versions" not in path.parts:
                found[module_name(path)] = path
    return found


def imported_names(path: Path, name: str) -> Iterator[str]:
    """Every module name an import statement of the file names (absolute or relative)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (a `from pkg import mod` counts as `pkg.mod`)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {
            target
            for target in imported_names(path, name)
            if target in modules and target != name and not name.startswith(target + ".")
        }
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_sees_the_imports():
    graph = import_graph()
    assert "models.law.interest" in graph["models.letters.statement"]
    assert "models.store.db" in graph["models.store.ledger_base"]  # `from models.store import db`
    assert "ui.background" in graph["ui.window.main"]


def test_find_cycle_finds_a_planted_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle():
    assert find_cycle(import_graph()) is None


def test_floors_point_down():
    """ui -> reports -> models; the rules (models/law) know nothing of storage or documents."""
    below = {
        "models": ("reports", "ui", "main"),
        "reports": ("ui", "main"),
        "models.law": ("models.store", "models.letters", "models.importing"),
    }
    wrong = [
        f"{name} -> {target}"
        for name, targets in import_graph().items()
        for target in targets
        for floor, forbidden in below.items()
        if name.startswith(floor + ".")
        and any(target == f or target.startswith(f + ".") for f in forbidden)
    ]
    assert wrong == []


def test_no_view_imports_the_module_that_builds_the_window():
    entry_points = {"main", "ui.screenshots"}  # they start the application, as main.py does
    wrong = [
        name
        for name, targets in import_graph().items()
        if "ui.app" in targets and name not in entry_points
    ]
    assert wrong == []


def qt_free(name: str) -> bool:
    """The modules that must never import Qt: the domain, the PDFs, the command line."""
    return name.split(".")[0] in ("models", "reports", "main") or name.startswith("ui.cli")


def test_models_and_reports_never_import_pyside6():
    wrong = [
        name
        for name, path in project_modules().items()
        if qt_free(name)
        for target in imported_names(path, name)
        if target.split(".")[0] == "PySide6"
    ]
    assert wrong == []


def test_models_and_reports_load_no_pyside6():
    """At run time too: importing every domain and report module loads no PySide6."""
    names = [n for n in project_modules() if qt_free(n) and "migrations" not in n]
    assert "models.store.ledger" in names
    assert "reports.letters" in names
    assert "ui.cli.mail" in names
    code = (
        f"import importlib, sys\nfor n in {names!r}: importlib.import_module(n)\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not bad, bad\nprint(len(sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
