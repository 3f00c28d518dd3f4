"""Compile the model for this machine ahead of need (``pawns warmup``)."""

from __future__ import annotations

import time

import numpy as np

from pawns import compile_cache


def warm_up(scenario: str = "ru-ua-2024") -> float:
    """Compile (or load) the compiled engine and the shared elementwise functions; returns the seconds taken.

    Runs two members of ``scenario`` for two days with each engine, which compiles every function
    a run of any built-in scenario needs (their types do not depend on the scenario's size).
    """
    from pawns.engine.simulate import simulate_batch
    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    started = time.perf_counter()
    layout = Layout.from_scenario(load_scenario(scenario, ["scenario.horizon_days=2"]))
    for engine in ("numpy", "compiled"):
        simulate_batch(layout, np.arange(2), seed=0, engine=engine, threads=1)
    return time.perf_counter() - started


def is_warm() -> bool:
    """Whether this version's compiled model is already in this machine's cache."""
    return compile_cache.is_compiled()
