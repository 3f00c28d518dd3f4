"""The channel decomposition: singles and interaction add up to all channels off, member by member; switches equal removals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pawns.analysis.channels import ALL, INTERACTION, channel_variants, channels, decompose
from pawns.analysis.outcomes import member_outcomes
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

MEMBERS = np.arange(10)
HORIZON = ["scenario.horizon_days=150"]


def _outcomes(scenario) -> pd.DataFrame:
    layout = Layout.from_scenario(scenario)
    batch = simulate_batch(layout, MEMBERS, seed=11, keep_series=False)
    return pd.DataFrame(member_outcomes(layout, batch.initial, batch.final))


@pytest.fixture(scope="module")
def run():
    scenario = load_scenario("ru-ua-2024", HORIZON)
    layout = Layout.from_scenario(scenario)
    main = _outcomes(scenario)
    variants = {label: _outcomes(variant) for label, variant in channel_variants(scenario).items()}
    return scenario, layout, main, decompose(scenario, layout, main, variants, 150.0)


def test_the_decomposition_has_every_channel_all_and_the_interaction(run) -> None:
    scenario, _, _, decomposition = run
    assert channels(scenario) == ["DPRK.troops", "DPRK.shells", "DPRK.missiles", "DPRK.artillery", "DPRK.payments"]
    assert list(decomposition.rows) == [*channels(scenario), ALL, INTERACTION]
    assert set(decomposition.rows[ALL]) == {"rmst_days_bought", "tolerance_shift_days", "endurance_days_bought", "tolerance_days_bought",
                                            "host_national_casualties_avoided", "p_abandon_first_change", "territory_km2"}


def test_singles_and_interaction_add_up_to_all_channels_off_member_by_member(run) -> None:
    _, _, _, decomposition = run
    singles = [name for name in decomposition.rows if name not in (ALL, INTERACTION)]
    for outcome, whole in decomposition.rows[ALL].items():
        total = sum(decomposition.rows[name][outcome] for name in singles) + decomposition.rows[INTERACTION][outcome]
        np.testing.assert_allclose(total, whole, rtol=0, atol=1e-9 * max(1.0, float(np.abs(whole).max())), err_msg=outcome)
    assert np.any(decomposition.rows[INTERACTION]["territory_km2"] != 0)  # the channels do not simply add up


def test_a_switched_off_channel_is_the_scenario_without_it(run) -> None:
    """Paired runs: the effect of a channel is the same as against a scenario from which the channel is removed."""
    _, _, main, decomposition = run
    no_shells = load_scenario("ru-ua-2024", HORIZON)
    contributors = dict(no_shells.contributors)
    contributors["DPRK"] = contributors["DPRK"].model_copy(update={"shells": None})
    removed = _outcomes(no_shells.model_copy(update={"contributors": contributors}))
    expected = main["area_change_km2"].to_numpy() - removed["area_change_km2"].to_numpy()
    np.testing.assert_array_equal(decomposition.rows["DPRK.shells"]["territory_km2"], expected)
    nothing = _outcomes(load_scenario("ru-ua-2024-no-dprk", HORIZON))
    np.testing.assert_array_equal(decomposition.rows[ALL]["territory_km2"], main["area_change_km2"].to_numpy() - nothing["area_change_km2"].to_numpy())


def test_payments_buy_nothing_on_the_battlefield(run) -> None:
    _, _, _, decomposition = run
    for outcome, values in decomposition.rows["DPRK.payments"].items():
        np.testing.assert_array_equal(values, 0.0, err_msg=outcome)


def test_the_shells_channel_buys_russia_territory(run) -> None:
    _, _, _, decomposition = run
    assert np.mean(decomposition.rows["DPRK.shells"]["territory_km2"] > 0) >= 0.8
