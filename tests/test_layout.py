"""The shape the package keeps: short modules, short functions, constructors called with keywords.

These hold the house rules of the README's module map: median module at most 200 lines and none over
400, no function over 60 lines, and no class constructed with more than 4 positional arguments (past
four, a reader cannot tell which value is which without opening the class).
"""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
MAX_MODULE_LINES = 400
MAX_MEDIAN_LINES = 200
MAX_FUNCTION_LINES = 60
MAX_POSITIONAL = 4


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.stat().st_size > 200)


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_modules_stay_short() -> None:
    sizes = {str(p.relative_to(PACKAGE)): line_count(p) for p in modules()}
    too_long = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES}
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"
    assert statistics.median(sizes.values()) <= MAX_MEDIAN_LINES


def long_functions(tree: ast.AST, limit: int) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                found.append((node.name, length))
    return found


def test_no_function_is_over_60_lines() -> None:
    found = {
        f"{path.relative_to(PACKAGE)}:{name}": length
        for path in modules()
        for name, length in long_functions(ast.parse(path.read_text(encoding="utf-8")), MAX_FUNCTION_LINES)
    }
    assert not found, f"functions over {MAX_FUNCTION_LINES} lines: {found}"


def class_names() -> set[str]:
    names = set()
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names.add(node.name)
    return names


def constructor_calls(tree: ast.AST, classes: set[str]) -> list[tuple[str, int, int]]:
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in classes and len(node.args) > MAX_POSITIONAL:
            calls.append((name, node.lineno, len(node.args)))
    return calls


def test_no_constructor_takes_more_than_4_positional_arguments() -> None:
    classes = class_names()
    found = [
        f"{path.relative_to(PACKAGE)}:{line} {name}(... {count} positional)"
        for path in modules()
        for name, line, count in constructor_calls(ast.parse(path.read_text(encoding="utf-8")), classes)
    ]
    assert not found, found


def test_the_checks_can_fail() -> None:
    # The walkers above find what they look for: a 61-line function and a 5-argument constructor call.
    body = "\n".join(["def f():"] + ["    x = 1"] * 60)
    assert long_functions(ast.parse(body), MAX_FUNCTION_LINES) == [("f", 61)]
    assert constructor_calls(ast.parse("Thing(1, 2, 3, 4, 5)\nThing(1, 2, 3, 4, e=5)"), {"Thing"}) == [
        ("Thing", 1, 5)
    ]
