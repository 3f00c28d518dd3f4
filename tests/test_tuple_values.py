"""Tuples kept as values while numba compiles: fewer stack slots, the same results."""

from __future__ import annotations

import re
from contextlib import nullcontext

import numpy as np
import pytest
from numba import njit
from numba.core.codegen import CPUCodeLibrary

from pawns.engine.tuple_values import tuples_as_values


def _across_blocks(arrays, n):
    """A tuple defined in the entry block and read inside a loop (a block of its own)."""
    pair = (arrays[0], arrays[1])
    total = 0.0
    for i in range(n):
        total += pair[0][i] * pair[1][i]
    return total


def _assigned_twice(arrays, flip):
    """A tuple assigned in two branches: no one definition dominates its use, so it keeps its slot."""
    if flip:
        pair = (arrays[1], arrays[0])
    else:
        pair = (arrays[0], arrays[1])
    total = 0.0
    for i in range(pair[0].size):
        total += pair[0][i] - pair[1][i]
    return total


def _carried(arrays, n):
    """A tuple swapped in every pass of a loop: each pass reads the one the pass before made."""
    pair = (arrays[0], arrays[1])
    total = 0.0
    for i in range(n):
        total += pair[0][i] - 0.5 * pair[1][i]
        pair = (pair[1], pair[0])
    return total


def _compiled(function, args, monkeypatch, as_values: bool):
    """``function(*args)`` compiled afresh, and its LLVM IR before optimisation."""
    modules = []
    add = CPUCodeLibrary.add_ir_module

    def keep(library, module):
        modules.append(str(module))
        return add(library, module)

    with monkeypatch.context() as patch:
        patch.setattr(CPUCodeLibrary, "add_ir_module", keep)
        with tuples_as_values() if as_values else nullcontext():
            result = njit(function)(*args)
    return result, "\n".join(modules)


def _has_slot(ir_text: str, variable: str) -> bool:
    """Whether ``variable`` (or one of numba's versions of it, ``variable.N``) has a stack slot in ``ir_text``."""
    return re.search(rf'%"{re.escape(variable)}(\.\d+)?" = alloca', ir_text) is not None


@pytest.fixture
def arrays():
    rng = np.random.default_rng(0)
    return (rng.random(50), rng.random(50))


def test_a_tuple_read_across_blocks_gets_no_slot_and_the_same_result(arrays, monkeypatch):
    plain, plain_ir = _compiled(_across_blocks, (arrays, 50), monkeypatch, as_values=False)
    valued, valued_ir = _compiled(_across_blocks, (arrays, 50), monkeypatch, as_values=True)
    assert valued == plain == _across_blocks(arrays, 50)
    assert _has_slot(plain_ir, "pair") and not _has_slot(valued_ir, "pair")


def test_a_tuple_assigned_twice_keeps_its_slot(arrays, monkeypatch):
    for flip in (True, False):
        valued, valued_ir = _compiled(_assigned_twice, (arrays, flip), monkeypatch, as_values=True)
        assert valued == _assigned_twice(arrays, flip)
        assert _has_slot(valued_ir, "pair")  # the version numba joins from both branches
        assert not _has_slot(valued_ir, "arrays")  # the argument, defined once in the entry block, is a value


def test_a_tuple_carried_from_pass_to_pass_is_read_as_the_pass_before_left_it(arrays, monkeypatch):
    valued, _ = _compiled(_carried, (arrays, 50), monkeypatch, as_values=True)
    assert valued == _carried(arrays, 50)
    assert valued != sum(arrays[0][i] - 0.5 * arrays[1][i] for i in range(50))  # the swap matters to the sum


def test_numba_is_left_as_it_was():
    from numba.core import lowering

    before = lowering.Lower._find_singly_assigned_variable
    with tuples_as_values():
        assert lowering.Lower._find_singly_assigned_variable is not before
    assert lowering.Lower._find_singly_assigned_variable is before
