"""The compiled engine runs the same equations as the numpy engine, member by member.

Both engines execute :func:`pawns.model.equations.step_members`, and both compute exp, log
and powers with the same instructions (:mod:`pawns.model.elementwise`), so every recorded
value and every final state agrees to the last bit, and a run's results never depend on which
engine produced them (:func:`pawns.engine.simulate.choose_engine` picks by speed alone).
"""

from __future__ import annotations

import numpy as np
import pytest

from pawns.engine import kernel
from pawns.engine.draws import draw_parameters
from pawns.engine.recording import Recording
from pawns.engine.rng import stream_key, stream_state, uniforms
from pawns.engine.simulate import NUCLEAR_STREAM, end_uniforms, simulate_batch
from pawns.evidence import load_scenario
from pawns.model.equations import State, initial_state, parameters
from pawns.model.layout import Layout



def _layout(name: str, *overrides: str) -> Layout:
    return Layout.from_scenario(load_scenario(name, ["scenario.horizon_days=200", *overrides]))


def _assert_states_agree(fast: State, slow: State) -> None:
    for name in State._fields:
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)


@pytest.mark.parametrize("name", ["ru-ua-2024", "ru-ua-2024-dprk-labor", "ru-ua-2024-no-dprk"])
def test_compiled_engine_equals_numpy_engine(name: str) -> None:
    layout = _layout(name)
    members = np.arange(40)
    fast = simulate_batch(layout, members, seed=7, record_every=5, engine="compiled")
    slow = simulate_batch(layout, members, seed=7, record_every=5, engine="numpy")
    _assert_states_agree(fast.final, slow.final)
    for group_fast, group_slow in ((fast.series, slow.series), (fast.daily_series, slow.daily_series)):
        assert group_fast.keys() == group_slow.keys()
        for key in group_fast:
            np.testing.assert_array_equal(group_fast[key], group_slow[key], err_msg=key)


def test_sub_daily_steps_agree() -> None:
    layout = _layout("ru-ua-2024", "scenario.step_days=0.25", "scenario.horizon_days=30")
    fast = simulate_batch(layout, np.arange(8), seed=1, record_every=3, engine="compiled")
    slow = simulate_batch(layout, np.arange(8), seed=1, record_every=3, engine="numpy")
    _assert_states_agree(fast.final, slow.final)
    np.testing.assert_array_equal(fast.daily_series["daily_killed"], slow.daily_series["daily_killed"])


def test_compiled_uniforms_are_the_rng_uniforms() -> None:
    members = np.array([0, 1, 2, 17, 123456789, 2**40], dtype=np.int64)
    for seed, key, step in ((0, NUCLEAR_STREAM, 0), (5, NUCLEAR_STREAM, 729), (2**33, stream_key("other"), 3)):
        compiled = kernel.compiled_uniforms(stream_state(seed, key), members, step)
        np.testing.assert_array_equal(compiled, uniforms(seed, members, key, step))


def test_threads_and_batches_do_not_change_a_bit() -> None:
    # 75 members: blocks of the compiled step (kernel.BLOCK) fall differently in each split
    layout = _layout("ru-ua-2024")
    whole = simulate_batch(layout, np.arange(75), seed=3, record_every=10)
    first = simulate_batch(layout, np.arange(11), seed=3, record_every=10)
    rest = simulate_batch(layout, np.arange(11, 75), seed=3, record_every=10)
    for name in State._fields:
        np.testing.assert_array_equal(getattr(whole.final, name), np.concatenate([getattr(first.final, name), getattr(rest.final, name)]), err_msg=name)
    for key in whole.daily_series:
        np.testing.assert_array_equal(whole.daily_series[key], np.concatenate([first.daily_series[key], rest.daily_series[key]]))
    p = parameters(layout, draw_parameters(layout.space, np.arange(75), seed=3), end_uniforms(layout, np.arange(75), 3))
    start = initial_state(p)
    runs = []
    for threads in (1, 2, 3):
        record = Recording(start, formations=len(layout.formations), sides=len(layout.sides), record_days=np.array([0, 200]),
                           horizon_days=200, keep=True, sectors=len(layout.sectors))
        final = kernel.run_compiled(p, start, steps=layout.steps, steps_per_day=1, seed=3, stream_key=NUCLEAR_STREAM,
                                    members=np.arange(75), record=record, threads=threads)
        runs.append((final, {**record.series(), **record.daily_series()}))
    for final, recorded in runs[1:]:
        for name in State._fields:
            np.testing.assert_array_equal(getattr(final, name), getattr(runs[0][0], name), err_msg=name)
        assert recorded.keys() == runs[0][1].keys()
        for key in recorded:
            np.testing.assert_array_equal(recorded[key], runs[0][1][key], err_msg=key)


def test_start_state_is_not_modified() -> None:
    layout = _layout("ru-ua-2024", "scenario.horizon_days=20")
    p = parameters(layout, draw_parameters(layout.space, np.arange(5), seed=0), end_uniforms(layout, np.arange(5), 0))
    start = initial_state(p)
    before = [np.copy(values) for values in start]
    record = Recording(start, formations=len(layout.formations), sides=len(layout.sides), record_days=np.array([0]),
                       horizon_days=20, keep=False, sectors=len(layout.sectors))
    kernel.run_compiled(p, start, steps=layout.steps, steps_per_day=1, seed=0, stream_key=NUCLEAR_STREAM, members=np.arange(5),
                        record=record)
    for name, values in zip(State._fields, before):
        np.testing.assert_array_equal(getattr(start, name), values, err_msg=name)


def test_auto_engine_runs_small_batches_with_numpy_until_the_model_is_compiled(monkeypatch) -> None:
    from pawns import compile_cache
    from pawns.engine import simulate

    monkeypatch.setattr(compile_cache, "is_compiled", lambda *a: False)
    assert simulate.choose_engine(1_000 * 730) == "numpy"
    assert simulate.choose_engine(simulate.NUMPY_WHILE_UNCOMPILED + 1) == "compiled"
    monkeypatch.setattr(compile_cache, "is_compiled", lambda *a: True)
    assert simulate.choose_engine(10) == "compiled"


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="engine"):
        simulate_batch(_layout("ru-ua-2024", "scenario.horizon_days=5"), np.arange(2), seed=0, engine="gpu")
