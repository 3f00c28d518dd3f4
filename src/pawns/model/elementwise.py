"""The transcendental functions the equations use, computed the same way by both engines.

numpy computes ``exp``, ``log``, ``log1p``, ``tanh`` and ``**`` with its own vectorized code
where the processor allows it; the compiled engine calls the C library's. The two differed in
the last bit of float64, so a scenario and seed gave results that depended on which engine ran
(and a rare threshold could tip). The equations call these functions instead:

* in the compiled engine, :mod:`pawns.engine.kernel` maps each to the C library's function;
* in the numpy engine each is a ufunc compiled by numba from that same scalar call (small, so
  it compiles in a second or two, kept in :mod:`pawns.compile_cache`).

Both engines therefore compute every value with the same instructions. Exact arithmetic
(``+ - * /``, ``sqrt``, ``minimum``, ``maximum``) is the same everywhere and needs no help.
``power`` takes a float exponent; ``x * x`` is written out where a square is meant.
"""

from __future__ import annotations

import math
from functools import cache
from types import SimpleNamespace


def exp(x):
    """e to the power ``x``."""
    return _ufuncs().exp(x)


def log(x):
    """Natural logarithm of ``x``."""
    return _ufuncs().log(x)


def log1p(x):
    """``log(1 + x)``, accurate for small ``x``."""
    return _ufuncs().log1p(x)


def tanh(x):
    """Hyperbolic tangent of ``x``."""
    return _ufuncs().tanh(x)


def power(base, exponent):
    """``base`` to the (float) power ``exponent``."""
    return _ufuncs().power(base, exponent)


def _scalar_exp(x: float) -> float:
    return math.exp(x)


def _scalar_log(x: float) -> float:
    # numpy's conventions at and below zero (the C library's log raises no exception either).
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -math.inf
    return math.nan


def _scalar_log1p(x: float) -> float:
    if x > -1.0:
        return math.log1p(x)
    if x == -1.0:
        return -math.inf
    return math.nan


def _scalar_tanh(x: float) -> float:
    return math.tanh(x)


def _scalar_power(base: float, exponent: float) -> float:
    return base ** exponent


SCALAR = {"exp": _scalar_exp, "log": _scalar_log, "log1p": _scalar_log1p, "tanh": _scalar_tanh, "power": _scalar_power}
"""Each function's scalar form: what the compiled engine inlines and the numpy engine's ufunc wraps."""


@cache
def _ufuncs() -> SimpleNamespace:
    """The numpy engine's ufuncs, compiled on first use (numba loads only then)."""
    from numba import vectorize

    from pawns.compile_cache import install_locator

    install_locator()
    made = {}
    for name, scalar in SCALAR.items():
        arity = scalar.__code__.co_argcount
        signature = "float64(" + ", ".join(["float64"] * arity) + ")"
        made[name] = vectorize([signature], cache=True)(scalar)
    return SimpleNamespace(**made)
