"""Streamed quantile summaries: exact merging across chunks, bounded error against the truth."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.ensemble import run_ensemble
from pawns.engine.streaming import DailyQuantiles
from pawns.evidence import load_scenario

RESOLUTION = 10 ** (1 / 200) - 1  # relative width of one bin


def test_sketch_quantiles_are_within_one_bin_of_numpy() -> None:
    rng = np.random.default_rng(0)
    values = rng.lognormal(mean=np.linspace(2, 12, 30), sigma=1.0, size=(5000, 30))
    sketch = DailyQuantiles(30)
    sketch.add(values)
    for q in (0.05, 0.5, 0.95):
        exact = np.quantile(values, q, axis=0, method="inverted_cdf")
        np.testing.assert_allclose(sketch.quantile(q), exact, rtol=RESOLUTION)
    assert sketch.members == 5000


def test_chunks_merge_exactly_and_zeros_read_as_zero() -> None:
    rng = np.random.default_rng(1)
    values = rng.uniform(0, 1e5, size=(999, 4))
    values[:600, 0] = 0.0
    whole = DailyQuantiles(4)
    whole.add(values)
    pieces = [DailyQuantiles(4) for _ in range(3)]
    for piece, part in zip(pieces, np.array_split(values, 3)):
        piece.add(part)
    pieces[0].merge(pieces[1])
    pieces[0].merge(pieces[2])
    np.testing.assert_array_equal(whole.counts, pieces[0].counts)
    assert whole.quantile(0.5)[0] == 0.0
    with pytest.raises(ValueError):
        whole.add(values[:, :3])


def test_outcomes_only_run_keeps_daily_quantiles_independent_of_chunking() -> None:
    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=40"])
    full = run_ensemble(scenario, 30, seed=2, chunk_size=30, record_every=5)
    a = run_ensemble(scenario, 30, seed=2, chunk_size=7, keep_series=False, daily_quantiles=True)
    b = run_ensemble(scenario, 30, seed=2, chunk_size=30, keep_series=False, daily_quantiles=True)
    assert a.dataset is None
    for name, sketch in a.daily_quantiles.items():
        np.testing.assert_array_equal(sketch.counts, b.daily_quantiles[name].counts, err_msg=name)
    killed = full.dataset["daily_killed"].sel(side="RU").values[:, 1:]
    median = a.daily_quantiles["daily_killed/RU"].quantile(0.5)[1:]
    np.testing.assert_allclose(median, np.quantile(killed, 0.5, axis=0, method="inverted_cdf"), rtol=RESOLUTION)
