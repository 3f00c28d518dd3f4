"""Determinism, chunk invariance, extension of ensembles and common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pawns.analysis.ensemble import run_ensemble
from pawns.analysis.variants import with_role, without_contingents
from pawns.engine.draws import draw_parameters
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

SHORT = ["scenario.horizon_days=120"]


def test_same_seed_same_results_bit_for_bit() -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    a = run_ensemble(scenario, 30, seed=11)
    b = run_ensemble(scenario, 30, seed=11)
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes, check_exact=True)
    assert a.dataset.identical(b.dataset)


def test_different_seed_changes_results() -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    a = run_ensemble(scenario, 30, seed=0, keep_series=False)
    b = run_ensemble(scenario, 30, seed=1, keep_series=False)
    assert not np.array_equal(a.outcomes["RU_killed"], b.outcomes["RU_killed"])


def test_chunk_size_does_not_change_results() -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    whole = run_ensemble(scenario, 37, seed=5, chunk_size=1000)
    chunked = run_ensemble(scenario, 37, seed=5, chunk_size=4)
    pd.testing.assert_frame_equal(whole.outcomes, chunked.outcomes, check_exact=True)
    for name in whole.dataset.data_vars:
        np.testing.assert_array_equal(whole.dataset[name].values, chunked.dataset[name].values, err_msg=name)


def test_extending_an_ensemble_keeps_its_members() -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    first = run_ensemble(scenario, 10, seed=2, keep_series=False)
    extended = run_ensemble(scenario, 25, seed=2, keep_series=False)
    later = run_ensemble(scenario, 15, seed=2, first_member=10, keep_series=False)
    pd.testing.assert_frame_equal(first.outcomes, extended.outcomes.iloc[:10].reset_index(drop=True), check_exact=True)
    pd.testing.assert_frame_equal(later.outcomes.reset_index(drop=True), extended.outcomes.iloc[10:].reset_index(drop=True), check_exact=True)


def test_seed_zero_is_a_seed() -> None:
    space = Layout.from_scenario(load_scenario("ru-ua-2024")).space
    zero = draw_parameters(space, np.arange(5), seed=0)
    assert np.array_equal(zero, draw_parameters(space, np.arange(5), seed=0))
    assert not np.array_equal(zero, draw_parameters(space, np.arange(5), seed=1))


def test_compared_scenarios_share_draws_for_shared_parameters() -> None:
    base = load_scenario("ru-ua-2024")
    variants = [load_scenario("ru-ua-2024-no-dprk"), load_scenario("ru-ua-2024-dprk-labor"), without_contingents(base), with_role(base, "labor")]
    members = np.arange(50)
    base_space = Layout.from_scenario(base).space
    base_matrix = draw_parameters(base_space, members, seed=9)
    for variant in variants:
        space = Layout.from_scenario(variant).space
        matrix = draw_parameters(space, members, seed=9)
        shared = [name for name in space.names if name in base_space.names]
        assert len(shared) > 80
        for name in shared:
            np.testing.assert_array_equal(matrix[:, space.index(name)], base_matrix[:, base_space.index(name)], err_msg=name)


def test_paired_counterfactual_differs_only_through_the_contingent() -> None:
    # Before the first tranche arrives (13 Oct), the run with and without the contingent are identical.
    base = load_scenario("ru-ua-2024", ["scenario.horizon_days=10"])
    with_dprk = run_ensemble(base, 20, seed=4, keep_series=False)
    without = run_ensemble(without_contingents(base), 20, seed=4, keep_series=False)
    for column in ("RU_killed", "UA_killed", "area_change_km2", "RU_weighted_losses_end"):
        np.testing.assert_array_equal(with_dprk.outcomes[column], without.outcomes[column], err_msg=column)
