"""Each mechanism produces its qualitative effect in isolation, in the direction the brief says.

Paired runs of the default scenario (a few members, one year) that differ in one
input only; every member must move the same way.
"""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.variants import loop_cut, with_role, without_contingents
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model import equations as eq
from pawns.model.layout import Layout
from pawns.model.state import State
from pawns.scenario.schema import Scenario

YEAR = "scenario.horizon_days=365"
RU = 0


def _final(scenario: Scenario, members: int = 6) -> tuple[Layout, State]:
    layout = Layout.from_scenario(scenario)
    return layout, simulate_batch(layout, np.arange(members), seed=3, keep_series=False).final


def _scenario(*overrides: str) -> Scenario:
    return load_scenario("ru-ua-2024", [YEAR, *overrides])


def test_m7_a_higher_bonus_draws_more_recruits() -> None:
    intake = eq.recruitment_intake(np.array(700.0), np.array([1.0, 1.5, 2.0]), np.array(0.6), np.array(1.0), np.array(1.0))
    assert np.all(np.diff(intake) > 0) and intake[0] == pytest.approx(700.0)
    _, slow = _final(_scenario("sides.RU.recruitment.ratchet_fraction=0.02"))
    _, fast = _final(_scenario("sides.RU.recruitment.ratchet_fraction=0.2"))
    raised = fast.bonus[:, RU] > slow.bonus[:, RU]  # members whose intake fell short of losses at some review
    assert np.all(fast.bonus[:, RU] >= slow.bonus[:, RU]) and raised.sum() >= 2
    recruits = fast.intake_total[:, :2].sum(axis=1), slow.intake_total[:, :2].sum(axis=1)
    assert np.all(recruits[0][raised] > recruits[1][raised])


def test_m7_a_more_depleted_pool_ratchets_the_bonus_higher() -> None:
    _, deep = _final(_scenario("sides.RU.recruitment.pool_of_willing_persons=3000000"))
    _, shallow = _final(_scenario("sides.RU.recruitment.pool_of_willing_persons=300000"))
    assert np.all(shallow.pool[:, RU] / 300_000 < deep.pool[:, RU] / 3_000_000)
    assert np.all(shallow.bonus[:, RU] >= deep.bonus[:, RU]) and np.any(shallow.bonus[:, RU] > deep.bonus[:, RU])


def test_m3_greener_troops_take_more_casualties() -> None:
    layout, seasoned = _final(_scenario("contingents.DPRK.exposure_multiplier_initial=1.0"))
    _, green = _final(_scenario("contingents.DPRK.exposure_multiplier_initial=4.0"))
    dprk = layout.formation_names.index("DPRK")
    assert np.all(green.killed[:, dprk] > seasoned.killed[:, dprk])


def test_m2_laborers_narrow_the_labor_gap_and_raise_defence_output() -> None:
    # In isolation: the recruitment loop's bonus moves the host's own intake from the workforce,
    # and with it the gap, by as much as the laborers in some members.
    base = loop_cut(_scenario(), ["recruitment"])
    _, labor = _final(with_role(base, "labor"))
    _, none = _final(without_contingents(base))
    assert np.all(labor.labor_gap[:, RU] < none.labor_gap[:, RU])
    assert np.all(labor.shells_produced[:, RU] > none.shells_produced[:, RU])


def test_m11_payment_accrues_with_deployed_soldiers() -> None:
    layout, final = _final(_scenario())
    dprk = layout.formation_names.index("DPRK")
    rate = simulate_batch(layout, np.arange(6), seed=3, keep_series=False).matrix[
        :, layout.space.index("contingents.DPRK.payment_usd_per_soldier_month")]
    assert final.payment_usd[:, dprk] == pytest.approx(rate * final.person_days_deployed[:, dprk] / 30.44, rel=1e-9)


def test_m9_m10_a_higher_abandonment_threshold_brings_abandonment_earlier() -> None:
    _, firm = _final(_scenario("supporters.west.dynamics.abandonment_threshold=0.3"))
    _, fickle = _final(_scenario("supporters.west.dynamics.abandonment_threshold=0.9"))
    day = {name: np.where(np.isnan(s.abandon_day), np.inf, s.abandon_day) for name, s in (("firm", firm), ("fickle", fickle))}
    assert np.all(day["fickle"] <= day["firm"]) and np.isfinite(day["fickle"]).sum() > np.isfinite(day["firm"]).sum()


def test_m5_foreign_casualties_spare_the_hosts_will_relative_to_its_own() -> None:
    """Weighted losses count a foreign death at weight_foreign, a national contract soldier's at weight_contract."""
    layout, final = _final(_scenario("sides.RU.tolerance.weight_foreign=0", "sides.RU.tolerance.discharged_weight=0"))
    dprk = layout.formation_names.index("DPRK")
    _, national = _final(_scenario("sides.RU.tolerance.weight_foreign=0", "sides.RU.tolerance.discharged_weight=0",
                                   'contingents.DPRK.nationality="RU"', 'contributors.DPRK.nationality="RU"'))
    assert np.all(final.killed[:, dprk] > 0)
    assert np.all(national.weighted_losses[:, RU] > final.weighted_losses[:, RU])
