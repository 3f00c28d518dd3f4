"""Integrate a batch of members over the horizon, recording trajectories and outcomes.

Two engines run the same equations (:func:`pawns.model.equations.step_members`):
``"compiled"`` (default) compiles them with numba and runs member by member on every core;
``"numpy"`` steps the whole batch with numpy, one day at a time, as the equations read. The
two agree to the last bit or two of float64 (numba calls the C library's exp/log/pow, numpy
its own vectorized versions); ``tests/test_engine_fast.py`` holds them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from pawns.engine.rng import stream_key, uniforms
from pawns.model.equations import State, advance, initial_state, parameters
from pawns.model.layout import Inputs, Layout

FORMATION_SERIES = ("front", "training", "wounded", "killed", "discharged", "deserted", "rotated", "labor", "casualties", "wounded_total")
SIDE_SERIES = ("tolerance", "shells_fired", "bonus", "bonus_spending_rub", "pool", "labor_gap")
MEMBER_SERIES = ("area", "support", "gain")
DAILY_SIDE_SERIES = ("daily_killed", "daily_casualties", "daily_foreign_killed", "daily_foreign_casualties")
DAILY_MEMBER_SERIES = ("daily_area",)
NUCLEAR_STREAM = stream_key("events.nuclear_threats")


def _kernel():
    """The compiled engine's module, or None where numba is not installed."""
    global _KERNEL
    if _KERNEL is None:
        try:
            from pawns.engine import kernel
        except ImportError:  # pragma: no cover - numba is a dependency; this keeps numpy-only installs working
            kernel = False
        _KERNEL = kernel
    return _KERNEL or None


_KERNEL = None


@dataclass
class BatchResult:
    """What one batch of members produced."""

    members: np.ndarray
    matrix: np.ndarray
    record_days: np.ndarray
    formation_series: dict[str, np.ndarray]  # (N, T, F) float32
    side_series: dict[str, np.ndarray]  # (N, T, S) float32
    member_series: dict[str, np.ndarray]  # (N, T) float32
    daily_series: dict[str, np.ndarray]  # (N, H + 1, S) or (N, H + 1) float32: every day, for observables
    final: State
    initial: State


def record_days(horizon_days: int, every: int) -> np.ndarray:
    """Days at which trajectories are recorded: 0, every, 2*every, ..., and the horizon."""
    days = np.arange(0, horizon_days + 1, max(int(every), 1))
    if days[-1] != horizon_days:
        days = np.append(days, horizon_days)
    return days


def simulate_batch(
    layout: Layout,
    members: np.ndarray,
    *,
    seed: int,
    record_every: int = 1,
    matrix: np.ndarray | None = None,
    on_step: Callable[[int], None] | None = None,
    keep_series: bool = True,
    engine: str = "compiled",
    threads: int | None = None,
) -> BatchResult:
    """Draw parameters for ``members`` (unless ``matrix`` is given) and integrate them together.

    Parameters
    ----------
    layout
        The scenario's layout.
    members
        Global member indices; draws depend only on (seed, index).
    seed
        Ensemble seed.
    record_every
        Record trajectories every this many days (and at the horizon).
    matrix
        An explicit ``(N, D)`` parameter matrix (SALib-style designs); default: draw it.
    on_step
        Called with the number of steps done, for progress bars.
    keep_series
        Record trajectories at all (False keeps only the final state: faster, less memory).
    engine
        ``"compiled"`` (numba; falls back to numpy where numba is missing) or ``"numpy"``.
    threads
        Threads of the compiled engine (default: one per core); never changes results.
    """
    if engine not in ("compiled", "numpy"):
        raise ValueError(f"engine must be 'compiled' or 'numpy', not {engine!r}")
    members = np.asarray(members, dtype=np.int64)
    if matrix is None:
        matrix = layout.space.sample(members, seed=seed)
    inputs = Inputs(layout, matrix)
    start = initial_state(inputs)
    days = record_days(layout.scenario.scenario.horizon_days, record_every) if keep_series else np.zeros(0, dtype=int)
    if engine == "compiled" and _kernel() is not None:
        result = _simulate_compiled(layout, members, matrix, inputs, start, days, seed, keep_series, threads)
        if on_step is not None:
            on_step(layout.steps)
        return result
    return _simulate_numpy(layout, members, matrix, inputs, start, days, seed, on_step, keep_series)


def _simulate_compiled(layout: Layout, members: np.ndarray, matrix: np.ndarray, inputs: Inputs, start: State,
                       days: np.ndarray, seed: int, keep_series: bool, threads: int | None) -> BatchResult:
    """The compiled engine: every member's whole run at once, recorded as it goes."""
    steps_per_day = int(round(1.0 / layout.dt))
    final, recorded = _kernel().run_compiled(
        parameters(inputs), start, steps=layout.steps, steps_per_day=steps_per_day, seed=seed, stream_key=NUCLEAR_STREAM,
        members=members, record_days=days, horizon_days=layout.scenario.scenario.horizon_days, keep_series=keep_series,
        threads=threads)
    fseries, sseries, mseries, daily = {}, {}, {}, {}
    if keep_series:
        fseries = dict(zip(FORMATION_SERIES, recorded["formation"]))
        sseries = dict(zip(SIDE_SERIES, recorded["side"]))
        mseries = dict(zip(MEMBER_SERIES, recorded["member"]))
        daily = {**dict(zip(DAILY_SIDE_SERIES, recorded["daily_side"])), **dict(zip(DAILY_MEMBER_SERIES, recorded["daily_member"]))}
    return BatchResult(members, matrix, days, fseries, sseries, mseries, daily, final, start)


def _simulate_numpy(layout: Layout, members: np.ndarray, matrix: np.ndarray, inputs: Inputs, start: State, days: np.ndarray,
                    seed: int, on_step: Callable[[int], None] | None, keep_series: bool) -> BatchResult:
    """The numpy engine: the whole batch one step at a time, as the equations read."""
    state = start
    steps_per_day = int(round(1.0 / layout.dt))
    n, T = members.size, days.size
    F, S = len(layout.formations), len(layout.sides)
    fseries = {name: np.empty((n, T, F), dtype=np.float32) for name in FORMATION_SERIES} if keep_series else {}
    sseries = {name: np.empty((n, T, S), dtype=np.float32) for name in SIDE_SERIES} if keep_series else {}
    mseries = {name: np.empty((n, T), dtype=np.float32) for name in MEMBER_SERIES} if keep_series else {}
    slot = 0
    H = layout.scenario.scenario.horizon_days
    daily = {name: np.empty((n, H + 1, S), dtype=np.float32) for name in DAILY_SIDE_SERIES} if keep_series else {}
    daily.update({name: np.empty((n, H + 1), dtype=np.float32) for name in DAILY_MEMBER_SERIES} if keep_series else {})
    foreign = layout.foreign

    def record_daily(current: State, day: int) -> None:
        killed = current.killed - start.killed
        casualties = killed + current.wounded_total
        for s in range(S):
            own = layout.formation_side == s
            daily["daily_killed"][:, day, s] = killed[:, own].sum(axis=1)
            daily["daily_casualties"][:, day, s] = casualties[:, own].sum(axis=1)
            daily["daily_foreign_killed"][:, day, s] = killed[:, own & foreign].sum(axis=1)
            daily["daily_foreign_casualties"][:, day, s] = casualties[:, own & foreign].sum(axis=1)
        daily["daily_area"][:, day] = current.area

    def record(current: State) -> None:
        for name in FORMATION_SERIES:
            fseries[name][:, slot, :] = getattr(current, name)
        for name in SIDE_SERIES:
            sseries[name][:, slot, :] = getattr(current, name)
        for name in MEMBER_SERIES:
            mseries[name][:, slot] = getattr(current, name)

    if keep_series:
        record_daily(state, 0)
    if keep_series and days[0] == 0:
        record(state)
        slot = 1
    for step in range(layout.steps):
        state = advance(state, inputs, step, uniforms(seed, members, NUCLEAR_STREAM, step))
        if keep_series and (step + 1) % steps_per_day == 0:
            record_daily(state, (step + 1) // steps_per_day)
            if slot < T and (step + 1) // steps_per_day == days[slot]:
                record(state)
                slot += 1
        if on_step is not None:
            on_step(step + 1)
    return BatchResult(members, matrix, days, fseries, sseries, mseries, daily, state, start)
