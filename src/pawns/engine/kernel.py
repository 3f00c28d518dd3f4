"""The compiled engine: the model's own step, compiled with numba, run member by member.

Nothing here restates an equation. The functions of :mod:`pawns.model.equations` are written
elementwise, so numba can compile them as they are: this module registers them with numba,
teaches it the two helpers whose batch form differs (``select`` and ``along_members``), and
compiles a driver that runs :func:`~pawns.model.equations.step_members` for one member over
every step before moving to the next. A member's whole state then stays in the processor's
cache, and members are spread over the cores.

The driver steps a member from buffer ``a`` into ``b`` and back again, two steps per pass of
its loop, so the step is compiled twice, once for each direction. Neither copying the state
nor swapping the buffers then costs anything per step: with one compiled step, swapping the
two buffers' roles moved several hundred array addresses every day, about a fifth of the
step's time (the price is about twice the compile time, once per machine). ``tests/test_engine_fast.py`` checks that the result equals the numpy reading of
the same functions (see :func:`run_compiled`).
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sys
import warnings

import numba
import numpy as np
from numba import njit, types
from numba.core.errors import NumbaIRAssumptionWarning
from numba.extending import overload, register_jitable

from pawns.model import equations as eq
from pawns.model.equations import Parameters, Scratch, State

# Functions of the equations module that the compiled step calls; the rest prepare batches.
_BATCH_ONLY = {"select", "along_members", "initial_state", "advance", "parameters", "scratch", "_side_sums"}


def _register_equations() -> None:
    for name, value in vars(eq).items():
        if callable(value) and getattr(value, "__module__", None) == eq.__name__ and name not in _BATCH_ONLY \
                and not isinstance(value, type):
            # Functions that take the state or parameter tuples are inlined: a call would copy
            # and reference-count every array in them, which costs more than the arithmetic.
            # Division follows numpy (inf or nan, never an exception), as in the numpy engine.
            register_jitable(inline="always" if _takes_tuples(value) else "never", error_model="numpy")(value)


def _takes_tuples(function) -> bool:
    names = function.__code__.co_varnames[: function.__code__.co_argcount]
    return any(name in ("p", "old", "new", "tmp", "st") for name in names)


@overload(eq.select)
def _select_number(condition, if_true, if_false):
    if isinstance(condition, (types.Boolean, types.Integer)):
        def impl(condition, if_true, if_false):
            return if_true if condition else if_false
        return impl
    return None


@overload(eq.along_members)
def _along_members_number(values, like):
    if isinstance(values, types.Number):
        return lambda values, like: values
    return None


_register_equations()
# numba's internal pedantic check flags variables of the inlined step while it compiles; the
# code it then generates is sound (tests/test_engine_fast.py compares it with numpy).
warnings.filterwarnings("ignore", category=NumbaIRAssumptionWarning)


def _versioned_cache_dir() -> str:
    """A cache folder named by a hash of this file and the equations.

    numba revalidates a cached function against the file that defines it only; the step it
    inlines lives in ``pawns.model.equations``, so a changed equation must never load a stale
    compiled step.
    """
    digest = hashlib.sha256(Path(eq.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()[:16]
    return str(Path(__file__).parent / "__pycache__" / f"numba-{digest}")


# Only this module's compiled functions use the versioned folder; numba's setting is restored below.
_USER_CACHE_DIR = numba.config.CACHE_DIR
if not _USER_CACHE_DIR:
    numba.config.CACHE_DIR = _versioned_cache_dir()
_CACHE_DIR = Path(numba.config.CACHE_DIR)
_announced = False


def _announce_first_compilation() -> None:
    """Tell a person at a terminal why the first run on a machine pauses (once per process)."""
    global _announced
    if _announced or any(_CACHE_DIR.rglob("*_run_members*.nbi")):
        return
    _announced = True
    if sys.stderr.isatty():
        sys.stderr.write("pawns: compiling the model for this machine (once, a few minutes; later runs start at once)\n")

# --- counter-based uniforms, the same bits as pawns.engine.rng.uniforms -------------------
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_MEMBER_SALT = np.uint64(0x632BE59BD9B4E019)


@njit(cache=True)
def _mix(x):
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def member_stream(stream: np.uint64, member: np.uint64) -> np.uint64:
    """The hash state of one member in a stream (``stream`` from :func:`stream_state`)."""
    return _mix(np.uint64(stream) ^ (np.uint64(member) * _GOLDEN + _MEMBER_SALT))


@njit(cache=True)
def member_uniform(member_state: np.uint64, step: np.uint64) -> float:
    """The uniform of a member's stream at ``step`` (equals ``rng.uniforms``)."""
    x = _mix(np.uint64(member_state) + np.uint64(step) * _GOLDEN)
    return (np.float64(x >> np.uint64(11)) + 0.5) * (1.0 / 9007199254740992.0)


def stream_state(seed: int, key: int) -> np.uint64:
    """The hash of (seed, stream key), shared by all members (as in ``rng.uniforms``)."""
    with np.errstate(over="ignore"):
        x = np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + np.uint64(key & 0xFFFFFFFFFFFFFFFF)
    # numba hands uint64 results back as Python ints; keep the type so callers stay unsigned
    return np.uint64(_mix(np.uint64(x)))


# --- recording --------------------------------------------------------------------------
# Record order must match pawns.engine.simulate's FORMATION_SERIES / SIDE_SERIES / MEMBER_SERIES.
FORMATION_FIELDS = ("front", "training", "wounded", "killed", "discharged", "deserted", "rotated", "labor", "casualties", "wounded_total")
SIDE_FIELDS = ("tolerance", "shells_fired", "bonus", "bonus_spending_rub", "pool", "labor_gap")
MEMBER_FIELDS = ("area", "support", "gain")


@register_jitable(inline="always")
def _record_point(i, slot, st, fout, sout, mout):
    F = st.front.shape[1]
    S = st.tolerance.shape[1]
    by_formation = (st.front, st.training, st.wounded, st.killed, st.discharged, st.deserted, st.rotated, st.labor, st.casualties, st.wounded_total)
    for k in range(len(by_formation)):
        for f in range(F):
            fout[k, i, slot, f] = by_formation[k][i, f]
    by_side = (st.tolerance, st.shells_fired, st.bonus, st.bonus_spending_rub, st.pool, st.labor_gap)
    for k in range(len(by_side)):
        for s in range(S):
            sout[k, i, slot, s] = by_side[k][i, s]
    by_member = (st.area, st.support, st.gain)
    for k in range(len(by_member)):
        mout[k, i, slot] = by_member[k][i]


@register_jitable(inline="always")
def _record_day(i, day, st, killed_start, formation_side, foreign, dside, dmember):
    """Cumulative killed and casualties since the start per side (all and foreign), and area."""
    S = dside.shape[3]
    for s in range(S):
        killed = 0.0
        casualties = 0.0
        foreign_killed = 0.0
        foreign_casualties = 0.0
        for f in range(formation_side.shape[0]):
            if formation_side[f] == s:
                k = st.killed[i, f] - killed_start[i, f]
                c = k + st.wounded_total[i, f]
                killed += k
                casualties += c
                if foreign[f]:
                    foreign_killed += k
                    foreign_casualties += c
        dside[0, i, day, s] = killed
        dside[1, i, day, s] = casualties
        dside[2, i, day, s] = foreign_killed
        dside[3, i, day, s] = foreign_casualties
    dmember[0, i, day] = st.area[i]


@register_jitable(inline="always")
def _step(i, step, old, p, new, tmp, steps_per_day, member_state, killed_start, record_days, fout, sout, mout, dside, dmember, keep, slot):
    """One step of member ``i`` from ``old`` into ``new``, recorded when a day ends; returns the next record slot."""
    u = member_uniform(member_state, np.uint64(step))
    eq.step_members(i, step, old, p, u, new, tmp)
    if keep and (step + 1) % steps_per_day == 0:
        day = (step + 1) // steps_per_day
        _record_day(i, day, new, killed_start, p.formation_side, p.foreign, dside, dmember)
        if slot < record_days.shape[0] and day == record_days[slot]:
            _record_point(i, slot, new, fout, sout, mout)
            slot += 1
    return slot


def _driver(i, p, a, b, tmp, steps, steps_per_day, stream, members, killed_start, record_days, fout, sout, mout, dside, dmember, keep):
    """All steps of member ``i`` (the body of the compiled loop over members).

    Steps go in pairs, ``a`` into ``b`` then ``b`` into ``a``, so each of the two compiled
    steps always reads and writes the same buffers (see the module's introduction).
    """
    member_state = member_stream(np.uint64(stream), np.uint64(members[i]))
    slot = 0
    if keep:
        _record_day(i, 0, a, killed_start, p.formation_side, p.foreign, dside, dmember)
        if record_days[0] == 0:
            _record_point(i, 0, a, fout, sout, mout)
            slot = 1
    for step in range(0, steps, 2):
        slot = _step(i, step, a, p, b, tmp, steps_per_day, member_state, killed_start, record_days, fout, sout, mout, dside, dmember, keep, slot)
        if step + 1 < steps:
            slot = _step(i, step + 1, b, p, a, tmp, steps_per_day, member_state, killed_start, record_days, fout, sout, mout, dside, dmember, keep, slot)


_member_run = register_jitable(inline="always")(_driver)


@njit(cache=True, nogil=True, _nrt=False, error_model="numpy")
def _run_members(lo, hi, p, a, b, tmp, steps, steps_per_day, stream, members, killed_start, record_days, fout, sout, mout,
                 dside, dmember, keep):
    """Members ``lo`` to ``hi - 1``, one after the other (without the GIL, so threads can share a batch)."""
    for i in range(lo, hi):
        _member_run(i, p, a, b, tmp, steps, steps_per_day, stream, members, killed_start, record_days, fout, sout, mout, dside, dmember, keep)


def default_threads() -> int:
    """Threads for one batch: the cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - platforms without affinity
        return max(os.cpu_count() or 1, 1)


def run_compiled(
    p: Parameters,
    start: State,
    *,
    steps: int,
    steps_per_day: int,
    seed: int,
    stream_key: int,
    members: np.ndarray,
    record_days: np.ndarray,
    horizon_days: int,
    keep_series: bool,
    threads: int | None = None,
) -> tuple[State, dict[str, np.ndarray]]:
    """Integrate members from ``start`` for ``steps`` steps with the compiled step.

    Returns the final state and, when ``keep_series``, the recorded arrays (float32):
    ``formation`` (10, N, T, F), ``side`` (6, N, T, S), ``member`` (3, N, T), ``daily_side``
    (4, N, H + 1, S) and ``daily_member`` (1, N, H + 1), in the orders of the ``*_FIELDS``
    tuples above. ``threads`` (default: one per core) run contiguous blocks of members; members
    never interact, so the split changes nothing in the results.
    """
    n = members.size
    F, S = start.front.shape[1], start.tolerance.shape[1]
    a = State(*(np.ascontiguousarray(values).copy() for values in start))
    b = State(*(np.empty_like(values) for values in a))
    tmp = eq.scratch(n, F, S)
    T = record_days.size if keep_series else 0
    H = horizon_days + 1 if keep_series else 0
    fout = np.zeros((len(FORMATION_FIELDS), n if keep_series else 0, T, F), dtype=np.float32)
    sout = np.zeros((len(SIDE_FIELDS), n if keep_series else 0, T, S), dtype=np.float32)
    mout = np.zeros((len(MEMBER_FIELDS), n if keep_series else 0, T), dtype=np.float32)
    dside = np.zeros((4, n if keep_series else 0, H, S), dtype=np.float32)
    dmember = np.zeros((1, n if keep_series else 0, H), dtype=np.float32)
    days = np.ascontiguousarray(record_days if keep_series else np.zeros(1), dtype=np.int64)
    threads = max(1, min(int(threads or default_threads()), n))
    _announce_first_compilation()
    args = (p, a, b, tmp, int(steps), int(steps_per_day), stream_state(seed, stream_key), np.ascontiguousarray(members, dtype=np.int64),
            a.killed.copy(), days, fout, sout, mout, dside, dmember, bool(keep_series))
    bounds = np.linspace(0, n, threads + 1).astype(np.int64)
    if threads == 1:
        _run_members(0, n, *args)
    else:
        with ThreadPoolExecutor(threads) as pool:
            for future in [pool.submit(_run_members, int(lo), int(hi), *args) for lo, hi in zip(bounds[:-1], bounds[1:])]:
                future.result()
    final = a if steps % 2 == 0 else b
    recorded = {"formation": fout, "side": sout, "member": mout, "daily_side": dside, "daily_member": dmember}
    return final, recorded


numba.config.CACHE_DIR = _USER_CACHE_DIR
