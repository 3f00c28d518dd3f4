"""Per-member arrays filled chunk by chunk in place (engine.plan.Rows): where each row lands, and what it keeps."""

from __future__ import annotations

import numpy as np

from pawns.analysis.ensemble import run_ensemble
from pawns.engine.plan import Rows
from pawns.evidence import load_scenario


def test_chunks_land_at_their_rows_in_any_order() -> None:
    rows = Rows(7)
    rows.put(slice(4, 7), {"x": np.array([4.0, 5.0, 6.0]), "pair": np.arange(6).reshape(3, 2)})
    rows.put(slice(0, 4), {"x": np.array([0.0, 1.0, 2.0, 3.0]), "pair": np.arange(8).reshape(4, 2) + 100})
    np.testing.assert_array_equal(rows.arrays["x"], np.arange(7.0))
    assert rows.arrays["pair"].shape == (7, 2) and rows.arrays["pair"].dtype == np.int64
    np.testing.assert_array_equal(rows.arrays["pair"][4:], np.arange(6).reshape(3, 2))


def test_longer_labels_of_a_later_chunk_are_kept_whole() -> None:
    # a fixed-width string array sized on the first chunk ('<U4') would cut 'tolerance' to 'tole'
    rows = Rows(3)
    rows.put(slice(0, 1), {"cause": np.array(["none"])})
    rows.put(slice(1, 3), {"cause": np.array(["tolerance", "manpower"])})
    assert list(rows.arrays["cause"]) == ["none", "tolerance", "manpower"]


def test_outcomes_do_not_depend_on_the_chunks_they_were_stacked_from() -> None:
    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=60"])
    whole = run_ensemble(scenario, 12, seed=2, chunk_size=12, keep_series=False).outcomes
    chunked = run_ensemble(scenario, 12, seed=2, chunk_size=5, keep_series=False).outcomes
    assert list(whole.columns) == list(chunked.columns)
    for column in whole.columns:
        np.testing.assert_array_equal(whole[column].to_numpy(), chunked[column].to_numpy(), err_msg=column)
