"""M6 drift: the intensity of the fighting and the pace of the advance as bounded, mean-reverting walks.

In isolation (the other members' draws the same): a walk with no spread changes nothing to the
bit; a positive innovation raises that block's casualties or gains and nothing before it; the
multipliers follow their closed form, and stay within a quarter and four times whatever the
innovations, over a 10-year horizon.
"""

from __future__ import annotations

import numpy as np
import pytest

from pawns.engine.draws import draw_parameters
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.equations import DRIFT_LOG_BOUND, drift_multipliers
from pawns.model.layout import Layout
from pawns.scenario.schema import Scenario

MEMBERS = np.arange(6)
BLOCK = 30


def _priors(scenario: Scenario) -> Scenario:
    """``scenario`` drawing from its priors (no posterior file), so variants with and without a table pair."""
    return scenario.model_copy(update={"meta": scenario.meta.model_copy(update={"posterior": None})})


def _paired(overrides: list[str], edit=None, horizon: int = 120):
    """Run the default scenario over ``horizon`` days, after ``edit(layout, matrix)`` changes the members' draws."""
    layout = Layout.from_scenario(_priors(load_scenario("ru-ua-2024", [f"scenario.horizon_days={horizon}", *overrides])))
    matrix = draw_parameters(layout.space, MEMBERS, seed=8)
    if edit is not None:
        edit(layout, matrix)
    return layout, simulate_batch(layout, MEMBERS, seed=8, matrix=matrix, keep_series=True, record_every=BLOCK)


def _daily(batch, series: str, side: int | None = None) -> np.ndarray:
    values = batch.daily_series[series].astype(np.float64)
    return values if side is None else values[:, :, side]


def test_the_multipliers_follow_the_walk_and_start_at_one():
    innovations = np.array([[0.0, 1.0, -0.5, 2.0]])
    sd, phi = np.array([0.1]), np.array([0.8])
    walk = [0.0, 0.1, 0.8 * 0.1 - 0.05, 0.8 * (0.8 * 0.1 - 0.05) + 0.2]
    expected = np.exp(DRIFT_LOG_BOUND * np.tanh(np.array(walk) / DRIFT_LOG_BOUND))
    np.testing.assert_allclose(drift_multipliers(innovations, sd, phi)[0], expected, rtol=1e-12)
    assert drift_multipliers(innovations, np.zeros(1), phi)[0].tolist() == [1.0] * 4


def test_extreme_innovations_stay_within_a_quarter_and_four_times():
    blocks = 122  # ten years of 30-day blocks
    for sign in (1.0, -1.0):
        innovations = np.full((1, blocks), 3.0 * sign)  # every innovation at the truncation
        found = drift_multipliers(innovations, np.array([100.0]), np.array([1.0]))
        assert np.all(found <= 4.0 + 1e-12) and np.all(found >= 0.25 - 1e-12)
        assert found[0, -1] == pytest.approx(4.0 if sign > 0 else 0.25, rel=1e-9)


def test_no_spread_changes_nothing_to_the_bit():
    """A scenario whose walks have sd 0 runs exactly as one without a [drift] table."""
    _, flat = _paired(["drift.casualty_log_sd=0.0", "drift.gain_log_sd=0.0"])
    without = _priors(load_scenario("ru-ua-2024", ["scenario.horizon_days=120"]))
    layout = Layout.from_scenario(without.model_copy(update={"drift": None}))
    matrix = draw_parameters(layout.space, MEMBERS, seed=8)
    plain = simulate_batch(layout, MEMBERS, seed=8, matrix=matrix, keep_series=True, record_every=BLOCK)
    for series in ("daily_casualties", "daily_area"):
        np.testing.assert_array_equal(flat.daily_series[series], plain.daily_series[series])


@pytest.mark.parametrize("kind, series", [("casualty", "daily_casualties"), ("gain", "daily_area")])
def test_a_positive_innovation_raises_its_block_and_leaves_the_earlier_ones(kind, series):
    """Block 2 (days 60-89) entered with +2 sd against 0: more casualties (or ground) in it, the same before."""
    zero = [f"drift.{kind}_log_sd=0.2", "drift.persistence=0.9"]
    others = [f"drift.{'gain' if kind == 'casualty' else 'casualty'}_log_sd=0.0"]

    def innovations(value: float):
        def edit(layout, matrix):
            for k in range(layout.drift_blocks - 1):
                matrix[:, layout.space.index(f"drift.{kind}_innovations.{k}")] = value if k == 1 else 0.0
        return edit

    _, flat = _paired(zero + others, innovations(0.0))
    _, raised = _paired(zero + others, innovations(2.0))
    side = 0 if series == "daily_casualties" else None
    before_flat, before_raised = _daily(flat, series, side), _daily(raised, series, side)
    np.testing.assert_array_equal(before_flat[:, : 2 * BLOCK + 1], before_raised[:, : 2 * BLOCK + 1])
    in_block = lambda v: v[:, 3 * BLOCK] - v[:, 2 * BLOCK]  # noqa: E731
    assert np.all(in_block(before_raised) > in_block(before_flat) * 1.2), "a +0.4 log step raises the block's flow by about half"


def test_ten_years_of_drift_keep_every_stock_bounded():
    layout, batch = _paired(["drift.casualty_log_sd=0.2", "drift.gain_log_sd=0.5", "drift.persistence=1.0"], horizon=3650)
    assert layout.drift_blocks == 122
    final = batch.final
    for name in ("front", "killed", "wounded", "shells", "pool", "cumulative_hazard"):
        values = getattr(final, name)
        assert np.all(np.isfinite(values)) and np.all(values >= 0), name
    area = batch.daily_series["daily_area"].astype(np.float64)
    assert np.all(np.isfinite(area))
    stake = batch.matrix[:, layout.space.index("sectors.main.area_at_stake_km2")]
    assert np.all(area[:, -1] - area[:, 0] <= stake + 0.05), "the advance stays within what is at stake (float32 series)"


def test_innovations_are_generated_for_the_horizon_and_never_written():
    for days, count in ((730, 24), (30, 0), (31, 1), (456, 15)):
        scenario = load_scenario("ru-ua-2024", [f"scenario.horizon_days={days}"])
        assert len(scenario.drift.casualty_innovations) == len(scenario.drift.gain_innovations) == count
        assert len(scenario.with_horizon(days * 2).drift.gain_innovations) == -(-days * 2 // 30) - 1
    assert "casualty_innovations" not in load_scenario("ru-ua-2024").model_dump_json()


def test_writing_the_innovations_in_a_file_is_a_clear_error(tmp_path):
    from pawns.errors import ScenarioError

    file = tmp_path / "written.toml"
    file.write_text('[scenario]\nname = "written"\nextends = "ru-ua-2024"\n\n[drift]\ngain_innovations = []\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="no key drift.gain_innovations"):
        load_scenario(str(file))
