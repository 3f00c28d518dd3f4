"""Integrate a batch of members over the horizon, recording trajectories and outcomes.

Two engines run the same equations (:func:`pawns.model.equations.step_members`):
``"compiled"`` compiles them with numba and runs blocks of members on every core; ``"numpy"``
steps the whole batch with numpy, one day at a time, as the equations read. They give the same
numbers to the last bit (:mod:`pawns.model.elementwise` makes both compute exp, log and powers
with the same instructions; ``tests/test_engine_fast.py`` checks it), so the choice is only
about speed: ``"auto"`` (:func:`choose_engine`) runs small batches with numpy while the model
is not yet compiled on this machine, and everything else compiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from pawns import compile_cache
from pawns.engine.draws import draw_parameters
from pawns.engine.recording import Recording, record_day
from pawns.engine.rng import stream_key, uniforms
from pawns.model.equations import State, advance, initial_state, parameters
from pawns.model.layout import Layout
from pawns.model.parameter_table import Parameters

NUCLEAR_STREAM = stream_key("events.nuclear_threats")
# Streams of each side's end of endurance (M8): its exposure, and the draw of its cause.
END_STREAMS = ("events.end_of_endurance.{side}", "events.end_cause.{side}")
ENGINES = ("auto", "compiled", "numpy")
# Member-steps of a plan that, on a machine where the model is not compiled yet, start at once
# with the numpy engine (about 0.1 million member-days a second on one core: the default run's
# 25 paired runs of 0.73 million take three minutes) instead of waiting about a minute for numba;
# the command line compiles meanwhile on the other core and switches (pawns.engine.warmup).
NUMPY_WHILE_UNCOMPILED = 20_000_000


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


def compiled_engine_available() -> bool:
    """Whether numba is installed, so that the compiled engine can run (once compiled)."""
    return _kernel() is not None


def choose_engine(member_steps: int) -> str:
    """The engine for a run of ``member_steps``: numpy while small and not compiled yet, else compiled."""
    if _kernel() is None:
        return "numpy"
    if member_steps <= NUMPY_WHILE_UNCOMPILED and not compile_cache.is_compiled():
        return "numpy"
    return "compiled"


@dataclass
class BatchResult:
    """What one batch of members produced.

    ``series`` holds the trajectories at the recorded points and ``daily_series`` the daily
    variables, by name (:data:`pawns.model.recorded.RECORDED`), as float32 arrays shaped
    ``(N, T, K)`` and ``(N, H + 1, K)`` (``K`` formations or sides; no ``K`` for variables per
    member); both are empty when series were not kept.
    """

    members: np.ndarray
    matrix: np.ndarray
    record_days: np.ndarray
    series: dict[str, np.ndarray]
    daily_series: dict[str, np.ndarray]
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
    engine: str = "auto",
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
        ``"auto"`` (:func:`choose_engine`), ``"compiled"`` (numba; numpy where numba is
        missing) or ``"numpy"``; all give the same numbers.
    threads
        Threads of the compiled engine (default: one per core); never changes results.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    members = np.asarray(members, dtype=np.int64)
    if engine == "auto":
        engine = choose_engine(members.size * layout.steps)
    if matrix is None:
        matrix = draw_parameters(layout.space, members, seed=seed)
    p = parameters(layout, matrix, end_uniforms(layout, members, seed))
    start = initial_state(p)
    days = record_days(layout.horizon_days, record_every) if keep_series else np.zeros(0, dtype=int)
    recording = Recording(start, formations=len(layout.formations), sides=len(layout.sides), record_days=days,
                          horizon_days=layout.horizon_days, keep=keep_series, sectors=len(layout.sectors))
    steps_per_day = int(round(1.0 / layout.dt))
    if engine == "compiled" and _kernel() is not None:
        final = _kernel().run_compiled(p, start, steps=layout.steps, steps_per_day=steps_per_day, seed=seed,
                                       stream_key=NUCLEAR_STREAM, members=members, record=recording, threads=threads)
        if on_step is not None:
            on_step(layout.steps)
    else:
        final = _simulate_numpy(layout, p, start, members, seed, recording, steps_per_day, on_step)
    return BatchResult(members, matrix, days, recording.series(), recording.daily_series(), final, start)


def end_uniforms(layout: Layout, members: np.ndarray, seed: int) -> np.ndarray:
    """Each member's uniforms of the end of endurance, ``(N, 2, S)``: exposure and cause per side.

    Keyed by the side's name, so paired scenarios (with and without a contingent) give a
    member the same draws: common random numbers for the end as for the parameters.
    """
    members = np.asarray(members, dtype=np.int64)
    return np.stack([np.stack([uniforms(seed, members, stream_key(template.format(side=side))) for side in layout.sides], axis=1)
                     for template in END_STREAMS], axis=1)


def _simulate_numpy(layout: Layout, p: Parameters, start: State, members: np.ndarray, seed: int, recording: Recording,
                    steps_per_day: int, on_step: Callable[[int], None] | None) -> State:
    """The numpy engine: the whole batch one step at a time, as the equations read."""
    sides, every = len(layout.sides), slice(None)

    def record(state: State, day: int, slot: int) -> int:
        return record_day(every, day, state, recording.sources(state), recording.outputs, p.formation_side, p.foreign, sides, slot)

    state, slot = start, 0
    if recording.keep:
        slot = record(state, 0, slot)
    for step in range(layout.steps):
        state = advance(state, p, step, uniforms(seed, members, NUCLEAR_STREAM, step))
        if recording.keep and (step + 1) % steps_per_day == 0:
            slot = record(state, (step + 1) // steps_per_day, slot)
        if on_step is not None:
            on_step(step + 1)
    return state
