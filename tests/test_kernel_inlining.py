"""Functions inlined before typing: calls between them are inlined too, the originals stay as they are."""

from __future__ import annotations

import numpy as np
from numba import njit

from pawns.engine.kernel import _inlined_before_typing


def _product(pair, i):
    return pair[0][i] * pair[1][i]


def _dot(pair, n):
    total = 0.0
    for i in range(n):
        total += _product(pair, i)
    return total


def test_inlined_functions_are_never_compiled_on_their_own():
    inlined = _inlined_before_typing([_dot, _product])
    dot = inlined["_dot"]
    caller = njit(lambda pair, n: dot(pair, n))
    pair = (np.arange(5.0), np.full(5, 2.0))
    assert caller(pair, 5) == _dot(pair, 5) == 20.0
    # Compiled as part of the caller only: a call that was not inlined would compile a signature.
    assert not inlined["_dot"].signatures and not inlined["_product"].signatures


def test_the_copies_call_each_other_and_the_module_is_untouched():
    inlined = _inlined_before_typing([_dot, _product])
    assert inlined["_dot"].py_func.__globals__["_product"] is inlined["_product"]
    assert _dot.__globals__["_product"] is _product
    assert inlined["_dot"].py_func.__code__ is _dot.__code__
