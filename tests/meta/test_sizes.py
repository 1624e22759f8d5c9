"""Sizes that keep the code readable (DESIGN.md §4): a module at most 500
lines, a function at most 60 code lines, a front-end entry point at most 40.

Code lines leave out blank lines, comment lines and the docstring.
"""

import ast
import pathlib

import pytest

import skaug

ROOT = pathlib.Path(skaug.__file__).parent
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_ENTRY_POINT_LINES = 40
#: The front-ends' entry points: (module path under skaug/, class, methods).
ENTRY_POINTS = [
    ("_sampler.py", "UncertaintySampler", ["_fit_resample"]),
    ("_augmentor/_estimator.py", "DriftAugmentor", ["fit", "augment", "transform"]),
    (
        "callbacks/_adaptive_synthesis.py",
        "AdaptiveSynthesis",
        ["on_train_begin", "on_epoch_begin", "on_batch_begin", "on_epoch_end"],
    ),
]


def code_lines(lines, node):
    """Lines of ``node`` that hold code (not blank, comment or docstring)."""
    docstring = set()
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            docstring = set(range(first.lineno, first.end_lineno + 1))
    return sum(
        1
        for number in range(node.lineno, node.end_lineno + 1)
        if number not in docstring
        and lines[number - 1].strip()
        and not lines[number - 1].strip().startswith("#")
    )


def functions(path):
    lines = path.read_text().splitlines()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, code_lines(lines, node)


MODULES = sorted(ROOT.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_and_function_sizes(path):
    n_lines = len(path.read_text().splitlines())
    assert n_lines <= MAX_MODULE_LINES, f"{path.name}: {n_lines} lines"
    too_long = {node.name: n for node, n in functions(path) if n > MAX_FUNCTION_LINES}
    assert too_long == {}


@pytest.mark.parametrize("module, cls, methods", ENTRY_POINTS)
def test_entry_points_are_short(module, cls, methods):
    path = ROOT / module
    tree = ast.parse(path.read_text())
    (owner,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
    lines = path.read_text().splitlines()
    sizes = {
        node.name: code_lines(lines, node)
        for node in owner.body
        if isinstance(node, ast.FunctionDef) and node.name in methods
    }
    assert sorted(sizes) == sorted(methods)
    assert {k: v for k, v in sizes.items() if v > MAX_ENTRY_POINT_LINES} == {}


def test_code_lines_leave_out_docstrings_and_comments():
    source = 'def f():\n    """Doc."""\n    # why\n\n    return 1\n'
    (node,) = ast.parse(source).body
    assert code_lines(source.splitlines(), node) == 2
