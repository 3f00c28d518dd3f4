"""The equations compute exp, log and powers only through pawns.model.elementwise.

numpy's own transcendental functions may differ from the C library's in the last bit on some
processors; an equation that called them directly would make the two engines disagree there,
even where they agree on this machine. The check reads the equations' source.
"""

from __future__ import annotations

import ast
import inspect
import math

import numpy as np
import pytest

from pawns.model import elementwise, equations

FORBIDDEN = {"exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "power", "float_power", "tanh", "sinh", "cosh",
             "sin", "cos", "tan", "arctan", "arctanh"}


def _calls_to_numpy_transcendentals(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("np", "math") \
                and node.attr in FORBIDDEN:
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            # A square written as x ** 2 is x * x in both engines; any other exponent goes through power().
            if not (isinstance(node.right, ast.Constant) and node.right.value == 2):
                found.append(f"line {node.lineno}: ** {ast.unparse(node.right)}")
    return found


def test_equations_use_the_shared_functions_only() -> None:
    tree = ast.parse(inspect.getsource(equations))
    assert _calls_to_numpy_transcendentals(tree) == []


def test_the_check_finds_what_it_forbids() -> None:
    tree = ast.parse("def f(x, a):\n    return np.exp(x) + x ** a + math.log(x) + x ** 2\n")
    assert sorted(_calls_to_numpy_transcendentals(tree)) == ["line 2: ** a", "line 2: math.log", "line 2: np.exp"]


@pytest.mark.parametrize("name", sorted(elementwise.SCALAR))
def test_each_function_follows_the_c_library_and_numpy_conventions(name: str) -> None:
    values = np.array([-2.0, -1.0, -0.5, 0.0, 1e-300, 0.3, 1.0, 2.5, 700.0, np.inf, np.nan])
    function = getattr(elementwise, name)
    if name == "power":
        found = function(np.abs(values), 0.7)
        expected = np.array([math.pow(abs(v), 0.7) if np.isfinite(v) else np.abs(v) ** 0.7 for v in values])
    else:
        with np.errstate(all="ignore"):
            found = function(values)
            expected = getattr(np, name)(values)
    np.testing.assert_allclose(found, expected, rtol=1e-15, equal_nan=True)
    # The scalar form is what the compiled engine inlines: the same value, bit for bit.
    for value, vector in zip(values, found):
        scalar = elementwise.SCALAR[name](abs(value), 0.7) if name == "power" else _scalar(name, value)
        assert scalar == vector or (math.isnan(scalar) and math.isnan(vector)), (name, value)


def _scalar(name: str, value: float) -> float:
    try:
        return elementwise.SCALAR[name](float(value))
    except (OverflowError, ValueError):  # Python's math raises where the compiled C call returns inf or nan
        return float(getattr(np, name)(value))
