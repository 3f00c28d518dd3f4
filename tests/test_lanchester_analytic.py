"""The combat law against closed-form solutions, with every other mechanism switched off.

The engine integrates with explicit Euler steps; with dt = 0.01 day the discretisation error
over these horizons is below 0.1% (first order in dt), which sets the tolerances.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from conftest import START, duel
from pawns.engine.simulate import simulate_batch
from pawns.model.layout import Layout


def final_strengths(scenario) -> tuple[float, float]:
    layout = Layout.from_scenario(scenario)
    batch = simulate_batch(layout, np.arange(1), seed=0, keep_series=False)
    front = batch.final.front[0]
    sides = layout.formation_side
    return float(front[sides == 0].sum()), float(front[sides == 1].sum())


def test_square_law_matches_closed_form() -> None:
    # dR/dt = -a B, dB/dt = -b R  (p = 1, q = 0): aimed fire.
    r0, b0, a, b, t = 10_000.0, 8_000.0, 0.02, 0.03, 10.0
    red, blue = final_strengths(duel(red=r0, blue=b0, red_coefficient=a, blue_coefficient=b, fires_exponent=1, exposure_exponent=0, horizon_days=int(t)))
    w = np.sqrt(a * b)
    expected_red = r0 * np.cosh(w * t) - np.sqrt(a / b) * b0 * np.sinh(w * t)
    expected_blue = b0 * np.cosh(w * t) - np.sqrt(b / a) * r0 * np.sinh(w * t)
    assert red == pytest.approx(expected_red, rel=1e-3)
    assert blue == pytest.approx(expected_blue, rel=1e-3)
    # The square law's invariant: b R^2 - a B^2 is conserved.
    assert b * red**2 - a * blue**2 == pytest.approx(b * r0**2 - a * b0**2, rel=2e-3)


def test_linear_law_matches_closed_form() -> None:
    # dR/dt = -a R B, dB/dt = -b R B  (p = q = 1): area fire; b R - a B is conserved.
    r0, b0, a, b, t = 1_000.0, 900.0, 2e-5, 3e-5, 10.0
    red, blue = final_strengths(duel(red=r0, blue=b0, red_coefficient=a, blue_coefficient=b, fires_exponent=1, exposure_exponent=1, horizon_days=int(t)))
    c = b * r0 - a * b0  # > 0: red wins
    capacity = c / b
    expected_red = capacity / (1 + (capacity / r0 - 1) * np.exp(-c * t))
    expected_blue = (b * expected_red - c) / a
    assert red == pytest.approx(expected_red, rel=1e-3)
    assert blue == pytest.approx(expected_blue, rel=1e-3)
    assert b * red - a * blue == pytest.approx(c, rel=1e-6)


def test_logarithmic_law_is_exponential_decay() -> None:
    # p = 0, q = 1: losses proportional to own strength, whatever the enemy does.
    r0, b0, a, b, t = 5_000.0, 50.0, 0.05, 0.01, 10.0
    red, blue = final_strengths(duel(red=r0, blue=b0, red_coefficient=a, blue_coefficient=b, fires_exponent=0, exposure_exponent=1, horizon_days=int(t)))
    assert red == pytest.approx(r0 * np.exp(-a * t), rel=1e-3)
    assert blue == pytest.approx(b0 * np.exp(-b * t), rel=1e-3)


def engel_reference(days: float, dt_ref: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    """Engel's (1954) Iwo Jima square law with reinforcements, solved piecewise in closed form.

    dM/dt = P(t) - a N,  dN/dt = -b M; a = 0.0544, b = 0.0106 per day; US landings of 54,000,
    6,000 and 13,000 on days 1, 3 and 6 (t = 0, 2, 5); 21,500 Japanese, no reinforcements.
    Returns US and Japanese strength at whole days 0..days.
    """
    a, b = 0.0544, 0.0106
    w = np.sqrt(a * b)
    landings = {0: 54_000.0, 2: 6_000.0, 5: 13_000.0}
    m, n = 0.0, 21_500.0
    us, jp = [], []
    for day in range(int(days) + 1):
        m += landings.get(day, 0.0)
        us.append(m)
        jp.append(n)
        # advance one day in closed form
        m, n = (m * np.cosh(w) - np.sqrt(a / b) * n * np.sinh(w), n * np.cosh(w) - np.sqrt(b / a) * m * np.sinh(w))
    return np.array(us), np.array(jp)


def iwo_jima_scenario(step_days: float):
    landings = [(0, 54_000), (2, 6_000), (5, 13_000)]
    extra = {
        "contingents": {
            "landings": {
                "side": "RED", "nationality": "RED", "quality_initial": 1.0, "quality_trained": 1.0, "exposure": 1.0,
                "exposure_multiplier_initial": 1.0, "learning_days": 1.0, "training_days": 0.0, "tour_days": 0.0,
                "tranches": [{"date": START + dt.timedelta(days=day), "size_persons": size, "role": "combat"} for day, size in landings],
            }
        }
    }
    return duel(red=0.0, blue=21_500.0, red_coefficient=0.0544, blue_coefficient=0.0106, fires_exponent=1,
                exposure_exponent=0, horizon_days=36, step_days=step_days, extra=extra)


def test_iwo_jima_reproduces_engel_square_law() -> None:
    scenario = iwo_jima_scenario(step_days=0.01)
    layout = Layout.from_scenario(scenario)
    batch = simulate_batch(layout, np.arange(1), seed=0, record_every=1)
    us_model = batch.series["front"][0, :, layout.formation_side == 0].sum(axis=0)
    jp_model = batch.series["front"][0, :, layout.formation_side == 1].sum(axis=0)
    us_ref, jp_ref = engel_reference(36)
    # Compare from day 6 on (all landings ashore); tranches land one step late in the model (O(dt)).
    np.testing.assert_allclose(us_model[6:], us_ref[6:], rtol=5e-3)
    np.testing.assert_allclose(jp_model[6:30], jp_ref[6:30], rtol=2e-2)
    # Engel's battle: about 36 days until the defenders are all but gone, with ~53,000 US left.
    assert jp_model[36] < 0.02 * 21_500
    assert 50_000 < us_model[36] < 56_000
