"""Imports run one way: the contracts in pyproject.toml ([tool.importlinter]) hold, and no
module of the project imports itself through others (a cycle), whether its imports are at
the top of a module or inside a function. In the tests, no module imports a test module or
a conftest.

The contracts: livskvalitet.core imports no app; programme imports nothing of reporting;
reporting nothing of the API (livskvalitet.opendata) or the sign-in
(livskvalitet.accounts); no app imports the project's own modules (settings, URLs, the
admin site). A failure names the modules and the lines that break a rule.
"""

import ast
from pathlib import Path

import grimp
import importlinter.api  # noqa: F401 - configures import-linter
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("livskvalitet", "programme", "reporting")


def test_every_folder_of_code_is_a_package():
    """A folder without __init__.py imports as a namespace package, which the import graph
    (grimp) does not see: its modules would escape the rules below."""
    missing = [
        str(folder.relative_to(ROOT))
        for package in PACKAGES
        for folder in [ROOT / package, *(ROOT / package).rglob("*")]
        if folder.is_dir() and any(folder.glob("*.py")) and not (folder / "__init__.py").exists()
    ]
    assert missing == []


def test_the_import_contracts_hold(capsys):
    kept = lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    assert kept, report
    assert "2 kept, 0 broken" in report


def strongly_connected(graph, modules) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others
    (Tarjan's algorithm, without recursion)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start) & modules)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    found = graph.find_modules_directly_imported_by(other) & modules
                    work.append((other, iter(sorted(found))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    modules = set(graph.modules)
    described = []
    for group in strongly_connected(graph, modules):
        members = set(group)
        lines = []
        for importer in group:
            for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    lines.append(f"  {importer} imports {imported} (line {detail['line_number']})")
        described.append("A cycle of imports:\n" + "\n".join(lines))
    assert not described, "\n".join(described)


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")]:
        graph.add_import(importer=importer, imported=imported)
    assert strongly_connected(graph, set(graph.modules)) == [["a", "b", "c"]]


def imported_test_modules(source: str, module: str) -> list[tuple[int, str]]:
    """(line, name) of each test module (test_*) or conftest of the tests that the source
    of `module` (dotted, e.g. tests.browser.test_editions) imports, relative imports too."""
    package = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*base, *([node.module] if node.module else [])])
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "tests" and (parts[-1].startswith("test_") or parts[-1] == "conftest"):
                found.append((node.lineno, name))
    return found


def test_no_module_of_the_tests_imports_a_test_module_or_a_conftest():
    """Pytest collects the tests and fixtures a module holds, imported ones too, and loads
    each conftest itself: a test module imported by another runs there again, and ties two
    files together. Shared builders are in tests/factories.py, fixtures in a conftest.py."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for line, name in imported_test_modules(path.read_text(encoding="utf-8"), module):
            found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert found == []


def test_the_import_finder_finds_test_modules_and_conftests():
    source = "\n".join(
        [
            "import tests.test_a",
            "from tests.test_b import helper",
            "from tests import test_c, factories",
            "from . import test_d",
            "from .conftest import PASSWORD",
            "from .. import conftest",
            "from tests.factories import fill",
            "from tests.url_access import ACCESS",
            "import pytest",
            "def f():",
            "    from tests.browser.test_e import x",
        ]
    )
    assert imported_test_modules(source, "tests.browser.test_x") == [
        (1, "tests.test_a"),
        (2, "tests.test_b"),
        (3, "tests.test_c"),
        (4, "tests.browser.test_d"),
        (5, "tests.browser.conftest"),
        (6, "tests.conftest"),
        (11, "tests.browser.test_e"),
    ]
