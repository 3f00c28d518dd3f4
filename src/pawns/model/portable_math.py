"""exp, log, log1p, tanh and powers in IEEE-754 double arithmetic alone: the same bits on every machine.

The C library's and numpy's transcendental functions differ between platforms and versions in
the last bit of float64 (each is free to round its ~0.5–1 ulp error differently), so a
scenario and seed gave results that could differ from one machine to another. These functions
use only ``+ - * /``, comparisons, ``floor`` and reading or writing a double's bits — operations
IEEE 754 defines exactly — with constants computed here from exact decimal arithmetic. Python,
numba-compiled code and numpy ufuncs built from them therefore give one result everywhere
(``tests/test_portable_math.py`` checks it against Python's own arithmetic and measures the
error against values computed with 50 decimal digits). They call no library function, so a
compiler may put them in vector lanes.

How (classic table-driven range reductions):

* ``exp(x) = 2^k · 2^(j/64) · e^r`` with ``x = (64 k + j) ln(2)/64 + r``, ``|r| <= ln(2)/128``:
  ``ln(2)/64`` is split in two so that ``n · high part`` is exact, ``2^(j/64)`` comes from a
  table in two parts, and ``e^r - 1`` from its Taylor polynomial to ``r^6`` (the rest is
  below 3e-20).
* ``log(x) = e ln 2 - ln v + ln(1 + r)`` with ``x = 2^e m``, ``m`` in ``[√½, √2)``, ``v`` a
  9-bit number near ``1/m`` from a table (with ``ln v`` in two parts) and ``r = m v - 1``,
  computed exactly in two parts, ``|r| < 2^-7.2``: a series to ``r^9``. The high parts of
  ``e ln 2`` and ``ln v`` lie on a grid of ``2^-42``, so their sum is exact.
* ``log1p(x) = log(u) + (1 + x - u) / u`` with ``u = 1 + x`` and its rounding error exact.
* ``tanh`` from ``expm1``; ``x^y = exp(y · ln x)`` with ``ln x`` in double-double (about
  2^-59 relative) and the product with its rounding error.

Errors, measured against 50-digit references on 4,500–9,000 arguments each: at most 0.504 ulp
for ``exp``, 0.500 for ``log``, 0.64 for ``log1p``, 1.51 for ``tanh`` and 0.506 for powers (the
test allows 1 ulp, 2 for ``tanh``). Special values follow the C standard (``log(0) = -inf``,
``log(-1) = nan``, ``0^-1 = inf``, ``(-8)^(1/3) = nan``, ``(-0)^3 = -0``...), as numpy does.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np

_DIGITS = 40  # decimal digits of the constants' reference values (about 133 bits)


def _decimal(compute) -> Decimal:
    with localcontext() as context:
        context.prec = _DIGITS
        return compute()


def _low_part(value: Decimal, high: float) -> float:
    """What ``high`` misses of ``value``, to the nearest double."""
    return float(_decimal(lambda: value - Decimal(high)))


def _grid_part(value: Decimal, step_exponent: int) -> float:
    """``value`` rounded to a multiple of ``2^step_exponent`` (so that sums and small multiples stay exact)."""
    return math.ldexp(float(round(_decimal(lambda: value * Decimal(2) ** -step_exponent))), step_exponent)


def _double_at_most(value: Decimal) -> float:
    nearest = float(value)
    return math.nextafter(nearest, -math.inf) if Decimal(nearest) > value else nearest


def _double_at_least(value: Decimal) -> float:
    nearest = float(value)
    return math.nextafter(nearest, math.inf) if Decimal(nearest) < value else nearest


_LN2 = _decimal(lambda: Decimal(2).ln())

# exp: x = (64 k + j) ln(2)/64 + r, |r| <= ln(2)/128, so e^x = 2^k · 2^(j/64) · e^r.
_EXP_STEPS = 64
_EXP_STEP = _decimal(lambda: _LN2 / _EXP_STEPS)
_EXP_STEP_HI = _grid_part(_EXP_STEP, -42)  # 36 significant bits: n · _EXP_STEP_HI is exact for |n| < 2^17
_EXP_STEP_LO = _low_part(_EXP_STEP, _EXP_STEP_HI)
_INV_EXP_STEP = float(_decimal(lambda: 1 / _EXP_STEP))
_POW2 = [_decimal(lambda j=j: (_LN2 * j / _EXP_STEPS).exp()) for j in range(_EXP_STEPS)]
EXP2_TABLE_HI = np.array([float(value) for value in _POW2])  # 2^(j/64), and what the double misses
EXP2_TABLE_LO = np.array([_low_part(value, high) for value, high in zip(_POW2, EXP2_TABLE_HI.tolist())])
# 1/n! for n = 2..6: e^r - 1 to r^6 (the r^7 term is below 3e-20 for |r| <= ln(2)/128).
(_E2, _E3, _E4, _E5, _E6) = tuple(float(Fraction(1, math.factorial(n))) for n in range(2, 7))

# Largest argument whose exp is finite, and the smallest whose exp does not round to zero.
EXP_MAX = _double_at_most(_decimal(lambda: Decimal(np.finfo(np.float64).max.item()).ln()))
EXP_MIN = _double_at_least(_decimal(lambda: (Decimal(2) ** -1075).ln()))

# log: x = 2^e · m with m in [sqrt(1/2), sqrt(2)); v is a 9-bit number near 128/j, j = round(128 m),
# and r = m v - 1, which two products and a sum give exactly (no division): ln x = e ln 2 - ln v
# + ln(1 + r), |r| < 2^-7.2. The high parts of e ln 2 and ln v lie on the grid of 2^-42, so
# e · LN2_HI (|e| <= 1074) and its sum with a table entry are exact.
LN2_HI = _grid_part(_LN2, -42)
LN2_LO = _low_part(_LN2, LN2_HI)
_SQRT_HALF_BITS = np.float64(math.sqrt(0.5)).view(np.int64).item()
_SMALLEST_NORMAL_BITS = np.float64(np.finfo(np.float64).tiny).view(np.int64).item()
_LOG_STEPS = 128
_LOG_FIRST = 91  # 128 sqrt(1/2) = 90.5 and 128 sqrt(2) = 181.02: j = round(128 m) lies in 91..181
LOG_TABLE_INVERSE = np.array([_grid_part(Decimal(_LOG_STEPS) / j, -9) for j in range(_LOG_FIRST, 182)])
_MINUS_LOG_V = [_decimal(lambda v=v: -Decimal(v).ln()) for v in LOG_TABLE_INVERSE.tolist()]
LOG_TABLE_HI = np.array([_grid_part(value, -42) for value in _MINUS_LOG_V])
LOG_TABLE_LO = np.array([_low_part(value, high) for value, high in zip(_MINUS_LOG_V, LOG_TABLE_HI.tolist())])
# 1/n for n = 3..9: ln(1 + r) = r - r^2/2 + r^3/3 - ... (the r^10 term is below 2^-70 of r).
(_L3, _L4, _L5, _L6, _L7, _L8, _L9) = tuple(float(Fraction(1, n)) for n in range(3, 10))

for _table in (EXP2_TABLE_HI, EXP2_TABLE_LO, LOG_TABLE_INVERSE, LOG_TABLE_HI, LOG_TABLE_LO):
    _table.flags.writeable = False

_SPLITTER = 134217729.0  # 2^27 + 1 (Veltkamp's split of a double into two halves of 26 bits)


def _two_sum(a, b):
    """``a + b`` and its rounding error, exactly (Knuth's TwoSum)."""
    total = a + b
    b_part = total - a
    return total, (a - (total - b_part)) + (b - b_part)


def _fast_two_sum(a, b):
    """``a + b`` and its rounding error, exactly, when ``a`` is zero or ``|a| >= |b|`` (Dekker)."""
    total = a + b
    return total, b - (total - a)


def _split(a):
    scaled = _SPLITTER * a
    high = scaled - (scaled - a)
    return high, a - high


def _two_product(a, b):
    """``a * b`` and its rounding error, exactly (Dekker's product; ``|a|, |b| < 2^996``)."""
    product = a * b
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    return product, ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low


def _power_of_two(k):
    """``2^k`` for ``-1022 <= k <= 1023``, written from its bits."""
    return np.int64((k + 1023) << 52).view(np.float64)


def _scaled(y, k):
    """``y · 2^k`` rounded once (``y`` of order one): inf on overflow, subnormal or zero below."""
    if k > 1000:
        return y * _power_of_two(k - 1000) * _power_of_two(1000)
    if k < -1000:
        return y * _power_of_two(k + 1000) * _power_of_two(-1000)
    return y * _power_of_two(k)


def _exp_parts(x, low):
    """``k``, ``j``, and ``e^r - 1`` with ``x + low = (64 k + j) ln(2)/64 + r`` (``|x| < 746``, ``low`` tiny)."""
    n = math.floor(x * _INV_EXP_STEP + 0.5)
    r = ((x - n * _EXP_STEP_HI) - n * _EXP_STEP_LO) + low  # the first difference is exact (Sterbenz)
    r2 = r * r
    p = r + r2 * ((_E2 + r * _E3) + r2 * ((_E4 + r * _E5) + r2 * _E6))
    return n >> 6, n & 63, p


def _exp_of_sum(high, low):
    """``exp(high + low)`` for ``high`` not nan, ``|low|`` below 2^-40 or so."""
    if high > EXP_MAX:
        return math.inf
    if high < EXP_MIN:
        return 0.0
    k, j, p = _exp_parts(high, low)
    table = EXP2_TABLE_HI[j]
    return _scaled(table + (EXP2_TABLE_LO[j] + table * p), k)


def _expm1(x):
    """``exp(x) - 1`` for ``x`` not nan, accurate near zero."""
    if x > EXP_MAX:
        return math.inf
    if x < -40.0:  # exp(x) is below half an ulp of 1
        return -1.0
    k, j, p = _exp_parts(x, 0.0)
    table = EXP2_TABLE_HI[j]
    rest = EXP2_TABLE_LO[j] + table * p
    if -2 < k < 54:  # 2^k · table - 1 is exact: one rounding
        return (_scaled(table, k) - 1.0) + _scaled(rest, k)
    return _scaled(table + rest, k) - 1.0


def _log_reduction(x):
    """``e``, the table's row and ``r`` as an exact double-double, for ``ln x`` with finite ``x > 0``."""
    bits = np.float64(x).view(np.int64)
    shift = 0
    if bits < _SMALLEST_NORMAL_BITS:  # subnormal: x = bits · 2^-1074, and bits converts to a double exactly
        bits = np.float64(float(bits)).view(np.int64)
        shift = 1074
    # The exponent that brings x into [sqrt(1/2), sqrt(2)), from the bits alone (no branch to mispredict).
    exponent = (bits - _SQRT_HALF_BITS) >> 52
    m = np.int64(bits - (exponent << 52)).view(np.float64)
    row = math.floor(m * _LOG_STEPS + 0.5) - _LOG_FIRST
    v = LOG_TABLE_INVERSE[row]
    m_high, m_low = _split(m)
    r_high, r_low = _two_sum(m_high * v - 1.0, m_low * v)  # both products and the difference are exact
    return exponent - shift, row, r_high, r_low


def _log_series(r):
    """``ln(1 + r) - r + r^2/2`` for ``|r| < 2^-7.2`` (Estrin's scheme: a short chain of dependent operations)."""
    r2 = r * r
    head = (_L3 - _L4 * r) + r2 * (_L5 - _L6 * r)
    tail = (_L7 - _L8 * r) + r2 * _L9
    return (r * r2) * (head + (r2 * r2) * tail)


def _log_sum(x):
    """``ln x`` as ``high + low`` for finite ``x > 0``, to about 2^-59 of it: ``log`` adds them, powers keep both.

    The table's part is zero (``x`` near a power of two) or at least ``ln(128/127)``, larger
    than ``|r|``, so their sum is exact with its error term; ``r^2`` rounded costs about 2^-60
    of the result.
    """
    exponent, row, r, r_low = _log_reduction(x)
    table = exponent * LN2_HI + LOG_TABLE_HI[row]  # exact
    high, error = _fast_two_sum(table, r)
    return high, error + ((r_low + (_log_series(r) - 0.5 * (r * r))) + (exponent * LN2_LO + LOG_TABLE_LO[row]))


def exp(x):
    """``e^x``."""
    if x != x:
        return x
    return _exp_of_sum(x, 0.0)


def log(x):
    """Natural logarithm of ``x`` (``-inf`` at 0, ``nan`` below)."""
    if x != x or x == math.inf:
        return x
    if x < 0.0:
        return math.nan
    if x == 0.0:
        return -math.inf
    high, low = _log_sum(x)
    return high + low


def log1p(x):
    """``ln(1 + x)``, accurate for small ``x`` (``-inf`` at -1, ``nan`` below)."""
    if x != x or x == math.inf:
        return x
    if x < -1.0:
        return math.nan
    if x == -1.0:
        return -math.inf
    if x == 0.0:
        return x  # -0.0 too
    u, u_error = _two_sum(1.0, x)
    high, low = _log_sum(u)
    return high + (low + u_error / u)


def tanh(x):
    """Hyperbolic tangent of ``x``."""
    if x != x:
        return x
    a = abs(x)
    if a < 3.725290298461914e-09:  # 2^-28: tanh(a) = a to the last bit
        return x
    if a > 22.0:
        t = 1.0
    elif a >= 1.0:
        t = 1.0 - 2.0 / (_expm1(2.0 * a) + 2.0)
    else:
        e = _expm1(2.0 * a)
        denominator, denominator_error = _two_sum(e, 2.0)
        t = e / denominator
        t = t - t * (denominator_error / denominator)  # the rounding of e + 2, taken back
    return t if x > 0.0 else -t


def power(base, exponent):
    """``base`` to the power ``exponent`` (the C standard's special values, as numpy's ``power``)."""
    if exponent == 0.0 or base == 1.0:
        return 1.0
    if base != base or exponent != exponent:
        return math.nan
    size = abs(base)
    whole = np.floor(exponent) == exponent  # inf counts as whole, as in C
    if base < 0.0 and size != math.inf and not whole:
        return math.nan
    sign = 1.0
    # A negative base (-0.0 and -inf too) keeps its sign under an odd integer power.
    if np.float64(base).view(np.int64) < 0 and abs(exponent) < 9007199254740992.0 and whole \
            and np.floor(exponent * 0.5) * 2.0 != exponent:
        sign = -1.0
    if abs(exponent) == math.inf:
        if size == 1.0:
            return 1.0
        return math.inf if (size > 1.0) == (exponent > 0.0) else 0.0
    if size == 0.0:
        return sign * 0.0 if exponent > 0.0 else sign * math.inf
    if size == math.inf:
        return sign * math.inf if exponent > 0.0 else sign * 0.0
    log_high, log_low = _fast_two_sum(*_log_sum(size))
    rough = exponent * log_high
    if rough > EXP_MAX + 1.0:
        return sign * math.inf
    if rough < EXP_MIN - 1.0:
        return sign * 0.0
    # |exponent| < 2^62 here (|log_high| >= 2^-53 when size != 1), so Dekker's product is exact.
    product, product_error = _two_product(exponent, log_high)
    return sign * _exp_of_sum(product, product_error + exponent * log_low)


FUNCTIONS = {"exp": exp, "log": log, "log1p": log1p, "tanh": tanh, "power": power}
"""The functions the equations call, by name."""

HELPERS = (_two_sum, _fast_two_sum, _split, _two_product, _power_of_two, _scaled, _exp_parts, _exp_of_sum, _expm1, _log_reduction, _log_series,
           _log_sum)
"""The functions they call: compiled code must compile these too."""
