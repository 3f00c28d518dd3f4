"""The state at a calibration window's end, carried as the next scenario's start (pawns.calibration.state).

What is read off a run is checked against its stocks (no person is lost or counted twice), a
scenario started from the carried values continues the run it was read from, and the
calibration writes the carried columns into its posterior file.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pawns.calibration.state import read_start_state
from pawns.cli.main import app
from pawns.engine.draws import draw_parameters
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

RUNNER = CliRunner()
FORMATIONS = (("RU", "ru_contract"), ("RU", "ru_mobilized"), ("UA", "ua_mobilized"), ("UA", "ua_volunteer"))
CARRIED_NAMES = [
    *(f"sides.{side}.formations.{f}.{key}" for side, f in FORMATIONS
      for key in ("front_persons", "initial_killed_persons", "initial_discharged_persons")),
    "sides.RU.casualties_per_day_at_start", "sides.UA.casualties_per_day_at_start",
    "sides.RU.recruitment.bonus_rub", "sides.RU.recruitment.pool_of_willing_persons", "sides.RU.materiel.shells_stock",
    "sectors.main.gain_km2_per_day_at_start", "sectors.main.area_at_stake_km2", "sectors.main.defended_depth_km2",
]
MEMBERS = np.arange(12, dtype=np.int64)


def _window(days: int, start: dt.date | None = None):
    """The calibration scenario without its dated deliveries (so it may start on any day), over ``days``."""
    scenario = load_scenario("ru-ua-2023")
    meta = scenario.meta.model_copy(update={"horizon_days": days, "posterior": None,
                                            **({"start_date": start} if start is not None else {})})
    return scenario.model_copy(update={"meta": meta, "contributors": {}})


@pytest.fixture(scope="module")
def run_up():
    layout = Layout.from_scenario(_window(90))
    matrix = draw_parameters(layout.space, MEMBERS, seed=5)
    batch = simulate_batch(layout, MEMBERS, seed=5, matrix=matrix, keep_series=False)
    carried = {k.removeprefix("state:"): v for k, v in read_start_state(CARRIED_NAMES, layout, matrix, batch.initial, batch.final).items()}
    return layout, matrix, batch, carried


def test_the_carried_forces_and_losses_account_for_every_person_of_each_formation(run_up):
    layout, _, batch, carried = run_up
    for side, name in FORMATIONS:
        f = layout.formation_names.index(name)
        held = sum(carried[f"sides.{side}.formations.{name}.{key}"]
                   for key in ("front_persons", "initial_killed_persons", "initial_discharged_persons"))
        final = batch.final
        stocks = final.front[:, f] + final.training[:, f] + final.wounded[:, f] + final.killed[:, f] + final.discharged[:, f]
        np.testing.assert_allclose(held, stocks, rtol=1e-12)
        assert np.all(carried[f"sides.{side}.formations.{name}.front_persons"] >= final.front[:, f])


def test_the_territory_carried_is_what_was_left_after_the_window(run_up):
    layout, matrix, batch, carried = run_up
    gained = batch.final.sector_area[:, 0] - batch.initial.sector_area[:, 0]
    assert np.all(gained > 0), "Russia gains ground in the 2023 window"
    stake = matrix[:, layout.space.index("sectors.main.area_at_stake_km2")]
    depth = matrix[:, layout.space.index("sectors.main.defended_depth_km2")]
    np.testing.assert_allclose(carried["sectors.main.area_at_stake_km2"], stake - gained, rtol=1e-12)
    np.testing.assert_allclose(carried["sectors.main.defended_depth_km2"], depth + gained, rtol=1e-12)
    np.testing.assert_array_equal(carried["sectors.main.gain_km2_per_day_at_start"], batch.final.sector_gain[:, 0])


def test_a_scenario_started_from_the_carried_state_continues_the_run(run_up):
    """Killed carry over exactly; the first day's casualties and advance pick up where the window ended."""
    layout, matrix, batch, carried = run_up
    following = Layout.from_scenario(_window(30, start=layout.scenario.meta.start_date + dt.timedelta(days=90)))
    assert following.space.names == layout.space.names
    start = matrix.copy()
    for name, values in carried.items():
        start[:, following.space.index(name)] = values
    after = simulate_batch(following, MEMBERS, seed=5, matrix=start, keep_series=True, record_every=1)
    for side, name in FORMATIONS:
        f = layout.formation_names.index(name)
        np.testing.assert_allclose(after.initial.killed[:, f], batch.final.killed[:, f], rtol=1e-12)
    for s, side in enumerate(layout.sides):
        ended = np.isfinite(batch.final.end_day[:, s]) | np.isfinite(after.final.end_day[:, s])
        last = sum(batch.final.casualties[:, f] for f, fm in enumerate(layout.formations) if fm.side == s)
        cumulative = after.daily_series["daily_casualties"][:, :, s].astype(np.float64)  # killed + wounded since the start
        first = cumulative[:, 1] - cumulative[:, 0]
        np.testing.assert_allclose(first[~ended], last[~ended], rtol=0.03)
    np.testing.assert_allclose(after.daily_series["daily_area"][:, 1] - after.daily_series["daily_area"][:, 0],
                               batch.final.sector_gain[:, 0], rtol=0.05)


def test_calibrate_writes_the_carried_state_beside_the_transferred_parameters(tmp_path):
    run_up_file = tmp_path / "run-up.toml"
    names = ", ".join(f'"{n}"' for n in CARRIED_NAMES[:3] + ["sectors.main.area_at_stake_km2"])
    run_up_file.write_text(f'[scenario]\nname = "run-up"\nextends = "ru-ua-2023"\n\n[calibration]\nstart_state = [{names}]\n', encoding="utf-8")
    out, post = tmp_path / "cal", tmp_path / "post.csv"
    args = ["calibrate", str(run_up_file), "--until", "2023-03-01", "-n", "24", "--generations", "2", "-q", "-o", str(out),
            "--posterior-out", str(post)]
    result = RUNNER.invoke(app, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(post)
    transfer = load_scenario("ru-ua-2023").calibration.transfer
    assert list(table.columns) == transfer + CARRIED_NAMES[:3] + ["sectors.main.area_at_stake_km2", "weight"]
    front = table["sides.RU.formations.ru_contract.front_persons"]
    assert front.between(200_000, 600_000).all() and table["sides.RU.formations.ru_contract.initial_killed_persons"].gt(18_000).all()
    info = json.loads((out / "calibration.json").read_text())
    assert info["start_state"] == CARRIED_NAMES[:3] + ["sectors.main.area_at_stake_km2"]
    assert info["observations"]["endurance_no_end"] == 1, "the war went on through the window: an observation"
    survival = pd.read_csv(out / "predictive.csv").set_index(["ensemble", "stream"]).loc[(slice(None), "endurance_no_end"), "members_within_bound"]
    assert survival.between(0.0, 1.0).all() and len(survival) == 2


@pytest.mark.parametrize("listing, expected", [
    ('start_state = ["combat.surplus_fire_value"]', "calibration.start_state"),
    ('start_state = ["sides.RU.formations.nobody.front_persons"]', "a parameter of the scenario itself"),
    ('start_state = ["sides.RU.killed_share"]', "in transfer or in start_state, not both"),  # ru-ua-2023 transfers it
])
def test_a_start_state_that_cannot_be_carried_is_a_clear_error(tmp_path, listing, expected):
    file = tmp_path / "bad.toml"
    file.write_text(f'[scenario]\nname = "bad"\nextends = "ru-ua-2023"\n\n[calibration]\n{listing}\n', encoding="utf-8")
    result = RUNNER.invoke(app, ["calibrate", str(file), "--until", "2023-03-01", "-n", "12", "-q", "-o", str(tmp_path / "c")])
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert not (tmp_path / "c").exists()


def test_the_war_going_on_weighs_each_members_hazard_of_an_end():
    """log P(no end in the window) = -(H_RU + H_UA): a member twice as likely to have ended weighs less."""
    from pawns.calibration.data import NO_END, build_data
    from pawns.calibration.likelihood import log_likelihood
    from pawns.observations.models import ObservationParams

    data = build_data(dt.date(2023, 1, 1), dt.date(2023, 3, 1), 180)
    assert data.fought_on and data.count()[NO_END] == 1
    assert not build_data(dt.date(2023, 1, 1), dt.date(2026, 3, 1), 180, as_of=dt.date(2025, 12, 31)).fought_on
    hazards = np.array([[0.1, 0.2], [1.0, 0.5], [0.0, 0.0]])
    parts = log_likelihood(data, {NO_END: hazards}, ObservationParams.from_matrix(*_observation_matrix()))
    np.testing.assert_allclose(parts[NO_END], [-0.3, -1.5, 0.0])
    np.testing.assert_allclose(np.exp(parts[NO_END]), np.prod(np.exp(-hazards), axis=1))


def _observation_matrix():
    layout = Layout.from_scenario(_window(60))
    return layout, draw_parameters(layout.space, np.arange(3, dtype=np.int64), seed=0)


def test_a_contingent_and_a_blocs_aid_are_carried_as_they_stand():
    """The contingent in theatre (front, training, labor, wounded due to return) and each bloc's aid allocated so far."""
    layout = Layout.from_scenario(load_scenario("ru-ua-2024", ["scenario.horizon_days=90"]))
    matrix = draw_parameters(layout.space, MEMBERS, seed=5)
    batch = simulate_batch(layout, MEMBERS, seed=5, matrix=matrix, keep_series=False)
    names = ["contingents.DPRK.tranches.0.size_persons", "supporters.west.blocs.US.aid_allocated_eur_bn_at_start"]
    carried = read_start_state(names, layout, matrix, batch.initial, batch.final)
    f, final = layout.formation_names.index("DPRK"), batch.final
    returning = final.wounded[:, f] * matrix[:, layout.space.index("contingents.DPRK.wounded_return_fraction")]
    in_theatre = final.front[:, f] + final.training[:, f] + final.labor[:, f] + returning
    np.testing.assert_allclose(carried["state:" + names[0]], in_theatre, rtol=1e-12)
    assert np.all(in_theatre > 0) and np.all(in_theatre < final.inflow_total[:, f]), "some of the arrived were lost or sent home"
    us = [b.name for b in layout.blocs].index("US")
    np.testing.assert_array_equal(carried["state:" + names[1]], final.aid_allocated_eur_bn[:, us])
    assert np.all(final.aid_allocated_eur_bn[:, us] > batch.initial.aid_allocated_eur_bn[:, us]), "aid is allocated over the window"
