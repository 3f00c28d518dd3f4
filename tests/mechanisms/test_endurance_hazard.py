"""M4, M5, M8: the end of endurance as a smooth hazard with feedback — its laws, and its effects in runs.

The laws are checked against their closed forms; the runs (a few members, paired
by common random numbers) check the direction of each effect and the anchor of the base rate.
"""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.survival import rmst_kaplan_meier
from pawns.analysis.variants import loop_cut
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model import equations as eq
from pawns.model.layout import Layout
from pawns.model.state import State
from pawns.scenario.schema import LOOPS

RU, UA = 0, 1


def _final(overrides: list[str], members: int = 8, seed: int = 5, loops_cut: list[str] | None = None) -> tuple[State, State]:
    scenario = load_scenario("ru-ua-2024", overrides)
    layout = Layout.from_scenario(loop_cut(scenario, loops_cut) if loops_cut else scenario)
    batch = simulate_batch(layout, np.arange(members), seed=seed, keep_series=False)
    return batch.initial, batch.final


# --- the laws --------------------------------------------------------------------------------

def test_concession_hazard_is_h_star_at_the_threshold_and_grows_by_e_per_scale() -> None:
    h_star, threshold, scale = 1.2, 0.3, 0.05
    at = eq.concession_hazard(np.array([threshold]), threshold, h_star, scale)
    assert at == pytest.approx([h_star / 365.0])
    below = eq.concession_hazard(np.array([threshold - scale]), threshold, h_star, scale)
    assert below / at == pytest.approx([np.e])
    will = np.linspace(1.0, -5.0, 200)
    hazard = eq.concession_hazard(will, threshold, h_star, scale)
    assert np.all(np.diff(hazard) >= 0) and np.all(np.isfinite(hazard)) and hazard.max() == eq.MAX_HAZARD_PER_DAY


def test_limit_hazard_is_nil_far_above_the_limit_and_steep_below() -> None:
    at = eq.limit_hazard(np.array([0.7]), 0.7, 2.0, 0.05)
    assert at == pytest.approx([2.0 / 365.0])
    assert eq.limit_hazard(np.array([1.0]), 0.7, 2.0, 0.05)[0] < at[0] * 0.01
    assert eq.limit_hazard(np.array([0.6]), 0.7, 2.0, 0.05)[0] > at[0] * 5


def test_competing_causes_are_drawn_in_proportion_to_their_hazards() -> None:
    v = (np.arange(10_000) + 0.5) / 10_000
    cause = eq.hazard_cause(np.full(v.size, 1.0), np.full(v.size, 3.0), np.full(v.size, 6.0), v)
    shares = np.bincount(cause.astype(int), minlength=4)[1:] / v.size
    assert shares == pytest.approx([0.1, 0.3, 0.6], abs=1e-3)


def test_momentum_is_bounded_and_linear_near_zero() -> None:
    gain = np.array([-1e6, -0.01, 0.0, 0.01, 1e6])
    momentum = eq.bounded_momentum(gain, 1.0)
    assert np.all(np.abs(momentum) <= 1.0)
    assert momentum[1:4] == pytest.approx([-0.01, 0.0, 0.01], abs=1e-6)


def test_economic_strain_is_nil_at_the_start_bounded_and_rising() -> None:
    assert eq.economic_strain(np.array([1.0, 0.5]), np.array([1.0, 0.8])) == pytest.approx([0.0, 0.0])
    ratios = np.array([1.0, 1.5, 2.0, 5.0, 1e9])
    strain = eq.economic_strain(ratios, np.ones(5))
    assert np.all(np.diff(strain) > 0) and strain[-1] <= 1.0
    assert strain[2] == pytest.approx(np.tanh(np.log(2.0)))


def test_morale_deficit_is_half_at_the_threshold_and_nil_at_the_start_level() -> None:
    assert eq.morale_deficit(np.array([0.3]), 0.3, 0.05) == pytest.approx([0.5])
    assert eq.morale_deficit(np.array([0.6]), 0.3, 0.05)[0] < 0.003
    assert eq.morale_deficit(np.array([-1.0]), 0.3, 0.05)[0] > 0.999


def test_the_survival_step_integrates_a_constant_hazard_exactly_enough() -> None:
    cumulative, rmst = np.zeros(1), np.zeros(1)
    for _ in range(730):
        cumulative, survived = eq.survival_step(cumulative, np.full(1, 0.002), 1.0)
        rmst = rmst + survived
    assert cumulative == pytest.approx([1.46])
    assert rmst == pytest.approx([(1 - np.exp(-1.46)) / 0.002], rel=1e-6)


# --- in runs ----------------------------------------------------------------------------------

def test_the_base_rate_of_collapse_is_small_but_not_zero() -> None:
    """Science notes: with Russia's dead ~0.1-0.15% of its population, an end within two years is a small hazard, not zero."""
    _, final = _final([], members=40)
    p_two_years = final.end_probability_2y[:, RU]
    assert np.all(p_two_years > 0)
    assert 0.005 < p_two_years.mean() < 0.3


def test_foreign_losses_weigh_less_on_the_host_than_the_same_losses_of_nationals() -> None:
    """M5: the same contingent, counted as foreigners or as the host's own contract soldiers."""
    year = "scenario.horizon_days=365"
    _, foreign = _final([year])
    _, national = _final([year, 'contingents.DPRK.nationality="RU"', 'contributors.DPRK.nationality="RU"'])
    assert np.all(national.weighted_losses[:, RU] > foreign.weighted_losses[:, RU])
    assert national.cumulative_hazard[:, RU].mean() > foreign.cumulative_hazard[:, RU].mean()


def test_heavier_losses_for_the_same_collapse_share_raise_the_hazard() -> None:
    """M4: a side that tolerates less (a lower collapse share) carries more hazard, member by member."""
    year = "scenario.horizon_days=365"
    _, tolerant = _final([year, "sides.RU.tolerance.collapse_loss_share=0.02"])
    _, fragile = _final([year, "sides.RU.tolerance.collapse_loss_share=0.003"])
    assert np.all(fragile.tolerance[:, RU] < tolerant.tolerance[:, RU])
    assert np.all(fragile.cumulative_hazard[:, RU] > tolerant.cumulative_hazard[:, RU])
    assert np.all(fragile.restricted_days[:, RU] < tolerant.restricted_days[:, RU])


def test_below_the_threshold_desertion_rises_and_the_side_fights_less_well() -> None:
    """M4, M8 feedback: a will pushed below its threshold (a tiny collapse share) deserts more and inflicts less.

    In isolation: the other feedback loops are cut, since through them a weaker side also changes
    how hard both sides attack, where units go and what supply arrives (with the calibrated
    posterior of December 2026 they outweigh the direct effect in some members).
    """
    fragile = ["scenario.horizon_days=365", "sides.RU.tolerance.collapse_loss_share=0.0015", "sides.RU.tolerance.knee_loss_share=0.0003"]
    off = ["sides.RU.tolerance.feedback_desertion=0", "sides.RU.tolerance.feedback_effectiveness=0"]
    others = [loop for loop in LOOPS if loop != "tolerance"]
    start, with_feedback = _final(fragile, loops_cut=others)
    _, without_feedback = _final(fragile + off, loops_cut=others)
    fell = (with_feedback.tolerance[:, RU] < 0.3) & (start.tolerance[:, RU] > 0.3)  # fell through its threshold
    assert fell.sum() >= 4
    ru_deserted = with_feedback.deserted[:, :2].sum(axis=1), without_feedback.deserted[:, :2].sum(axis=1)
    assert np.all(ru_deserted[0] >= ru_deserted[1]) and np.all(ru_deserted[0][fell] > 1.2 * ru_deserted[1][fell])
    ua_killed = slice(2, 4)
    assert np.all(with_feedback.killed[fell, ua_killed].sum(axis=1) < without_feedback.killed[fell, ua_killed].sum(axis=1))


def test_the_feedback_is_nil_while_the_will_is_far_above_its_threshold() -> None:
    short = ["scenario.horizon_days=30"]
    off = ["sides.RU.tolerance.feedback_desertion=0", "sides.RU.tolerance.feedback_effectiveness=0",
           "sides.UA.tolerance.feedback_desertion=0", "sides.UA.tolerance.feedback_effectiveness=0"]
    _, on = _final(short)
    _, cut = _final(short + off)
    assert on.front == pytest.approx(cut.front, rel=1e-3)


def test_the_members_hazard_agrees_with_their_realised_ends() -> None:
    """The restricted mean time read from each member's hazard equals the Kaplan-Meier area of the realised end days."""
    _, final = _final([], members=300, seed=2)
    horizon = 730.0
    for side in (RU, UA):
        from_hazard = final.restricted_days[:, side].mean()
        realised = np.where(np.isnan(final.end_day[:, side]), horizon, final.end_day[:, side])
        standard_error = realised.std() / np.sqrt(realised.size)
        assert abs(rmst_kaplan_meier(final.end_day[:, side], horizon) - from_hazard) < 3.5 * standard_error + 1.0


def test_an_end_is_latched_with_its_cause_and_the_run_goes_on() -> None:
    _, final = _final([], members=60)
    ended = ~np.isnan(final.end_day)
    assert ended.any()
    assert np.all((final.end_cause != eq.CAUSE_NONE) == ended)
    assert np.all(final.cumulative_hazard[ended] >= -np.log(1 - 1e-12))
    assert np.all(np.isfinite(final.front)) and np.all(final.front >= 0)
