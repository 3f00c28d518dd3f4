"""Western support v2 (M9): bad news from the enemy's contingents, donor blocs, policy change, aid forms, loops."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.variants import loop_cut
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.equations import contingent_salience, support_equilibrium
from pawns.model.layout import Layout
from pawns.model.state import State

MEMBERS = np.arange(16)
# Bad news alone moves support: no progress, fatigue, nuclear threats or policy change.
QUIET = ["scenario.horizon_days=90", "supporters.west.dynamics.progress_sensitivity=0", "supporters.west.dynamics.nuclear_threats_per_year=0",
         "supporters.west.blocs.US.fatigue_per_year=0", "supporters.west.blocs.Europe.fatigue_per_year=0",
         "supporters.west.blocs.US.policy_change_per_year=0"]
NO_BAD_NEWS = ["supporters.west.blocs.US.bad_news_sensitivity=0", "supporters.west.blocs.Europe.bad_news_sensitivity=0"]
SOME_BAD_NEWS = ["supporters.west.blocs.US.bad_news_sensitivity=0.1", "supporters.west.blocs.Europe.bad_news_sensitivity=0.1"]


def _final(name: str, overrides: list[str]) -> State:
    layout = Layout.from_scenario(load_scenario(name, overrides))
    return simulate_batch(layout, MEMBERS, seed=5, keep_series=False).final


def _bad_news_effect(name: str, *extra: str) -> np.ndarray:
    """Per member: support without bad news minus support with it (the effect of the contingent's salience)."""
    return _final(name, [*QUIET, *NO_BAD_NEWS, *extra]).support - _final(name, [*QUIET, *SOME_BAD_NEWS, *extra]).support


def _tranches_times(factor: float) -> list[str]:
    sizes = ((1_300, 1_700), (1_300, 1_700), (6_000, 8_000), (500, 2_000))
    return [f"contingents.DPRK.tranches.{k}.size_persons={{ dist = \"uniform\", low = {low * factor}, high = {high * factor}, "
            f"assumption = \"test\" }}" for k, (low, high) in enumerate(sizes)]


def test_salience_is_zero_without_a_contingent_at_the_front_and_saturates_below_one() -> None:
    assert contingent_salience(0.0, 0.0, 0.0, 10_000.0, 100.0, 30.0, 1.0) == 0.0
    fronts = np.array([1e3, 1e4, 1e5, 1e7])
    found = contingent_salience(0.0, fronts, 0.0, 10_000.0, 100.0, 1.0, 1.0)  # at once to its target
    assert np.all(np.diff(found) > 0) and found[-1] < 1.0
    more_casualties = contingent_salience(0.0, 1e4, np.array([0.0, 50.0, 500.0]), 10_000.0, 100.0, 1.0, 1.0)
    assert np.all(np.diff(more_casualties) > 0)


def test_the_bad_news_effect_is_zero_with_no_contingent_at_the_front() -> None:
    effect = _bad_news_effect("ru-ua-2024-no-dprk-troops")
    np.testing.assert_array_equal(effect, 0.0)
    # and before the first tranche reaches the front (training takes weeks), the contingent is no news yet
    early = _bad_news_effect("ru-ua-2024", "scenario.horizon_days=12")
    np.testing.assert_array_equal(early, 0.0)


def test_the_bad_news_effect_grows_with_the_contingent_s_size() -> None:
    effects = [_bad_news_effect("ru-ua-2024", *_tranches_times(factor)) for factor in (1, 3, 10)]
    assert np.all(effects[0] > 0)
    assert np.all(effects[1] > effects[0]) and np.all(effects[2] > effects[1])


def test_the_bad_news_effect_grows_with_the_contingent_s_reported_casualties() -> None:
    # the same contingent, exposed to heavier losses while green
    light = _bad_news_effect("ru-ua-2024", "contingents.DPRK.exposure_multiplier_initial=1.5")
    heavy = _bad_news_effect("ru-ua-2024", "contingents.DPRK.exposure_multiplier_initial=6")
    assert np.all(heavy > light) and np.all(light > 0)


def test_a_policy_change_cuts_its_bloc_and_nothing_else() -> None:
    assert support_equilibrium(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.6) == pytest.approx(0.4)
    assert support_equilibrium(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6) == pytest.approx(1.0)
    # a certain, total change of US policy from the inauguration: the US bloc's aid falls, Europe's is the same
    sure = ["scenario.horizon_days=200", "supporters.west.blocs.US.policy_change_per_year=300", "supporters.west.blocs.US.policy_change_cut_fraction=1",
            "supporters.west.dynamics.progress_sensitivity=0"]
    never = [*sure[:1], "supporters.west.blocs.US.policy_change_per_year=0", *sure[2:]]
    changed, unchanged = _final("ru-ua-2024", sure), _final("ru-ua-2024", never)
    assert np.all(changed.policy_changed[:, 0] == 1) and np.all(changed.policy_changed[:, 1] == 0)
    assert np.all(changed.bloc_support[:, 0] < unchanged.bloc_support[:, 0])
    np.testing.assert_allclose(changed.nuclear_events, unchanged.nuclear_events)  # the day's other event is drawn the same


def test_the_blocs_aid_reaches_ukraine_as_shells_air_defence_and_pay() -> None:
    on = _final("ru-ua-2024", ["scenario.horizon_days=150"])
    # aid that stops at once: abandonment after a day below a threshold no member can stay above
    stopped = _final("ru-ua-2024", ["scenario.horizon_days=150", "supporters.west.dynamics.abandonment_threshold=1",
                                    "supporters.west.dynamics.abandonment_hold_days=1", "supporters.west.dynamics.residual_after_abandonment=0"])
    assert np.all(stopped.delivered < on.delivered)
    assert np.all(stopped.shells[:, 1] + stopped.shells_fired[:, 1] < on.shells[:, 1] + on.shells_fired[:, 1])  # shells
    assert np.all(stopped.shells_lost[:, 1] >= on.shells_lost[:, 1])  # air defence: fewer missiles intercepted
    ua = [f.name for f in Layout.from_scenario(load_scenario("ru-ua-2024")).formations if f.side == 1]
    f = Layout.from_scenario(load_scenario("ru-ua-2024")).formation_names.index(ua[0])
    assert np.all(stopped.intake_total[:, f] <= on.intake_total[:, f])  # money for recruitment and pay


def test_cutting_the_support_loop_keeps_aid_at_its_start() -> None:
    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=200"])
    cut = simulate_batch(Layout.from_scenario(loop_cut(scenario, ["support"])), MEMBERS, seed=5, keep_series=False).final
    np.testing.assert_array_equal(cut.support, 1.0)
    np.testing.assert_array_equal(cut.bloc_delivered, 1.0)
    assert np.all(np.isnan(cut.abandon_day))


def test_cutting_the_materiel_loop_keeps_fire_at_the_desired_rate() -> None:
    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=200"])
    cut = simulate_batch(Layout.from_scenario(loop_cut(scenario, ["materiel"])), MEMBERS, seed=5, keep_series=False).final
    np.testing.assert_array_equal(cut.fire_ratio, 1.0)
    np.testing.assert_array_equal(cut.end_cause == 2, False)  # no end for want of materiel
