"""Conditions over outcomes, e.g. ``"abandon_day < RU_end_day"``, parsed safely.

A condition is a small expression language: outcome names, numbers and quoted strings,
arithmetic (``+ - * /``), comparisons (``< <= > >= == !=``, chained too), and ``and``, ``or``,
``not`` (or ``&``, ``|``, ``~``). It is parsed with :mod:`ast` and walked node by node over
numpy arrays; nothing the user writes is ever passed to ``eval``, so a condition can reach
nothing but the outcomes it names.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from pawns.analysis.outcome_registry import OutcomeRegistry, UnknownOutcomeError
from pawns.errors import PawnsError

_EXAMPLE = "e.g. \"abandon_day < RU_end_day\" or \"UA_end_cause == 'materiel'\""
_COMPARE: dict[type, Callable] = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
                                  ast.Eq: operator.eq, ast.NotEq: operator.ne}
_ARITHMETIC: dict[type, Callable] = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class ConditionError(PawnsError):
    """A condition that cannot be parsed or refers to something that is not an outcome."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        super().__init__(f"bad condition {text!r}: {problem}")


@dataclass(frozen=True)
class Condition:
    """A parsed condition and the outcome names it uses.

    Attributes
    ----------
    text
        The condition as written.
    names
        The outcome names it refers to, in order of first use.
    """

    text: str
    names: tuple[str, ...]
    _tree: ast.Expression

    def evaluate(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        """The condition for every member: a boolean array.

        Parameters
        ----------
        values
            One array per outcome name the condition uses (numbers, or strings for categories).
        """
        result = _Evaluator(self.text, values).visit(self._tree.body)
        result = np.asarray(result)
        if result.dtype.kind in "fiu" and np.all(np.isin(result, (0, 1))):
            result = result.astype(bool)  # a 0/1 indicator on its own is a condition
        if result.dtype != bool:
            raise ConditionError(self.text, f"it gives numbers, not a yes/no condition; compare it with something, {_EXAMPLE}")
        return result


def parse_condition(text: str, registry: OutcomeRegistry) -> Condition:
    """Parse and check a condition against the outcomes a scenario defines.

    Raises
    ------
    ConditionError
        If the text is not a condition this language allows, with what is wrong and an example.
    UnknownOutcomeError
        If it names an outcome the scenario does not define (the message lists the valid names).
    """
    if not text or not text.strip():
        raise ConditionError(text, f"it is empty; write a condition over outcome names, {_EXAMPLE}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        column = f" at column {exc.offset}" if exc.offset else ""
        raise ConditionError(text, f"it is not a valid expression{column} ({exc.msg}); {_EXAMPLE}") from None
    names: list[str] = []
    for node in ast.walk(tree):
        _check_node(text, node)
        if isinstance(node, ast.Name) and node.id not in names:
            names.append(node.id)
    for name in names:
        if name not in registry:
            raise UnknownOutcomeError(name, registry.names, where="in the condition")
    _check_categories(text, tree, registry)
    return Condition(text, tuple(names), tree)


_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.Invert, ast.BinOp,
            ast.BitAnd, ast.BitOr, ast.Compare, ast.Name, ast.Load, ast.Constant, *_COMPARE, *_ARITHMETIC)


def _check_node(text: str, node: ast.AST) -> None:
    if not isinstance(node, _ALLOWED):
        what = type(node).__name__
        raise ConditionError(text, f"'{what}' is not allowed; use outcome names, numbers, 'quoted' categories, + - * /, "
                                   f"comparisons, and/or/not; {_EXAMPLE}")
    if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
        raise ConditionError(text, f"the constant {node.value!r} is not a number or a quoted string")


def _check_categories(text: str, tree: ast.Expression, registry: OutcomeRegistry) -> None:
    """A category compared with a string it can never take is a typo: say which values it takes."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for a, b in zip(operands, operands[1:]):
            for name_node, other in ((a, b), (b, a)):
                if isinstance(name_node, ast.Name) and name_node.id in registry:
                    outcome = registry.get(name_node.id)
                    if outcome.kind == "category" and isinstance(other, ast.Constant):
                        if not isinstance(other.value, str) or other.value not in outcome.categories:
                            raise ConditionError(text, f"'{outcome.name}' takes the values "
                                                       f"{', '.join(repr(c) for c in outcome.categories)}; got {other.value!r}")
                    elif outcome.kind != "category" and isinstance(other, ast.Constant) and isinstance(other.value, str):
                        raise ConditionError(text, f"'{outcome.name}' is a number ({outcome.unit}); it cannot equal the text {other.value!r}")


class _Evaluator(ast.NodeVisitor):
    """Walks a checked tree over arrays (only the node types in ``_ALLOWED`` can reach it)."""

    def __init__(self, text: str, values: Mapping[str, np.ndarray]) -> None:
        self.text = text
        self.values = values

    def visit_Name(self, node: ast.Name) -> np.ndarray:
        if node.id not in self.values:
            raise UnknownOutcomeError(node.id, list(self.values), where="in the condition")
        return np.asarray(self.values[node.id])

    def visit_Constant(self, node: ast.Constant) -> object:
        return node.value

    def visit_BoolOp(self, node: ast.BoolOp) -> np.ndarray:
        parts = [self._boolean(self.visit(v)) for v in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        result = parts[0]
        for part in parts[1:]:
            result = combine(result, part)
        return result

    def visit_UnaryOp(self, node: ast.UnaryOp) -> object:
        value = self.visit(node.operand)
        if isinstance(node.op, (ast.Not, ast.Invert)):
            return np.logical_not(self._boolean(value))
        return -np.asarray(value, dtype=np.float64) if isinstance(node.op, ast.USub) else np.asarray(value, dtype=np.float64)

    def visit_BinOp(self, node: ast.BinOp) -> object:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            combine = np.logical_and if isinstance(node.op, ast.BitAnd) else np.logical_or
            return combine(self._boolean(left), self._boolean(right))
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ARITHMETIC[type(node.op)](self._number(left), self._number(right))

    def visit_Compare(self, node: ast.Compare) -> np.ndarray:
        left = self.visit(node.left)
        result: np.ndarray | None = None
        for op, comparator in zip(node.ops, node.comparators):
            right = self.visit(comparator)
            part = np.asarray(_COMPARE[type(op)](left, right), dtype=bool)
            result = part if result is None else np.logical_and(result, part)
            left = right
        return result  # type: ignore[return-value]

    def _boolean(self, value: object) -> np.ndarray:
        array = np.asarray(value)
        if array.dtype == bool:
            return array
        if array.dtype.kind in "fiu" and np.all(np.isin(array, (0, 1))):
            return array.astype(bool)  # a 0/1 indicator stands for its own truth
        raise ConditionError(self.text, f"'and', 'or' and 'not' need yes/no parts (comparisons or 0/1 indicators); {_EXAMPLE}")

    def _number(self, value: object) -> np.ndarray:
        array = np.asarray(value)
        if array.dtype.kind not in "fiub":
            raise ConditionError(self.text, "arithmetic needs numbers, not categories")
        return array.astype(np.float64)
