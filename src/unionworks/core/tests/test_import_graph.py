"""The import graph has no circles: ``core`` imports no domain app, and ``stats`` (which
every domain app's indicators plug into) imports nothing from ``members``.

Read from the source with ``ast``, so an import inside a function counts as much as one
at the top; only imports under ``if TYPE_CHECKING:`` (type hints, never run) are allowed.
Tests are not checked: they build their data through whichever apps they need.
"""

from __future__ import annotations

import ast
from pathlib import Path

import unionworks

PACKAGE = Path(unionworks.__file__).parent
DOMAIN_APPS = {
    path.name
    for path in PACKAGE.iterdir()
    if path.is_dir() and (path / "apps.py").exists() and path.name != "core"
}

# Files another change is rewriting right now; they are checked again once it lands.
BEING_REWRITTEN = {
    "core/audit.py",
    "core/models.py",
    "core/parallel.py",
    "core/tasks.py",
}

# Known imports that break the rule, each to be removed (and then taken off this list):
# (file, the module it imports).
ALLOWED: set[tuple[str, str]] = set()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """Every module ``path`` imports at run time (absolute names; relative ones resolved)."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    package = ".".join(["unionworks", *path.relative_to(PACKAGE).parent.parts])
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            # ``from unionworks import members`` imports the app too.
            found.update(f"{module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "unionworks" else None


def modules_of(app: str) -> list[Path]:
    return sorted(
        path
        for path in (PACKAGE / app).rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE).parts
        and "migrations" not in path.relative_to(PACKAGE).parts
        and path.relative_to(PACKAGE).as_posix() not in BEING_REWRITTEN
    )


def allowed(name: str, module: str) -> bool:
    return any(
        name == file and (module == allowed or module.startswith(f"{allowed}."))
        for file, allowed in ALLOWED
    )


def breaches(app: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in modules_of(app):
        name = path.relative_to(PACKAGE).as_posix()
        for module in sorted(imported_modules(path)):
            if app_of(module) in forbidden and not allowed(name, module):
                found.append(f"{name} imports {module}")
    return sorted(set(found))


def test_the_domain_apps_are_found():
    assert {"orgs", "members", "assistance", "stats", "accounts", "demo"} <= DOMAIN_APPS


def test_core_imports_no_domain_app():
    assert breaches("core", DOMAIN_APPS) == []


def test_stats_imports_nothing_from_members():
    assert breaches("stats", {"members"}) == []


def test_every_allowed_breach_still_exists():
    """An allowed import that is gone must leave the list, so it cannot come back unseen."""
    for name, module in sorted(ALLOWED):
        pair = (name, module)
        assert module in imported_modules(PACKAGE / name), f"take {pair} off ALLOWED"


def test_the_reader_sees_imports_in_functions_but_not_type_hints():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from unionworks.orgs.models import Org\n"
        "def f():\n"
        "    from unionworks.members import services\n"
        "from . import errors\n"
    )
    found = imported_modules(PACKAGE / "core" / "probe.py", source)
    assert "unionworks.members.services" in found
    assert "unionworks.core.errors" in found
    assert not any(m.startswith("unionworks.orgs") for m in found)
