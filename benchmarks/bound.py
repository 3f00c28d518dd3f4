"""How fast could any engine run the model on this machine? A bound from the work a member-day needs.

Usage::

    python benchmarks/bound.py            # a table
    python benchmarks/bound.py --json     # one JSON object

Counts the elementwise operations of one member-day by running the equations with the numpy
engine on arrays that count every ufunc they take part in (64 members, 60 days of the default
scenario), then measures, side by side on this machine, what the fastest possible code does:
divisions and multiply-adds over arrays in the processor's cache, compiled so that they fill
its vector lanes. Divisions go through one divider per core that no other arithmetic uses, so
``divisions × seconds per vector-lane division`` is a floor on a member-day's time on one core
that no arrangement of the equations as written can go below. Adding every other operation at
the rate of a multiply-add over cached arrays gives an estimate of the best a kernel with every
member-day's work in vector lanes could do (not a bound: operands kept in registers go faster,
branches and the transcendental functions' own arithmetic slower).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import time

import numpy as np

MEMBERS, DAYS = 64, 60
TRANSCENDENTAL = ("exp", "log", "log1p", "tanh", "power")
NOT_ARITHMETIC = ("empty_like", "size", "ndim", "shape")  # the numpy engine's scratch and bookkeeping


class _Counted(np.ndarray):
    """An array that counts, in ``_Counted.counts``, the elements of every ufunc and array function it takes part in."""

    counts: collections.Counter = collections.Counter()

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        plain = [np.asarray(value) if isinstance(value, _Counted) else value for value in inputs]
        if out is not None:
            kwargs["out"] = tuple(np.asarray(value) if isinstance(value, _Counted) else value for value in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        _Counted.counts[ufunc.__name__] += np.size(result[0] if isinstance(result, tuple) else result)
        return result.view(_Counted) if isinstance(result, np.ndarray) else result

    def __array_function__(self, function, types, args, kwargs):
        result = super().__array_function__(function, types, args, kwargs)
        _Counted.counts[function.__name__] += np.size(result) if isinstance(result, np.ndarray) else 1
        return result.view(_Counted) if isinstance(result, np.ndarray) and result.dtype != object else result


def operations_per_member_day() -> dict[str, float]:
    """Elements of each ufunc or array function per member-day, from the numpy engine's step."""
    from pawns.engine.draws import draw_parameters
    from pawns.engine.rng import uniforms
    from pawns.engine.simulate import NUCLEAR_STREAM, end_uniforms, initial_state, parameters
    from pawns.evidence import load_scenario
    from pawns.model import equations
    from pawns.model.layout import Layout

    layout = Layout.from_scenario(load_scenario("ru-ua-2024"))
    members = np.arange(MEMBERS)

    def counted(values):  # the members' float arrays count; index tables stay plain
        return type(values)(*(array.view(_Counted) if isinstance(array, np.ndarray) and array.dtype.kind == "f"
                              and array.ndim and array.shape[0] == MEMBERS else array for array in values))

    p = counted(parameters(layout, draw_parameters(layout.space, members, seed=0), end_uniforms(layout, members, 0)))
    state = counted(initial_state(p))
    _Counted.counts.clear()
    steps = int(round(DAYS / layout.dt))
    for step in range(steps):
        state = counted(equations.advance(state, p, step, uniforms(0, members, NUCLEAR_STREAM, step)))
    return {name: count / (MEMBERS * DAYS) for name, count in _Counted.counts.most_common()}


def _kernels():
    import numba

    @numba.njit(error_model="numpy")  # no division check, so the loop fills the vector lanes
    def divide(a, b, c, repeats):
        for _ in range(repeats):
            for k in range(a.size):
                c[k] = a[k] / b[k]

    @numba.njit(error_model="numpy")
    def multiply_add(a, b, c, repeats):
        for _ in range(repeats):
            for k in range(a.size):
                c[k] = a[k] * b[k] + c[k]

    return divide, multiply_add


def seconds_per_element(kernel, size: int = 2048, repeats: int = 50_000) -> float:
    """Best of five: seconds per element of ``kernel`` over arrays that stay in the cache."""
    a, b, c = 1.0 + np.random.default_rng(0).random((3, size))
    kernel(a, b, c, 1)
    best = np.inf
    for _ in range(5):
        start = time.perf_counter()
        kernel(a, b, c, repeats)
        best = min(best, time.perf_counter() - start)
    return best / (size * repeats)


def measure() -> dict:
    operations = operations_per_member_day()
    arithmetic = sum(count for name, count in operations.items() if name not in NOT_ARITHMETIC + TRANSCENDENTAL)
    divide, multiply_add = _kernels()
    division_s, multiply_add_s = seconds_per_element(divide), seconds_per_element(multiply_add)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    divisions = operations.get("divide", 0.0)
    floor_s = divisions * division_s  # one member-day on one core, divisions alone
    estimate_s = floor_s + (arithmetic - divisions) * multiply_add_s
    return {
        "cores": cores,
        "operations_per_member_day": round(arithmetic + sum(operations.get(name, 0.0) for name in TRANSCENDENTAL)),
        "divisions_per_member_day": divisions,
        "transcendental_per_member_day": {name: operations.get(name, 0.0) for name in TRANSCENDENTAL},
        "ns_per_division_in_vector_lanes": division_s * 1e9,
        "ns_per_multiply_add_in_vector_lanes": multiply_add_s * 1e9,
        "max_member_days_per_s_divisions_alone": cores / floor_s,
        "member_days_per_s_all_arithmetic_estimate": cores / estimate_s,
        "operations": {name: round(count, 1) for name, count in operations.items()},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    results = measure()
    if parser.parse_args(argv).json:
        print(json.dumps(results, indent=2))
        return
    print(f"elementwise operations per member-day: {results['operations_per_member_day']:,} "
          f"(divisions {results['divisions_per_member_day']:.0f}; transcendental {results['transcendental_per_member_day']})")
    print(f"in vector lanes on this machine: {results['ns_per_division_in_vector_lanes']:.3f} ns a division, "
          f"{results['ns_per_multiply_add_in_vector_lanes']:.3f} ns a multiply-add")
    print(f"at most {results['max_member_days_per_s_divisions_alone'] / 1e6:.1f} M member-days/s on {results['cores']} cores "
          f"(divisions alone, a bound); about {results['member_days_per_s_all_arithmetic_estimate'] / 1e6:.1f} M with the other "
          "arithmetic too (an estimate)")


if __name__ == "__main__":
    main()
