"""The compiled engine: the model's own step, compiled with numba, run block by block of members.

Nothing here restates an equation, a random draw or a recorded variable. The functions of
:mod:`pawns.model.equations` are written elementwise, so numba can compile them as they are:
this module registers them with numba, teaches it the two helpers whose batch form differs
(``select`` and ``along_members``), and compiles a driver that runs
:func:`~pawns.model.equations.step_members` for a block of ``BLOCK`` members over every step
before moving to the next block. A block's state stays in the processor's cache, and blocks
are spread over the cores. The uniforms (:mod:`pawns.engine.rng`) and the recording of what
the registry lists (:mod:`pawns.model.recorded`, laid out by :mod:`pawns.engine.recording`)
are compiled from their own modules in the same way. Functions that take the state,
parameter or scratch tuples are inlined where they are called, before numba types them
(:func:`_inlined_before_typing`); the others are compiled once each and called.

The step is compiled once, as a function of its own that the driver calls twice: from buffer
``a`` into ``b``, then from ``b`` into ``a``. Each call steps a whole block: a call passes
every array of the state, parameter and scratch tuples (several hundred), which took about a
third of the time when each call stepped one member. Inlining the step instead made numba
compile it once per call site (doubling a compile of many minutes), and inlining it once with
the buffers swapped between steps (``old, new = new, old``) or picked from a tuple by the
step's parity miscompiles in numba 0.68: the inlined step then writes into neither buffer.
Compiling the step's parts as functions of their own, each over a block, made the compile
longer (489 s against 444 s) and the run five times slower, so the step stays one function;
what made the compile long was the tuples' stack slots, which :mod:`pawns.engine.tuple_values`
avoids while it compiles, and typing each inlined function again at every call site, which
inlining before typing avoids (250 s to 60 s on 2 cores, ``docs/performance.md``).
``tests/test_engine_fast.py`` checks that the result equals the numpy reading of the same
functions (see :func:`run_compiled`).
"""

from __future__ import annotations

import os
import sys
import types as pytypes
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from numba import njit, types
from numba.core.errors import NumbaIRAssumptionWarning
from numba.extending import overload, register_jitable

from pawns import compile_cache
from pawns.engine import recording, rng
from pawns.engine.compiling import compiling
from pawns.engine.recording import Recording
from pawns.engine.tuple_values import tuples_as_values
from pawns.model import equations as eq
from pawns.model import elementwise, recorded
from pawns.model.parameter_table import Parameters
from pawns.model.state import State

# Every function here is called only from compiled code, so numba need not build the wrappers
# that would call it from Python (for the step, code to unpack several hundred arrays).
# Division follows numpy (inf or nan, never an exception), as in the numpy engine. The same
# options as the elementwise functions', which are compiled for compiled callers alone too.
_CALLED_FROM_COMPILED_CODE = elementwise.COMPILED_OPTIONS

# Functions of the equations module that the compiled step calls; the rest prepare batches.
_BATCH_ONLY = {"select", "along_members", "initial_state", "advance", "parameters", "_side_sums", "_with_main_remainder"}


def _step_functions() -> list:
    """The equations module's functions that the compiled step calls."""
    return [function for name, function in vars(eq).items()
            if callable(function) and getattr(function, "__module__", None) == eq.__name__
            and name not in _BATCH_ONLY and not isinstance(function, type)]


def _takes_tuples(function) -> bool:
    names = function.__code__.co_varnames[: function.__code__.co_argcount]
    return any(name in ("p", "old", "new", "tmp", "st") for name in names)


def _inlined_before_typing(functions: list) -> dict[str, numba.core.dispatcher.Dispatcher]:
    """numba functions, by name, that are inlined where they are called, before numba types the caller.

    Functions that take the state, parameter or scratch tuples are inlined: a call would pass
    every array in them, which costs more than the arithmetic. Each is copied from its code,
    with global names looked up in a copy of its module's namespace in which every function of
    ``functions`` is its inlined copy, so a call from one to another is inlined too. Inlined
    after typing instead (registered as overloads), each was typed once more per call site and
    per nesting level: 100 s of a 250 s compile.
    """
    namespaces: dict[str, dict] = {}
    inlined = {}  # by the original function's id
    for function in functions:
        namespace = namespaces.setdefault(function.__module__, dict(vars(sys.modules[function.__module__])))
        copy = pytypes.FunctionType(function.__code__, namespace, function.__name__, function.__defaults__, function.__closure__)
        inlined[id(function)] = njit(inline="always")(copy)
    for namespace in namespaces.values():
        for name, value in namespace.items():
            namespace[name] = inlined.get(id(value), value)
    return {function.__name__: inlined[id(function)] for function in functions}


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


def _overload_elementwise() -> None:
    """Each of :mod:`pawns.model.elementwise`'s functions, on numbers: its compiled scalar form (see there)."""
    for name, jitted in elementwise.compiled_scalars().items():
        _overload_one(getattr(elementwise, name), jitted, elementwise.SCALAR[name].__code__.co_argcount)


def _overload_one(function, jitted, arity: int) -> None:
    if arity == 1:
        @overload(function)
        def _unary(x):
            if isinstance(x, types.Number):
                return lambda x: jitted(float(x))
            return None
    else:
        @overload(function)
        def _binary(x, y):
            if isinstance(x, types.Number) and isinstance(y, types.Number):
                return lambda x, y: jitted(float(x), float(y))
            return None


compile_cache.install_locator()
_overload_elementwise()
# Functions that take no tuples are compiled once each and called, as are the counter-based uniforms.
for _function in [*(f for f in _step_functions() if not _takes_tuples(f)), rng.mix, rng.member_stream, rng.member_uniform]:
    register_jitable(inline="never", **_CALLED_FROM_COMPILED_CODE)(_function)
_INLINED = _inlined_before_typing([*(f for f in _step_functions() if _takes_tuples(f)),
                                   recording.record_day, recording.record_rows, recorded.side_losses])
_step_members, _record_day = _INLINED["step_members"], _INLINED["record_day"]
# numba's internal pedantic check flags variables of the inlined step while it compiles; the
# code it then generates is sound (tests/test_engine_fast.py compares it with numpy).
warnings.filterwarnings("ignore", category=NumbaIRAssumptionWarning)


def _compile(args: tuple) -> None:
    """Compile (or load) the driver for these argument types by running it over no member."""
    if compile_cache.is_compiled("_run_members") or _run_members.signatures:
        _run_members(0, 0, *args)
        return
    with compiling(), tuples_as_values():
        started = time.perf_counter()
        _run_members(0, 0, *args)
        compile_cache.remember_compile_seconds(time.perf_counter() - started)


# Members stepped together by one call of the compiled step (see the module's introduction).
BLOCK = 32


@register_jitable(inline="never", **_CALLED_FROM_COMPILED_CODE)
def _step(lo, hi, step, old, p, new, tmp, steps_per_day, stream, members, sides, out, new_src, keep, slot):
    """Step ``step`` of members ``lo`` to ``hi - 1`` from ``old`` into ``new``, recorded when a day ends; returns the next point's slot."""
    recorded = keep and (step + 1) % steps_per_day == 0
    next_slot = slot
    for i in range(lo, hi):
        u = rng.member_uniform(rng.member_stream(stream, np.uint64(members[i])), np.uint64(step))
        _step_members(i, step, old, p, u, new, tmp)
        if recorded:
            next_slot = _record_day(i, (step + 1) // steps_per_day, new, new_src, out, p.formation_side, p.foreign, sides, slot)
    return next_slot


def _driver(lo, hi, p, a, b, tmp, steps, steps_per_day, stream, members, sides, out, src_a, src_b, keep):
    """All steps of members ``lo`` to ``hi - 1`` (one block; the body of the compiled loop over blocks).

    Steps alternate from ``a`` into ``b`` and back (``src_a`` and ``src_b`` are the recorded
    fields of each buffer); both calls go to the one compiled step (see the module's introduction).
    """
    slot = 0
    if keep:
        for i in range(lo, hi):  # every member of the block gives the same next slot
            slot = _record_day(i, 0, a, src_a, out, p.formation_side, p.foreign, sides, 0)
    for step in range(0, steps, 2):
        slot = _step(lo, hi, step, a, p, b, tmp, steps_per_day, stream, members, sides, out, src_b, keep, slot)
        if step + 1 < steps:
            slot = _step(lo, hi, step + 1, b, p, a, tmp, steps_per_day, stream, members, sides, out, src_a, keep, slot)


_block_run = njit(inline="always")(_driver)


@njit(cache=True, nogil=True, _nrt=False, error_model="numpy")
def _run_members(lo, hi, p, a, b, tmp, steps, steps_per_day, stream, members, sides, out, src_a, src_b, keep):
    """Members ``lo`` to ``hi - 1``, block after block (without the GIL, so threads can share a batch)."""
    for start in range(lo, hi, BLOCK):
        _block_run(start, min(start + BLOCK, hi), p, a, b, tmp, steps, steps_per_day, stream, members, sides, out, src_a, src_b, keep)


@njit(cache=True)
def compiled_uniforms(stream, members, step):
    """The uniforms the compiled engine draws for ``members`` at ``step`` (they must equal ``rng.uniforms``)."""
    found = np.empty(members.size)
    for k in range(members.size):
        found[k] = rng.member_uniform(rng.member_stream(stream, np.uint64(members[k])), np.uint64(step))
    return found


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
    record: Recording,
    threads: int | None = None,
) -> State:
    """Integrate members from ``start`` for ``steps`` steps with the compiled step; returns the final state.

    What ``record`` keeps is written into its output arrays as the run goes. ``threads``
    (default: one per core) run contiguous blocks of members; members never interact, so the
    split changes nothing in the results.
    """
    n = members.size
    a = State(*(np.ascontiguousarray(values).copy() for values in start))
    b = State(*(np.empty_like(values) for values in a))
    tmp = eq.scratch(n, p.formation_side.shape[0], p.population.shape[1], p.sector_attacker.shape[0], p.contributor_side.shape[0],
                     a.front_stage.shape[3])
    threads = max(1, min(int(threads or default_threads()), n))
    args = (p, a, b, tmp, int(steps), int(steps_per_day), rng.stream_state(seed, stream_key), np.ascontiguousarray(members, dtype=np.int64),
            int(p.population.shape[1]), record.outputs, record.sources(a), record.sources(b), record.keep)
    _compile(args)
    bounds = np.linspace(0, n, threads + 1).astype(np.int64)
    if threads == 1:
        _run_members(0, n, *args)
    else:
        with ThreadPoolExecutor(threads) as pool:
            for future in [pool.submit(_run_members, int(lo), int(hi), *args) for lo, hi in zip(bounds[:-1], bounds[1:])]:
                future.result()
    return a if steps % 2 == 0 else b

