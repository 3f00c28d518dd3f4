"""Calibration recovers parameters planted in data that the model itself simulated.

A reduced scenario (ru-ua-2023 over its first 180 days, every parameter fixed at its central
value except the reporting factor and the rate of territorial gain) generates noisy General
Staff and area observations from a known truth; the posterior's 90% interval should cover it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from pawns.calibration.data import ClaimPoints, build_data
from pawns.calibration.likelihood import predictions
from pawns.calibration.run import calibrate, window_scenario
from pawns.engine.draws import draw_parameters
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.observations.models import AREA_STREAM, GS_STREAM

FREE = ("observations.ua_gs_reporting_factor", "sectors.main.gain_km2_per_day_at_start")
UNTIL = dt.date(2023, 6, 30)
GS_LOG_SD, AREA_SD = 0.1, 150.0


@pytest.fixture(scope="module")
def reduced(tmp_path_factory):
    path = tmp_path_factory.mktemp("recovery") / "reduced.toml"
    # Without the drift (its innovations cannot be pinned by --set), and so without the transfer list and posterior that name it.
    path.write_text('[scenario]\nname = "reduced"\nextends = "ru-ua-2023"\nremove = ["drift", "calibration", "scenario.posterior"]\n\n'
                    f"[observations]\nua_gs_log_sd = {GS_LOG_SD}\narea_sd_km2 = {AREA_SD}\n", encoding="utf-8")
    space = Layout.from_scenario(load_scenario(str(path))).space
    pins = [f"{n}={s.central()!r}" for n, s in zip(space.names, space.specs) if not s.is_fixed and n not in FREE]
    return load_scenario(str(path), pins)


def synthetic_data(scenario, truth_seed: int):
    """Observations simulated from one prior draw (the truth), with the observation noise added."""
    layout = Layout.from_scenario(window_scenario(scenario, UNTIL))
    truth = draw_parameters(layout.space, np.array([0]), seed=truth_seed)
    batch = simulate_batch(layout, np.array([0]), seed=truth_seed, matrix=truth, keep_series=True, record_every=180)
    data = build_data(scenario.meta.start_date, UNTIL, 180)
    predicted = predictions(layout, data, batch.daily_series, truth)
    rng = np.random.default_rng(truth_seed)
    gs = predicted[GS_STREAM][0] * np.exp(GS_LOG_SD * rng.standard_normal(len(data.gs.observed)))
    area = predicted[AREA_STREAM][0] + AREA_SD * rng.standard_normal(len(data.area.observed))
    planted = dataclasses.replace(data, gs=dataclasses.replace(data.gs, observed=gs), area=dataclasses.replace(data.area, observed=area),
                                  named=None, claims=ClaimPoints((), np.zeros(0, dtype=np.int64)),
                                  fought_on=False)  # the simulated truth's own end of endurance is not observed
    return planted, {name: float(truth[0, layout.space.index(name)]) for name in FREE}


def test_posterior_intervals_cover_planted_truths(reduced):
    covered, ratios = [], []
    for truth_seed in (11, 12, 13, 14):
        data, truth = synthetic_data(reduced, truth_seed)
        result = calibrate(reduced, UNTIL, particles=300, seed=truth_seed, generations=12, data=data)
        assert sorted(result.names) == sorted(FREE)
        table = result.parameters.set_index("parameter")
        for name, value in truth.items():
            covered.append(table.loc[name, "posterior_q05"] <= value <= table.loc[name, "posterior_q95"])
            ratios.append(table.loc[name, "interval_ratio"])
    # 8 nominal-90% intervals: at least 6 must cover the truth, and the data must narrow them
    assert sum(covered) >= 6, covered
    assert np.median(ratios) < 0.6, ratios
