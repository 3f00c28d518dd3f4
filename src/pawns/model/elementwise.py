"""The transcendental functions the equations use, computed the same way by both engines and on every machine.

numpy computes ``exp``, ``log``, ``log1p``, ``tanh`` and ``**`` with its own vectorized code
where the processor allows it, the compiled engine called the C library's, and both differ
from one platform or library version to the next in the last bit of float64: a scenario and
seed gave results that depended on which engine ran and on which machine (a rare threshold
could tip). The equations call these functions instead, and each is
:mod:`pawns.model.portable_math`'s version, written in IEEE-754 arithmetic alone:

* in the compiled engine, :mod:`pawns.engine.kernel` calls each one compiled by numba
  (:func:`compiled_scalars`);
* in the numpy engine each is a ufunc that numba compiles from the same scalar function (small,
  so it compiles in seconds, kept in :mod:`pawns.compile_cache`).

Both engines therefore compute every value with the same instructions, and so does Python
itself on the scalar forms. Exact arithmetic (``+ - * /``, ``sqrt``, ``minimum``, ``maximum``)
is the same everywhere and needs no help. ``power`` takes a float exponent; ``x * x`` is
written out where a square is meant.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from pawns.model import portable_math


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


SCALAR = portable_math.FUNCTIONS
"""Each function's scalar form: what the compiled engine calls and the numpy engine's ufunc wraps."""

# Compiled code calls these functions only from other compiled code: no wrappers to call them
# from Python, and division as numpy divides (inf or nan, never an exception).
COMPILED_OPTIONS = dict(error_model="numpy", no_cpython_wrapper=True, no_cfunc_wrapper=True)


@cache
def compiled_scalars() -> dict:
    """Each scalar form compiled by numba for compiled callers (the kernel), with the helpers they call."""
    from numba.extending import register_jitable

    for helper in portable_math.HELPERS:
        register_jitable(**COMPILED_OPTIONS)(helper)
    return {name: register_jitable(inline="never", **COMPILED_OPTIONS)(scalar) for name, scalar in SCALAR.items()}


@cache
def _ufuncs() -> SimpleNamespace:
    """The numpy engine's ufuncs, compiled on first use (numba loads only then)."""
    from numba import vectorize

    from pawns.compile_cache import install_locator

    install_locator()
    compiled_scalars()  # the helpers the scalar forms call
    made = {}
    for name, scalar in SCALAR.items():
        arity = scalar.__code__.co_argcount
        signature = "float64(" + ", ".join(["float64"] * arity) + ")"
        made[name] = vectorize([signature], cache=True)(scalar)
    return SimpleNamespace(**made)
