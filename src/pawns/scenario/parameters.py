"""Every parameter of a scenario under its dotted name (``sides.RU.killed_share``).

The dotted name is a parameter's identity everywhere: in ``--set``, in posterior files, in
results (the ``parameter`` dimension) and in the random stream a member draws it from.
"""

from __future__ import annotations

from typing import Iterator

from pydantic import BaseModel

from pawns.scenario.distributions import ParamSpec


def iter_params(node: object, prefix: str = "") -> Iterator[tuple[str, ParamSpec]]:
    """Yield ``(dotted_name, spec)`` for every parameter under a scenario node, in file order."""
    for name, spec, _ in _walk(node, prefix, True):
        yield name, spec


def default_params(node: object) -> Iterator[str]:
    """Dotted names of the parameters left at their schema default (not written in the scenario)."""
    return (name for name, _, written in _walk(node, "", True) if not written)


def _walk(node: object, prefix: str, written: bool) -> Iterator[tuple[str, ParamSpec, bool]]:
    """``(dotted_name, spec, written)`` of every parameter below ``node``; ``written``: set in the file, not a default."""
    if isinstance(node, ParamSpec):
        yield prefix, node, written
    elif isinstance(node, BaseModel):
        for field in type(node).model_fields:
            yield from _walk(getattr(node, field), f"{prefix}.{field}" if prefix else field, field in node.model_fields_set)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{prefix}.{key}" if prefix else str(key), True)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{prefix}.{index}", True)
