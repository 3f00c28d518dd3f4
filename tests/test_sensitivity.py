"""Sensitivity analysis: known answers (Ishigami, linear Morris), designs, outcomes, engine runs."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.design_runs import full_matrix, run_design
from pawns.analysis.ensemble import run_ensemble
from pawns.analysis.outcome_registry import UnknownOutcomeError, outcome_registry
from pawns.analysis.design_factors import select_parameters
from pawns.analysis.sensitivity import analyze, choose_method, make_design, plan_sensitivity, run_sensitivity_plan
from pawns.engine.draws import draw_parameters
from pawns.errors import PawnsError
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

# Analytic Sobol' indices of the Ishigami function with a = 7, b = 0.1 on [-pi, pi]^3.
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)
SHORT = ["scenario.horizon_days=60"]


def ishigami(unit: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -np.pi + 2.0 * np.pi * unit
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_recovers_the_ishigami_indices_within_their_intervals() -> None:
    design = make_design("sobol", ["x1", "x2", "x3"], 4096, seed=11)
    indices = analyze(design, ishigami(design.unit), seed=11)
    for i, name in enumerate(("x1", "x2", "x3")):
        row = indices.loc[name]
        assert abs(row["S1"] - ISHIGAMI_S1[i]) <= row["S1_conf"], (name, row.to_dict())
        assert abs(row["ST"] - ISHIGAMI_ST[i]) <= row["ST_conf"], (name, row.to_dict())
        assert row["S1_conf"] < 0.05 and row["ST_conf"] < 0.05  # intervals narrow enough to mean something


def test_morris_gives_the_exact_effects_of_a_linear_model() -> None:
    # On a linear model every elementary effect is the same: mu* = |c| x 0.5 (the jump in quantile).
    coefficients = np.array([3.0, 1.0, -2.0, 0.0])
    design = make_design("morris", ["a", "b", "c", "dummy"], 12, seed=5)
    indices = analyze(design, design.unit @ coefficients, seed=5)
    np.testing.assert_allclose(indices["mu_star"], 0.5 * np.abs(coefficients), atol=1e-12)
    np.testing.assert_allclose(indices["mu"], 0.5 * coefficients, atol=1e-12)
    np.testing.assert_allclose(indices["sigma"], 0.0, atol=1e-12)


def test_a_group_of_parameters_gets_the_indices_of_the_group_as_a_whole() -> None:
    # y = x + g1 + g2 with independent uniforms: the group {g1, g2} carries 2/3 of the variance, x 1/3.
    design = make_design("sobol", ["x", "g1", "g2"], 2048, seed=2, groups=["x", "g", "g"])
    assert design.factors == ("x", "g") and design.rows == 2048 * (2 + 2)
    indices = analyze(design, design.unit.sum(axis=1), seed=2)
    assert list(indices.index) == ["x", "g"]
    for name, share in (("x", 1 / 3), ("g", 2 / 3)):
        assert abs(indices.loc[name, "S1"] - share) <= max(indices.loc[name, "S1_conf"], 0.01), name
        assert abs(indices.loc[name, "ST"] - share) <= max(indices.loc[name, "ST_conf"], 0.01), name
    # Morris moves a group's columns in one step, each up or down: on a linear model the group's mu*
    # lies between its members' effects partly cancelling (|2 - 1|) and adding up (1 + 2); a group of
    # dummies has none.
    coefficients = np.array([3.0, 1.0, 2.0, 0.0, 0.0])
    design = make_design("morris", ["x", "g1", "g2", "d1", "d2"], 10, seed=4, groups=["x", "g", "g", "d", "d"])
    assert design.factors == ("x", "g", "d") and design.rows == 10 * (3 + 1)
    indices = analyze(design, design.unit @ coefficients, seed=4)
    assert indices.loc["x", "mu_star"] == pytest.approx(0.5 * 3.0, abs=1e-12)
    assert 0.5 * 1.0 - 1e-12 <= indices.loc["g", "mu_star"] <= 0.5 * 3.0 + 1e-12
    assert indices.loc["d", "mu_star"] == pytest.approx(0.0, abs=1e-12)


def test_a_drifts_innovations_are_one_factor_of_the_default_scenarios_design() -> None:
    plan = plan_sensitivity(load_scenario("ru-ua-2024"), ["area_change_km2"], method="morris", samples=2, seed=0)
    factors = plan.design.factors
    assert "drift.casualty_innovations" in factors and "drift.gain_innovations" in factors
    assert not any(name.startswith("drift.casualty_innovations.") for name in factors)
    innovations = [name for name in plan.design.names if name.startswith("drift.casualty_innovations.")]
    assert len(innovations) == 24 and plan.design.rows == 2 * (len(factors) + 1)


def test_designs_are_deterministic_by_seed_and_stay_inside_the_unit_cube() -> None:
    for method, samples in (("sobol", 16), ("morris", 6)):
        a = make_design(method, ["p", "q", "r"], samples, seed=3)
        b = make_design(method, ["p", "q", "r"], samples, seed=3)
        c = make_design(method, ["p", "q", "r"], samples, seed=4)
        np.testing.assert_array_equal(a.unit, b.unit)
        assert not np.array_equal(a.unit, c.unit)
        assert np.all((a.unit > 0) & (a.unit < 1))
        group = 5 if method == "sobol" else 4  # rows sharing one stochastic stream: D + 2 or D + 1
        np.testing.assert_array_equal(a.members, np.repeat(np.arange(samples), group))


def test_a_constant_outcome_gets_no_indices_rather_than_a_division_by_zero() -> None:
    design = make_design("sobol", ["p", "q"], 8, seed=0)
    assert analyze(design, np.ones(design.rows), seed=0).isna().all().all()


def test_method_and_sample_errors_are_clear() -> None:
    assert choose_method("auto", 10) == "sobol"
    assert choose_method("auto", 100) == "morris"
    with pytest.raises(PawnsError, match="valid methods: auto, sobol, morris"):
        choose_method("fast", 3)
    with pytest.raises(PawnsError, match="power of 2"):
        make_design("sobol", ["p", "q"], 100, seed=0)
    with pytest.raises(PawnsError, match="matches no uncertain parameter"):
        select_parameters(["a.b", "c.d"], ["a.*", "nothing.*"])


def test_unknown_or_categorical_outputs_list_the_valid_names() -> None:
    layout = Layout.from_scenario(load_scenario("ru-ua-2024", SHORT))
    registry = outcome_registry(layout)
    with pytest.raises(UnknownOutcomeError) as caught:
        registry.numeric(["days_bought"])
    message = str(caught.value)
    for name in ("endurance_days_bought", "tolerance_days_bought", "RU_end_day", "UA_end_day", "abandon_before_RU_end", "DPRK_killed"):
        assert name in message
    with pytest.raises(PawnsError, match="is a category"):
        registry.numeric(["UA_end_cause"])


def test_a_design_of_the_ensemble_draws_reproduces_pawns_run_member_by_member() -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    layout = Layout.from_scenario(scenario)
    members = 12
    matrix = draw_parameters(layout.space, np.arange(members), seed=7)
    design = run_design(scenario, matrix, seed=7, paired=False, chunk_size=5)
    ensemble = run_ensemble(scenario, members, seed=7, keep_series=False)
    for column in ("RU_killed", "UA_killed", "DPRK_killed", "area_change_km2"):
        np.testing.assert_array_equal(design.outcomes[column].to_numpy(), ensemble.outcomes[column].to_numpy())


def test_parameters_not_varied_are_held_at_their_medians() -> None:
    layout = Layout.from_scenario(load_scenario("ru-ua-2024", SHORT))
    name = layout.space.uncertain()[0]
    matrix = full_matrix(layout.space, [name], np.array([[1.5], [2.5]]))
    np.testing.assert_array_equal(matrix[:, layout.space.index(name)], [1.5, 2.5])
    other = layout.space.uncertain()[1]
    assert np.all(matrix[:, layout.space.index(other)] == layout.space.specs[layout.space.index(other)].central())


def test_engine_sensitivity_is_deterministic_and_independent_of_chunking() -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    plan = plan_sensitivity(scenario, ["tolerance_days_bought", "DPRK_killed"], method="morris", samples=3, seed=2,
                            vary=["contingents.DPRK.*", "combat.*"])
    assert plan.paired and plan.design.method == "morris"
    first = run_sensitivity_plan(plan, chunk_size=1000)
    second = run_sensitivity_plan(plan, chunk_size=7)
    for name in ("tolerance_days_bought", "DPRK_killed"):
        np.testing.assert_array_equal(first.indices[name].to_numpy(), second.indices[name].to_numpy())
    killed = first.indices["DPRK_killed"]["mu_star"]
    # How many DPRK troops die depends on how many are sent; the global combat law's exponents cannot matter more.
    assert killed["contingents.DPRK.tranches.0.size_persons"] > 0
    assert killed.idxmax().startswith("contingents.DPRK.")


def test_the_posterior_design_draws_whole_particles_and_the_prior_design_ignores_them() -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    space = Layout.from_scenario(scenario).space
    posterior = space.posterior
    for method, samples in (("sobol", 8), ("morris", 6)):
        plan = plan_sensitivity(scenario, ["DPRK_killed"], method=method, samples=samples, seed=3)
        factors = plan.factors
        assert factors.design == "posterior" and factors.names[-1] == "posterior"
        assert set(factors.calibrated) == set(posterior.names) and not set(factors.calibrated) & set(factors.parameters)
        matrix = factors.matrix(plan.design.unit, method=method, seed=3, samples=samples)
        columns = [space.index(name) for name in posterior.names]
        # Every row's calibrated values are one particle of the posterior, whole.
        particles = {tuple(row) for row in posterior.values}
        assert all(tuple(row) in particles for row in matrix[:, columns])
        # Morris visits two particles per trajectory, different ones across trajectories.
        distinct = {tuple(row) for row in matrix[:, columns]}
        assert len(distinct) >= (2 * samples if method == "morris" else samples) - 2
    prior = plan_sensitivity(scenario, ["DPRK_killed"], method="morris", samples=4, seed=3, design="prior")
    assert prior.factors.design == "prior" and prior.factors.space.posterior is None and "posterior" not in prior.factors.names
    assert set(posterior.names) <= set(prior.factors.parameters)


def test_a_block_left_out_by_vary_is_held_at_its_posterior_medians() -> None:
    from pawns.analysis.design_factors import weighted_median

    scenario = load_scenario("ru-ua-2024", SHORT)
    plan = plan_sensitivity(scenario, ["DPRK_killed"], method="sobol", samples=4, seed=1, vary=["contingents.DPRK.*"])
    factors = plan.factors
    assert not factors.calibrated and "posterior" not in factors.names
    matrix = factors.matrix(plan.design.unit, method="sobol", seed=1, samples=4)
    posterior = factors.space.posterior
    for k, name in enumerate(posterior.names):
        assert np.all(matrix[:, factors.space.index(name)] == weighted_median(posterior.values[:, k], posterior.weights))


def test_design_errors_are_clear() -> None:
    with pytest.raises(PawnsError, match="draws no parameter from a calibrated posterior; use --design prior"):
        plan_sensitivity(_without_posterior(), ["DPRK_killed"], design="posterior")
    with pytest.raises(PawnsError, match="valid designs: posterior, prior"):
        plan_sensitivity(load_scenario("ru-ua-2024", SHORT), ["DPRK_killed"], design="joint")


def _without_posterior():
    scenario = load_scenario("ru-ua-2024", SHORT)
    return scenario.model_copy(update={"meta": scenario.meta.model_copy(update={"posterior": None})})


def test_given_data_first_order_finds_a_dependent_input_and_not_an_idle_one() -> None:
    from pawns.analysis.design_factors import given_data_first_order

    rng = np.random.default_rng(4)
    x = rng.random(4000)
    idle = rng.random(4000)
    y = np.sin(2 * np.pi * x) + 0.3 * rng.standard_normal(4000)
    clusters = np.arange(4000) // 4
    share, half = given_data_first_order(x, y, clusters, resamples=100, confidence=0.95, seed=0)
    expected = 0.5 / (0.5 + 0.09)  # Var(sin) / Var(y)
    assert abs(share - expected) < max(2 * half, 0.05)
    none, _ = given_data_first_order(idle, y, clusters, resamples=20, confidence=0.95, seed=0)
    assert none < 0.02


def test_default_outcomes_are_those_that_spread_and_a_spike_is_explained() -> None:
    from pawns.analysis.outcome_registry import default_outputs
    from pawns.analysis.sensitivity import _stats, spread_note

    layout = Layout.from_scenario(load_scenario("ru-ua-2024", SHORT))
    assert default_outputs(outcome_registry(layout), layout) == ["tolerance_shift_days", "rmst_days_bought", "abandon_before_RU_end",
                                                                "area_change_km2"]
    without = Layout.from_scenario(load_scenario("ru-ua-2024-no-dprk", SHORT))
    assert default_outputs(outcome_registry(without), without) == ["abandon_before_RU_end", "area_change_km2"]
    # Days bought that are 0 in 97% of runs: indices are kept, with what they describe said plainly.
    days = np.r_[np.zeros(970), np.arange(1.0, 31.0)]
    note = spread_note(_stats(days))
    assert note.startswith("the outcome is 0 in 97% of the runs") and "the other 3%" in note
    assert spread_note(_stats(np.ones(10))).startswith("the outcome takes one value in every run")
    assert spread_note(_stats(np.arange(100.0))) is None


def test_confidence_intervals_are_the_same_for_the_same_seed_zero_included() -> None:
    # SALib's Sobol' analyser draws an unseeded bootstrap when given seed 0, the default --seed.
    for method, samples in (("sobol", 32), ("morris", 8)):
        design = make_design(method, ["a", "b", "c"], samples, seed=0)
        y = design.unit @ np.array([1.0, 2.0, 3.0]) + design.unit[:, 0] * design.unit[:, 1]
        first, second = analyze(design, y, seed=0), analyze(design, y, seed=0)
        np.testing.assert_array_equal(first.to_numpy(), second.to_numpy())
